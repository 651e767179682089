import type { BatonEvent } from '../domain/events';

export type StepState = 'running' | 'done' | 'failed' | 'waiting';

export interface Step {
  id: string;
  /** For people: "Run command", "linear.create_issue". */
  name: string;
  /** What it was run on (a command, a path), or what it gave back when it failed. */
  summary: string;
  state: StepState;
}

export interface PendingConfirmation {
  stepId: string;
  name: string;
  summary: string;
}

export interface Artifact {
  type: 'pull_request' | 'branch';
  name: string;
  url: string | null;
}

/** What the card and the session loop need to know, folded event by event from Baton events. */
export interface SessionProgress {
  /** The latest steps (at most `STEPS_KEPT`); `earlierSteps` counts the ones no longer kept. */
  steps: readonly Step[];
  earlierSteps: number;
  lastMessage: string | null;
  /** The agent's last message in the turn under way (the answer unless the provider names one). */
  turnMessage: string | null;
  /** The answer of the latest finished turn. */
  answer: string | null;
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null };
  pending: readonly PendingConfirmation[];
  error: string | null;
  /** The MCP server whose sign-in failed in this session (admins get Reconnect for it). */
  mcpSignInFailure: string | null;
  /** Repositories that could not be mounted (the session runs on without them), one note each in the thread. */
  cloneFailures: readonly string[];
  artifacts: readonly Artifact[];
  turnStarts: number;
  turnEnds: number;
  isTerminated: boolean;
  /** The turn stopped at the session's spending limit and goes on once someone raises it. */
  isPausedOnBudget: boolean;
}

/** Steps kept for the card; older ones are only counted (the log has them all). */
export const STEPS_KEPT = 50;

export const emptyProgress = (): SessionProgress => ({
  steps: [],
  earlierSteps: 0,
  lastMessage: null,
  turnMessage: null,
  answer: null,
  usage: { inputTokens: 0, outputTokens: 0, costUsd: null },
  pending: [],
  error: null,
  mcpSignInFailure: null,
  cloneFailures: [],
  artifacts: [],
  turnStarts: 0,
  turnEnds: 0,
  isTerminated: false,
  isPausedOnBudget: false,
});

const settleSteps = (steps: readonly Step[]): Step[] =>
  steps.map((s) => (s.state === 'running' || s.state === 'waiting' ? { ...s, state: 'failed' } : s));

const withStep = (steps: readonly Step[], stepId: string, change: (step: Step) => Step): readonly Step[] => {
  const i = steps.findIndex((s) => s.id === stepId);
  if (i < 0) return steps;
  const next = [...steps];
  next[i] = change(steps[i]!);
  return next;
};

/**
 * One event folded into the progress so far (pure: the old progress is left as it was). The run loop keeps the
 * result and folds each new event once; nothing refolds a session's history per batch or per card.
 */
export function step(progress: SessionProgress, event: BatonEvent): SessionProgress {
  // At the spending limit the turn is paused, not over: it goes on in the same turn once the limit is raised.
  if (event.kind === 'turn_ended' && event.reason === 'budget') return { ...progress, isPausedOnBudget: true };
  const next = fold(progress, event);
  return next.isPausedOnBudget && event.kind !== 'usage' ? { ...next, isPausedOnBudget: false } : next;
}

function fold(progress: SessionProgress, event: BatonEvent): SessionProgress {
  switch (event.kind) {
    case 'turn_started':
      return { ...progress, turnStarts: progress.turnStarts + 1, turnMessage: null, pending: [] };
    case 'message':
      return event.text ? { ...progress, lastMessage: event.text, turnMessage: event.text } : progress;
    case 'step_started': {
      const added: Step = {
        id: event.stepId,
        name: event.name,
        summary: event.summary,
        state: event.needsApproval ? 'waiting' : 'running',
      };
      const steps = [...progress.steps, added];
      const dropped = Math.max(0, steps.length - STEPS_KEPT);
      return { ...progress, steps: steps.slice(dropped), earlierSteps: progress.earlierSteps + dropped };
    }
    case 'step_finished':
      return {
        ...progress,
        steps: withStep(progress.steps, event.stepId, (s) => ({
          ...s,
          state: event.isError ? 'failed' : 'done',
          summary: event.isError && event.summary ? event.summary : s.summary,
        })),
      };
    case 'approval_needed':
      return {
        ...progress,
        pending: event.stepIds.flatMap((stepId) => {
          const found = progress.steps.find((s) => s.id === stepId);
          return found ? [{ stepId, name: found.name, summary: found.summary }] : [];
        }),
        steps: progress.steps.map((s) => (event.stepIds.includes(s.id) ? { ...s, state: 'waiting' } : s)),
      };
    case 'approval_answered':
      return {
        ...progress,
        pending: progress.pending.filter((p) => p.stepId !== event.stepId),
        steps: withStep(progress.steps, event.stepId, (s) => ({ ...s, state: event.isAllowed ? 'running' : 'failed' })),
      };
    case 'turn_ended': {
      const stopped = event.reason === 'end_turn' || event.reason === 'interrupted';
      return {
        ...progress,
        turnEnds: progress.turnEnds + 1,
        answer: event.answer ?? progress.turnMessage,
        turnMessage: null,
        pending: [],
        // Steps still running when the turn is over never got a result.
        steps: settleSteps(progress.steps),
        error: progress.error ?? (stopped ? null : `The agent stopped: ${event.reason.replace('_', ' ')}.`),
      };
    }
    case 'usage': {
      const { usage } = progress;
      return {
        ...progress,
        usage: {
          inputTokens: usage.inputTokens + event.inputTokens,
          outputTokens: usage.outputTokens + event.outputTokens,
          costUsd: event.costUsd === null ? usage.costUsd : (usage.costUsd ?? 0) + event.costUsd,
        },
      };
    }
    case 'artifact':
      return {
        ...progress,
        artifacts: [...progress.artifacts, { type: event.type, name: event.name, url: event.url }],
      };
    case 'error':
      // A repository that did not clone is not the session's failure: it goes on without it.
      if (event.errorKind === 'repository') {
        const repository = event.repository ?? '';
        return progress.cloneFailures.includes(repository)
          ? progress
          : { ...progress, cloneFailures: [...progress.cloneFailures, repository] };
      }
      return {
        ...progress,
        error: event.message,
        mcpSignInFailure: event.errorKind === 'mcp_auth' && event.server ? event.server : progress.mcpSignInFailure,
      };
    case 'terminated':
      return { ...progress, isTerminated: true, pending: [], steps: settleSteps(progress.steps) };
    default:
      // Rows stored before Baton had its own events carry no kind: they change nothing.
      return progress;
  }
}

/** The progress of stored events: folded once when a run, a button or a refresh loads a session. */
export const foldEvents = (events: readonly BatonEvent[], from: SessionProgress = emptyProgress()): SessionProgress =>
  events.reduce(step, from);
