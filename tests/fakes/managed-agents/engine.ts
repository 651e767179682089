import { badRequest, conflict } from './errors';
import type { EventLog } from './event-log';
import type { ScenarioRegistry } from './scenario-registry';
import type { SseHub } from './sse';
import type { FakeState } from './state';
import { closeSpan, runSteps } from './steps';
import { Turn, TurnCancelled } from './turn';
import type { JsonObject, Session, SessionEvent } from './types';
import { asObject, isObject, requireString } from './validate';

interface Runtime {
  turn: Turn | null;
  /** user.message echoes waiting for the current turn to end (their `processed_at` is null until then). */
  queue: JsonObject[];
}

export interface EngineOptions {
  stepDelayMs: number;
  /** The real API may echo interrupts with an empty id (§2.5); set this to test that dedupe tolerates it. */
  hasEmptyInterruptIds: boolean;
}

const SENDABLE = [
  'user.message',
  'user.interrupt',
  'user.tool_confirmation',
  'user.custom_tool_result',
  'user.tool_result',
  'system.message',
];
const CONTENT_BLOCKS = ['text', 'image', 'document', 'redacted'];

const withoutType = ({ type: _type, ...rest }: JsonObject): JsonObject => rest;

const textOf = (content: unknown): string =>
  (Array.isArray(content) ? content : [])
    .filter((b): b is JsonObject => isObject(b) && b['type'] === 'text' && typeof b['text'] === 'string')
    .map((b) => String(b['text']))
    .join('\n');

/** Runs scripted turns: queues user messages, blocks on tool confirmations, handles interrupts. */
export class TurnEngine {
  private readonly runtimes = new Map<string, Runtime>();
  /** Scenario bugs (unknown labels, bad steps) surface here and as a session.error in the session. */
  readonly scenarioErrors: Error[] = [];

  constructor(
    private readonly state: FakeState,
    private readonly hub: SseHub,
    private readonly log: EventLog,
    readonly scenarios: ScenarioRegistry,
    private readonly options: EngineOptions,
  ) {}

  private runtime(sessionId: string): Runtime {
    let rt = this.runtimes.get(sessionId);
    if (!rt) {
      rt = { turn: null, queue: [] };
      this.runtimes.set(sessionId, rt);
    }
    return rt;
  }

  /** `POST /v1/sessions/{id}/events`: validates every event first, then applies them in order. */
  send(session: Session, body: unknown, allowedTypes = SENDABLE): SessionEvent[] {
    if (session.archived_at) throw conflict(`Session ${session.id} is archived.`);
    if (session.status === 'terminated') throw badRequest(`Session ${session.id} is terminated.`);
    const raw = asObject(body)['events'];
    if (!Array.isArray(raw) || raw.length === 0) throw badRequest('events: List should have at least 1 item');
    const answered = new Set<string>();
    const events = raw.map((ev, i) => this.validate(session, ev, i, raw.length, allowedTypes, answered));
    return events.map((ev) => this.apply(session.id, ev));
  }

  private validate(
    session: Session,
    raw: unknown,
    i: number,
    count: number,
    allowed: string[],
    answered: Set<string>,
  ): JsonObject {
    const ev = asObject(raw, `events[${i}]`);
    const type = ev['type'];
    if (typeof type !== 'string' || !allowed.includes(type))
      throw badRequest(`events[${i}].type: '${String(type)}' cannot be sent here`);
    const turn = this.runtime(session.id).turn;
    const checkPending = (key: string, kinds: string[]) => {
      const id = requireString(ev, key, `events[${i}].${key}`);
      const record = turn?.pending(id);
      if (!record || !kinds.includes(record.kind) || answered.has(id)) {
        throw badRequest(`events[${i}].${key}: ${id} is not a tool use awaiting a response`);
      }
      answered.add(id);
    };
    if (type === 'user.message' || type === 'system.message') {
      const content = ev['content'];
      if (!Array.isArray(content) || content.length === 0)
        throw badRequest(`events[${i}].content: List should have at least 1 item`);
      for (const [j, block] of content.entries()) {
        const b = asObject(block, `events[${i}].content[${j}]`);
        const blockTypes = type === 'system.message' ? ['text'] : CONTENT_BLOCKS;
        if (!blockTypes.includes(String(b['type'])))
          throw badRequest(`events[${i}].content[${j}].type: unsupported block type`);
        if (b['type'] === 'text') requireString(b, 'text', `events[${i}].content[${j}].text`, 1_000_000);
      }
      if (type === 'system.message' && i !== count - 1)
        throw badRequest('system.message must be the last event in the request');
      if (type === 'user.message') this.scenarios.check(textOf(content));
      if (type === 'user.message' && this.state.budgetPaused.has(session.id))
        throw badRequest(`events[${i}]: the session is paused at its budget; raise it with sessions.update`);
    } else if (type === 'user.tool_confirmation') {
      if (ev['result'] !== 'allow' && ev['result'] !== 'deny')
        throw badRequest(`events[${i}].result: Input should be 'allow' or 'deny'`);
      if (ev['result'] === 'allow' && ev['deny_message'] != null)
        throw badRequest(`events[${i}].deny_message: only allowed with result 'deny'`);
      checkPending('tool_use_id', ['mcp', 'builtin']);
    } else if (type === 'user.custom_tool_result') {
      checkPending('custom_tool_use_id', ['custom']);
    } else if (type === 'user.tool_result') {
      const env = this.state.environments.get(session.environment_id);
      if (env?.config.type !== 'self_hosted')
        throw badRequest('user.tool_result is only accepted in self_hosted environments');
      checkPending('tool_use_id', ['builtin']);
    }
    return ev;
  }

