import { openingOf } from '../../handlers/events/app-mention';
import { handToBot } from '../../jobs/definitions';

describe('openingOf', () => {
  it('keeps a message that opens its thread as written, with its files by name', () => {
    const files = [{ name: 'trace.log' }, { name: null, title: 'Screenshot' }, {}];
    expect(openingOf({ ts: '1.1', text: '<@UBATON> look at <@U0002>', files })).toEqual({
      text: '<@UBATON> look at <@U0002>',
      files: ['trace.log', 'Screenshot', 'file'],
    });
    expect(openingOf({ ts: '1.1', thread_ts: '1.1', text: 'top of its own thread' })).toEqual({
      text: 'top of its own thread',
      files: [],
    });
  });

  it('keeps nothing for a reply (the thread has more to read), and stays within what the job accepts', () => {
    expect(openingOf({ ts: '1.2', thread_ts: '1.1', text: 'a reply' })).toBeUndefined();
    const opening = openingOf({
      ts: '1.1',
      text: 'x'.repeat(50_000),
      files: Array.from({ length: 150 }, () => ({ name: 'n'.repeat(300) })),
    });
    const job = { v: 1, traceId: 't', teamId: 'T1', source: 'mention', channel: 'C1', userId: 'U1' } as const;
    expect(handToBot.safeParse({ ...job, messageTs: '1.1', threadTs: '1.1', words: 'x', opening }).success).toBe(true);
  });
});
