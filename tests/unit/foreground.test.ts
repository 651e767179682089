import { Foreground, type SetTimer } from '../../src/ops/foreground';

/** A clock the test steps: timers fire only when `advance` passes them. */
function manualTimers() {
  let now = 0;
  const timers = new Set<{ at: number; fire: () => void }>();
  const setTimer: SetTimer = (fire, ms) => {
    const timer = { at: now + ms, fire };
    timers.add(timer);
    return () => void timers.delete(timer);
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of [...timers].filter((t) => t.at <= now)) {
      timers.delete(timer);
      timer.fire();
    }
  };
  return { setTimer, advance, pending: () => timers.size };
}

/** A promise the test settles by hand. */
function gate() {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Resolves to whether `promise` settled by now. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await flush();
  return settled;
}

describe('foreground work ahead of background work', () => {
  it('lets background work go at once when nothing is in the foreground', async () => {
    const foreground = new Foreground({ setTimer: manualTimers().setTimer });
    expect(await isSettled(foreground.whenClear())).toBe(true);
  });

  it('holds background work until every foreground task has ended', async () => {
    const timers = manualTimers();
    const foreground = new Foreground({ maxHoldMs: 500, setTimer: timers.setTimer });
    const first = gate();
    const second = gate();
    const running = [foreground.run(() => first.opened), foreground.run(() => second.opened)];
    expect(foreground.active).toBe(2);

    const clear = foreground.whenClear();
    first.open();
    expect(await isSettled(clear)).toBe(false);
    second.open();
    await Promise.all(running);
    expect(await isSettled(clear)).toBe(true);
    expect(timers.pending()).toBe(0);
  });

  it('never holds background work longer than maxHoldMs', async () => {
    const timers = manualTimers();
    const foreground = new Foreground({ maxHoldMs: 500, setTimer: timers.setTimer });
    const work = gate();
    const running = foreground.run(() => work.opened);
    const clear = foreground.whenClear();
    timers.advance(499);
    expect(await isSettled(clear)).toBe(false);
    timers.advance(1);
    expect(await isSettled(clear)).toBe(true);
    work.open();
    await running;
  });

  it('holds work that asks for longer (a new agent start) as long as it asks', async () => {
    const timers = manualTimers();
    const foreground = new Foreground({ maxHoldMs: 500, setTimer: timers.setTimer });
    const work = gate();
    const running = foreground.run(() => work.opened);
    const clear = foreground.whenClear(5_000);
    timers.advance(4_999);
    expect(await isSettled(clear)).toBe(false);
    timers.advance(1);
    expect(await isSettled(clear)).toBe(true);
    work.open();
    await running;
  });

  it('does not count a wait for a Slack budget inside foreground work as foreground', async () => {
    const foreground = new Foreground({ setTimer: manualTimers().setTimer });
    const budget = gate();
    const afterWait = gate();
    let isWaiting = false;
    const running = foreground.run(async () => {
      await foreground.aside(async () => {
        isWaiting = true;
        await budget.opened;
      });
      await afterWait.opened;
    });
    await flush();
    expect(isWaiting).toBe(true);
    expect(foreground.active).toBe(0);
    expect(await isSettled(foreground.whenClear())).toBe(true);

    budget.open();
    await flush();
    expect(foreground.active).toBe(1);
    const clear = foreground.whenClear();
    expect(await isSettled(clear)).toBe(false);
    afterWait.open();
    await running;
    expect(await isSettled(clear)).toBe(true);
  });

  it('counts nested foreground work once, and a wait outside foreground work as nothing', async () => {
    const foreground = new Foreground({ setTimer: manualTimers().setTimer });
    await foreground.run(async () => {
      await foreground.run(async () => expect(foreground.active).toBe(1));
      expect(foreground.active).toBe(1);
    });
    await foreground.aside(async () => expect(foreground.active).toBe(0));
    expect(foreground.active).toBe(0);
  });

  it('does not count work a foreground task left behind once the task has ended', async () => {
    const foreground = new Foreground({ setTimer: manualTimers().setTimer });
    const budget = gate();
    let leftBehind: Promise<void> | undefined;
    await foreground.run(async () => {
      leftBehind = foreground.aside(() => budget.opened);
    });
    expect(foreground.active).toBe(0);
    budget.open();
    await leftBehind;
    expect(foreground.active).toBe(0);
    await foreground.aside(async () => expect(foreground.active).toBe(0));
  });
});
