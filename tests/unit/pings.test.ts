import { defusePings } from '../../src/domain/pings';

describe('agent text never pings a whole channel or a user group', () => {
  it.each([
    ['<!here> look', '`@here` look'],
    ['<!channel|@channel> now', '`@channel` now'],
    ['hey <!everyone>', 'hey `@everyone`'],
    ['ask <!subteam^S0123|@oncall>', 'ask `@oncall`'],
    ['@here and @channel', '`@here` and `@channel`'],
  ])('defuses %s', (input, output) => {
    expect(defusePings(input)).toBe(output);
  });

  it('keeps mentions of one person and e-mail addresses', () => {
    expect(defusePings('thanks <@U0001>, mail ops@here.com')).toBe('thanks <@U0001>, mail ops@here.com');
  });
});
