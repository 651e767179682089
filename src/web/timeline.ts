import type { StoredEvent } from '../domain/sessions';

export type StepState = 'running' | 'done' | 'failed' | 'waiting';

interface EntryBase {
  /** Stable across updates, so a live page replaces an entry in place when it changes. */
  id: string;
  at: Date;
}

export type TimelineEntry = EntryBase &
  (
    | { kind: 'turn'; text: string | null; isFollowUp: boolean }
    | { kind: 'message'; text: string }
    | {
        kind: 'step';
        name: string;
        server: string | null;
        summary: string;
        /** The tool's full input and result as the provider sent them (shown folded). */
        input: unknown;
        result: unknown;
        resultSummary: string | null;
        state: StepState;
        durationMs: number | null;
        /** Allowed or denied, and by whom (a name) when Baton knows; `isTimeout` when nobody answered in time. */
        approval: { isAllowed: boolean; by: string | null; isTimeout: boolean } | null;
      }
    | { kind: 'answer'; text: string; reason: string }
    | { kind: 'turn_end'; reason: string }
    | { kind: 'artifact'; type: string; name: string; url: string | null }
    | { kind: 'error'; message: string; errorKind: string }
    | { kind: 'terminated' }
  );

export interface Timeline {
  entries: TimelineEntry[];
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null };
  startedAt: Date | null;
  lastAt: Date | null;
}

const rawInput = (raw: Record<string, unknown>): unknown => raw.input ?? null;
const rawResult = (raw: Record<string, unknown>): unknown => raw.content ?? raw.result ?? null;

/** Who answered an approval, by step id (from Baton's own records; provider events do not say). */
export type Approvers = ReadonlyMap<string, { name: string; isTimeout: boolean }>;

/** The whole session for the session page, folded from its stored Baton events (pure). */
export function buildTimeline(events: readonly StoredEvent[], approvers: Approvers = new Map()): Timeline {
  const entries: TimelineEntry[] = [];
  const steps = new Map<string, Extract<TimelineEntry, { kind: 'step' }>>();
  const usage: Timeline['usage'] = { inputTokens: 0, outputTokens: 0, costUsd: null };
  let turns = 0;
  let lastMessage: Extract<TimelineEntry, { kind: 'message' }> | undefined;
  for (const event of events) {
    const base = { id: `${event.kind}-${event.seq}`, at: event.at };
    switch (event.kind) {
      case 'turn_started':
        entries.push({ ...base, kind: 'turn', text: event.text, isFollowUp: turns++ > 0 });
        lastMessage = undefined;
        break;
      case 'message':
        lastMessage = { ...base, kind: 'message', text: event.text };
        entries.push(lastMessage);
        break;
      case 'step_started': {
        const step = {
          ...base,
          id: `step-${event.stepId}`,
          kind: 'step' as const,
          name: event.name,
          server: event.server,
          summary: event.summary,
          input: rawInput(event.raw),
          result: null,
          resultSummary: null,
          state: (event.needsApproval ? 'waiting' : 'running') as StepState,
          durationMs: null,
          approval: null,
        };
        steps.set(event.stepId, step);
        entries.push(step);
        break;
      }
      case 'step_finished': {
        const step = steps.get(event.stepId);
        if (!step) break;
        step.state = event.isError ? 'failed' : 'done';
        step.result = rawResult(event.raw);
        step.resultSummary = event.summary;
        step.durationMs = event.at.getTime() - step.at.getTime();
        break;
      }
      case 'approval_needed':
        for (const id of event.stepIds) {
          const step = steps.get(id);
          if (step && step.state === 'running') step.state = 'waiting';
        }
        break;
      case 'approval_answered': {
        const step = steps.get(event.stepId);
        if (!step) break;
        const approver = approvers.get(event.stepId);
        step.approval = {
          isAllowed: event.isAllowed,
          by: approver && !approver.isTimeout ? approver.name : null,
          isTimeout: approver?.isTimeout ?? false,
        };
        step.state = event.isAllowed ? 'running' : 'failed';
        break;
      }
      case 'turn_ended':
        // The answer is the turn's last message: show it as the answer rather than twice.
        if (event.answer && lastMessage?.text === event.answer) entries.splice(entries.indexOf(lastMessage), 1);
        entries.push(
          event.answer
            ? { ...base, kind: 'answer', text: event.answer, reason: event.reason }
            : { ...base, kind: 'turn_end', reason: event.reason },
        );
        lastMessage = undefined;
        break;
      case 'usage':
        usage.inputTokens += event.inputTokens;
        usage.outputTokens += event.outputTokens;
        if (event.costUsd !== null) usage.costUsd = (usage.costUsd ?? 0) + event.costUsd;
        break;
      case 'artifact':
        entries.push({ ...base, kind: 'artifact', type: event.type, name: event.name, url: event.url });
        break;
      case 'error':
        entries.push({ ...base, kind: 'error', message: event.message, errorKind: event.errorKind });
        break;
      case 'terminated':
        entries.push({ ...base, kind: 'terminated' });
        break;
    }
  }
  return { entries, usage, startedAt: events[0]?.at ?? null, lastAt: events.at(-1)?.at ?? null };
}
