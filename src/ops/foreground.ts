import { AsyncLocalStorage } from 'node:async_hooks';

/** Starts a timer; the answer cancels it. Tests pass their own clock. */
export type SetTimer = (fire: () => void, ms: number) => () => void;

const realTimer: SetTimer = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** One foreground task: running until its work settles, counted except while it waits aside. */
interface Task {
  isOpen: boolean;
  isCounted: boolean;
  startedAt: number;
}

/** Work outside foreground tasks yields to foreground work that started up to this much later than it asked. */
const BACKGROUND_YIELDS_MS = 1_000;

/**
 * Work a person is waiting to see, the "I heard you" of a mention (deciding what it means, 👀, making the session,
 * posting its card), goes ahead of background work in this process: session event storage asks `whenClear()` before
 * each batch, so while foreground work is running it neither takes the CPU nor queues database work in front of it.
 * A wait for a Slack budget inside foreground work (`aside`) does not hold background work back, and no background
 * wait lasts longer than `maxHoldMs`, so a stream of mentions slows event storage but never stops it.
 */
export class Foreground {
  private running = 0;
  private readonly waiters = new Set<() => void>();
  // The task an async context belongs to; work it left behind (a detached promise) sees it ended.
  private readonly context = new AsyncLocalStorage<Task>();
  private readonly setTimer: SetTimer;
  private readonly maxHoldMs: number;
  private readonly now: () => number;

  constructor(options: { maxHoldMs?: number; setTimer?: SetTimer; now?: () => number } = {}) {
    this.maxHoldMs = options.maxHoldMs ?? 500;
    this.setTimer = options.setTimer ?? realTimer;
    this.now = options.now ?? Date.now;
  }

  /** How many foreground tasks are running now (waits aside not counted). */
  get active(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.context.getStore()?.isOpen) return work();
    const task: Task = { isOpen: true, isCounted: false, startedAt: this.now() };
    this.count(task, true);
    try {
      return await this.context.run(task, work);
    } finally {
      task.isOpen = false;
      this.count(task, false);
    }
  }

  /** Inside foreground work: `work` (a wait) does not count as foreground while it runs. Elsewhere it just runs. */
  async aside<T>(work: () => Promise<T>): Promise<T> {
    const task = this.context.getStore();
    if (!task?.isCounted) return work();
    this.count(task, false);
    try {
      return await work();
    } finally {
      if (task.isOpen) this.count(task, true);
    }
  }

  /**
   * How soon something this context asks for now (a database connection) should be served, smallest first: foreground
   * work by when its task started, so the person who asked first sees their sign first instead of every session
   * moving a step at a time; other work by when it asks, behind foreground work that started up to a second later.
   */
  urgency(): number {
    const task = this.context.getStore();
    return task?.isOpen ? task.startedAt : this.now() + BACKGROUND_YIELDS_MS;
  }

  /** Resolves at once when no foreground work runs, else when it has all ended or after `maxHoldMs` (or `holdMs`). */
  whenClear(holdMs = this.maxHoldMs): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let cancel = () => undefined as void;
      const done = () => {
        this.waiters.delete(done);
        cancel();
        resolve();
      };
      this.waiters.add(done);
      cancel = this.setTimer(done, holdMs);
    });
  }

  private count(task: Task, isCounted: boolean): void {
    if (task.isCounted === isCounted) return;
    task.isCounted = isCounted;
    if (isCounted) return void this.running++;
    if (--this.running > 0) return;
    for (const done of [...this.waiters]) done();
  }
}
