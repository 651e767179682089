import type { JobRequest } from '../../jobs/definitions';
import { buildApprovalPrompt } from '../views/approval';
import type { SessionDeps } from './deps';
import { personaOf } from './persona';
import type { PendingConfirmation } from './reduce';
import type { RunContext } from './run-context';

/** The key of a step's approval prompt among the session's thread posts. */
export const approvalKey = (stepId: string): string => `confirm-${stepId}`;

/**
 * Approve / Deny buttons in the thread for a step that needs a person's yes: posted once per step (a resumed run
 * posts it only if it never went out), with one timeout that denies it if nobody answers.
 */
export async function postConfirmation(
  deps: SessionDeps,
  ctx: RunContext,
  pending: PendingConfirmation,
): Promise<void> {
  const { session, bot, team } = ctx;
  const key = approvalKey(pending.stepId);
  const thread = { team, sessionId: session.id, channel: session.channelId, threadTs: session.threadTs };
  await deps.writer.postMessages(thread, key, personaOf(bot), [buildApprovalPrompt(bot, session.id, pending)]);
  // Nobody answering means no: the timeout denies the step unless someone answered first. Its id is fixed, so a
  // replayed prompt does not start a second clock.
  const deny = { type: 'confirm' as const, toolUseId: pending.stepId, allow: false, isTimeout: true };
  const timeout: JobRequest<'control-session'> = {
    name: 'control-session',
    data: { v: 1, traceId: 'timeout', sessionId: session.id, userId: 'baton', action: deny },
    jobId: `timeout-${`${session.id}-${pending.stepId}`.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
    delayMs: deps.confirmTimeoutMs,
  };
  await deps.queue.enqueue(timeout);
}
