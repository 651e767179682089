import { jest } from '@jest/globals';
import { within } from '../../src/ops/within';

describe('within', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers what the work settles to when it settles in time, and leaves no timer behind', async () => {
    const answer = within(Promise.resolve('done'), 1_000, 'late');
    await expect(answer).resolves.toBe('done');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('answers `late` once the time is up, while the work goes on', async () => {
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const answer = within(work, 1_000, 'late');
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1);
    await expect(answer).resolves.toBe('late');
    finish('done');
    await expect(work).resolves.toBe('done');
  });

  it('passes on a failure that comes in time', async () => {
    const answer = within(Promise.reject(new Error('refused')), 1_000, 'late');
    await expect(answer).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0);
  });
});