  private apply(sessionId: string, ev: JsonObject): SessionEvent {
    const rt = this.runtime(sessionId);
    const type = String(ev['type']);
    if (type === 'user.message') {
      const echo: JsonObject = { type, id: this.log.newId(), content: ev['content'] };
      if (rt.turn) {
        rt.queue.push(echo);
        return { ...echo, processed_at: null } as unknown as SessionEvent;
      }
      return this.startTurn(sessionId, echo);
    }
    const id = type === 'user.interrupt' && this.options.hasEmptyInterruptIds ? '' : this.log.newId();
    const echo = this.log.append(sessionId, {
      type,
      id,
      ...withoutType(ev),
      processed_at: this.state.now(),
    } as unknown as SessionEvent);
    if (type === 'user.interrupt') this.interrupt(sessionId);
    else if (rt.turn && type !== 'system.message') {
      const toolUseId = String(ev['tool_use_id'] ?? ev['custom_tool_use_id']);
      const record = rt.turn.pending(toolUseId);
      if (record) {
        record.resolution =
          type === 'user.tool_confirmation'
            ? {
                result: ev['result'] as 'allow' | 'deny',
                ...(typeof ev['deny_message'] === 'string' ? { denyMessage: ev['deny_message'] } : {}),
              }
            : { result: 'answered', isError: ev['is_error'] === true };
      }
      rt.turn.wake();
    }
    return echo as SessionEvent;
  }

  private startTurn(sessionId: string, echo: JsonObject): SessionEvent {
    const appended = this.log.append(sessionId, { ...echo, processed_at: this.state.now() } as unknown as SessionEvent);
    const session = this.state.getSession(sessionId);
    const { steps } = this.scenarios.stepsFor(sessionId, session.agent, textOf(echo['content']));
    const turn = new Turn();
    this.runtime(sessionId).turn = turn;
    this.log.emit(sessionId, { type: 'session.status_running' });
    void this.runTurn(sessionId, turn, steps);
    return appended as SessionEvent;
  }

  private async runTurn(sessionId: string, turn: Turn, steps: Parameters<typeof runSteps>[1]): Promise<void> {
    const ctx = {
      sessionId,
      turn,
      log: this.log,
      hub: this.hub,
      state: this.state,
      stepDelayMs: this.options.stepDelayMs,
    };
    try {
      if ((await runSteps(ctx, steps)) === 'continue') {
        turn.throwIfCancelled();
        closeSpan(this.log, this.state, sessionId, turn);
        this.log.emit(sessionId, {
          type: 'session.status_idle',
          stop_reason: { type: 'end_turn' },
          stop_details: null,
        });
      }
    } catch (err) {
      if (err instanceof TurnCancelled || turn.isCancelled) return;
      const error = err instanceof Error ? err : new Error(String(err));
      this.scenarioErrors.push(error);
      closeSpan(this.log, this.state, sessionId, turn, { isError: true });
      this.log.emit(sessionId, {
        type: 'session.error',
        error: {
          type: 'unknown_error',
          message: `Fake scenario error: ${error.message}`,
          retry_status: { type: 'exhausted' },
        },
      });
      this.log.emit(sessionId, {
        type: 'session.status_idle',
        stop_reason: { type: 'retries_exhausted' },
        stop_details: null,
      });
    }
    this.finishTurn(sessionId, turn);
  }

  private finishTurn(sessionId: string, turn: Turn): void {
    const rt = this.runtime(sessionId);
    if (rt.turn !== turn) return;
    rt.turn = null;
    const next = rt.queue.shift();
    if (!next) return;
    if (this.state.sessions.get(sessionId)?.status === 'terminated') rt.queue.length = 0;
    else this.startTurn(sessionId, next);
  }

  /** §2.5: the interrupt jumps the queue, closes any open span, and the turn reports end_turn. */
  private interrupt(sessionId: string): void {
    const rt = this.runtime(sessionId);
    rt.queue.length = 0;
    const turn = rt.turn;
    if (!turn) return;
    rt.turn = null;
    turn.cancel();
    closeSpan(this.log, this.state, sessionId, turn);
    this.log.emit(sessionId, { type: 'session.status_idle', stop_reason: { type: 'end_turn' }, stop_details: null });
  }

  isTurnActive(sessionId: string): boolean {
    return Boolean(this.runtimes.get(sessionId)?.turn);
  }

  /** Stops a turn silently (session deleted or archived). */
  cancel(sessionId: string): void {
    const rt = this.runtimes.get(sessionId);
    rt?.turn?.cancel();
    this.runtimes.delete(sessionId);
  }

  cancelAll(): void {
    for (const sessionId of [...this.runtimes.keys()]) this.cancel(sessionId);
  }
}
