/** Thrown inside a scripted turn once it was interrupted, deleted or archived; never reaches a client. */
export class TurnCancelled extends Error {
  constructor() {
    super('turn cancelled');
  }
}

export type Resolution = { result: 'allow' | 'deny'; denyMessage?: string } | { result: 'answered'; isError: boolean };

export interface ToolUseRecord {
  eventId: string;
  kind: 'mcp' | 'builtin' | 'custom';
  /** True for `ask` tool uses and custom tool uses: the session blocks until the client answers. */
  needsAction: boolean;
  resolution?: Resolution;
}

/** Runtime state of one running (or requires_action-blocked) turn. */
export class Turn {
  private readonly controller = new AbortController();
  private readonly labels = new Map<string, ToolUseRecord>();
  private readonly byEventId = new Map<string, ToolUseRecord>();
  private wakeUp: (() => void) | undefined;
  openSpan: { id: string; outputChars: number } | null = null;
  isBlocked = false;

  get isCancelled(): boolean {
    return this.controller.signal.aborted;
  }

  throwIfCancelled(): void {
    if (this.isCancelled) throw new TurnCancelled();
  }

  register(label: string | undefined, record: ToolUseRecord): void {
    if (label) this.labels.set(label, record);
    this.byEventId.set(record.eventId, record);
  }

  label(label: string): ToolUseRecord {
    const record = this.labels.get(label);
    if (!record) throw new Error(`Scenario references unknown tool-use label '${label}'`);
    return record;
  }

  /** The tool use a client may answer: registered in this turn, blocking and not yet answered. */
  pending(eventId: string): ToolUseRecord | undefined {
    const record = this.byEventId.get(eventId);
    return record && record.needsAction && !record.resolution ? record : undefined;
  }

  unresolved(): ToolUseRecord[] {
    return [...this.byEventId.values()].filter((r) => r.needsAction && !r.resolution);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.isCancelled) return reject(new TurnCancelled());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new TurnCancelled());
      };
      const timer = setTimeout(() => {
        this.controller.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.controller.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves on `wake()` (a client answered), rejects once the turn is cancelled. */
  waitForWake(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.isCancelled) return reject(new TurnCancelled());
      const onAbort = () => reject(new TurnCancelled());
      this.controller.signal.addEventListener('abort', onAbort, { once: true });
      this.wakeUp = () => {
        this.controller.signal.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  cancel(): void {
    this.controller.abort();
  }
}
