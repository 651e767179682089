import type { BatonEvent, EventErrorKind, TurnEndReason } from '../../domain/events';
import type { CursorErrorCode } from './errors';
import type { CursorRun, CursorStreamEvent } from './types';

/** Baton's id for a Cursor event: stream ids are per run, so the run id goes in front. */
export const eventId = (runId: string, suffix: string): string => `${runId}:${suffix}`;

const ERROR_KIND: Partial<Record<CursorErrorCode | string, EventErrorKind>> = {
  plan_required: 'plan_required',
  repository_access: 'repository',
  integration_not_connected: 'repository',
  usage_limit_exceeded: 'usage_limit',
  rate_limit_exceeded: 'rate_limited',
};

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** "read_file" → "Read file": a name people read on the card. */
const stepName = (name: string): string => {
  const spaced = name.replace(/[_-]+/g, ' ').trim();
  return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : 'Tool';
};

/** One stream event as Baton events (none for heartbeats, thinking and status changes). */
export function fromStreamEvent(runId: string, e: CursorStreamEvent, repository: string | null): BatonEvent[] {
  const id = eventId(runId, e.id);
  const raw = { event: e.event, ...e.data };
  switch (e.event) {
    case 'assistant': {
      const text = str(e.data.text);
      return text ? [{ id, raw, kind: 'message', text }] : [];
    }
    case 'tool_call': {
      const stepId = str(e.data.callId) || str(e.data.id) || e.id;
      const status = str(e.data.status);
      if (status === 'completed' || status === 'error') {
        return [{ id, raw, kind: 'step_finished', stepId, isError: status === 'error', summary: str(e.data.summary) }];
      }
      return [
        {
          id,
          raw,
          kind: 'step_started',
          stepId,
          name: stepName(str(e.data.name)),
          summary: str(e.data.summary) || str(e.data.args),
          server: null,
          needsApproval: false,
        },
      ];
    }
    case 'error': {
      const code = str(e.data.code);
      return [
        {
          id,
          raw,
          kind: 'error',
          errorKind: ERROR_KIND[code] ?? 'provider',
          message: str(e.data.message) || `Cursor reported an error (${code || 'unknown'}).`,
          server: null,
          repository: ERROR_KIND[code] === 'repository' ? repository : null,
        },
      ];
    }
    default:
      return [];
  }
}

const REASON: Record<CursorRun['status'], TurnEndReason> = {
  CREATING: 'end_turn',
  RUNNING: 'end_turn',
  FINISHED: 'end_turn',
  CANCELLED: 'interrupted',
  ERROR: 'error',
  EXPIRED: 'error',
};

/** What an ended run leaves: its branch and pull request, then the end of the turn with the summary. */
export function fromEndedRun(run: CursorRun, hasStreamError: boolean, repository: string | null): BatonEvent[] {
  const raw = { run } as Record<string, unknown>;
  const events: BatonEvent[] = [];
  for (const [i, b] of (run.git?.branches ?? []).entries()) {
    if (b.branch) {
      const url = `${b.repoUrl.replace(/\.git$/, '')}/tree/${encodeURIComponent(b.branch)}`;
      events.push({ id: eventId(run.id, `branch-${i}`), raw, kind: 'artifact', type: 'branch', name: b.branch, url });
    }
    if (b.prUrl) {
      const name = `Pull request ${b.prUrl.split('/').pop() ?? ''}`.trim();
      events.push({ id: eventId(run.id, `pr-${i}`), raw, kind: 'artifact', type: 'pull_request', name, url: b.prUrl });
    }
  }
  if ((run.status === 'ERROR' || run.status === 'EXPIRED') && !hasStreamError) {
    const code = run.error?.code ?? '';
    events.push({
      id: eventId(run.id, 'error'),
      raw,
      kind: 'error',
      errorKind: ERROR_KIND[code] ?? 'provider',
      message: run.error?.message ?? (run.status === 'EXPIRED' ? 'The Cursor run expired.' : 'The Cursor run failed.'),
      server: null,
      repository: ERROR_KIND[code] === 'repository' ? repository : null,
    });
  }
  events.push({
    id: eventId(run.id, 'end'),
    raw,
    kind: 'turn_ended',
    reason: REASON[run.status],
    answer: run.status === 'FINISHED' ? (run.result ?? null) : null,
  });
  return events;
}
