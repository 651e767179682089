import type { EventDraft } from './scenario-types';
import type { SseHub } from './sse';
import type { FakeState } from './state';
import type { Session, SessionEvent } from './types';

const STATUS_FOR_EVENT: Record<string, Session['status']> = {
  'session.status_running': 'running',
  'session.status_idle': 'idle',
  'session.status_rescheduled': 'rescheduling',
  'session.status_terminated': 'terminated',
};

/** Appends events to a session's log, keeps `session.status` in step, and broadcasts them live. */
export class EventLog {
  constructor(
    private readonly state: FakeState,
    private readonly hub: SseHub,
  ) {}

  newId(): string {
    return this.state.ids.next('sevt');
  }

  /** Returns undefined when the session is gone (deleted mid-turn); nothing is emitted then. */
  emit(sessionId: string, draft: EventDraft, id = this.newId()): SessionEvent | undefined {
    const { type, ...rest } = draft;
    return this.append(sessionId, { type, id, ...rest, processed_at: this.state.now() } as unknown as SessionEvent);
  }

  append(sessionId: string, event: SessionEvent): SessionEvent | undefined {
    const session = this.state.sessions.get(sessionId);
    if (!session) return undefined;
    this.state.eventsOf(sessionId).push(event);
    const status = STATUS_FOR_EVENT[event.type];
    if (status) session.status = status;
    session.updated_at = this.state.now();
    this.hub.broadcast(sessionId, event);
    return event;
  }
}
