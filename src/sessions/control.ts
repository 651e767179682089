import { createRunSessionJob, type ControlSession } from '../../jobs/definitions';
import { isFinished, type Session } from '../domain/sessions';
import { isProblem } from '../ports/agent-provider';
import { buildApprovalVerdict } from '../views/approval';
import { refreshCard } from './card';
import { approvalKey } from './confirmations';
import type { SessionDeps } from './deps';
import { requestFollowUp } from './follow-ups';
import { finishSession } from './finish';
import { storedProgress } from './stored-progress';
import { loadRun, openProvider } from './run-context';

/** Stop, Approve/Deny (or the timeout's deny), and follow-ups, sent to the running provider session. */
export async function controlSession(deps: SessionDeps, job: ControlSession): Promise<void> {
  const session = await deps.sessions.get(job.sessionId);
  if (!session || isFinished(session.status)) return;
  const { action } = job;

  if (action.type === 'follow_up') {
    await requestFollowUp(deps, session.id, { userId: job.userId, text: action.text, key: action.messageTs });
    return;
  }
  const bot = await deps.stores.bots.get(session.teamId, session.botId);
  if (!bot) return;
  const team = { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined };

  if (action.type === 'raise_budget') {
    // Raised once from what the presser saw: a second press or a retried job finds it raised and only re-applies it.
    const limitCents = await deps.spend.raiseLimit(session.id, action.fromCents, action.byCents);
    if (limitCents === null) return;
    if (session.providerSessionId) {
      const opened = await openProvider(deps, { team, bot });
      if (!isProblem(opened)) await opened.setBudget?.(session.providerSessionId, limitCents);
    }
    await deps.stores.audit.record({
      teamId: session.teamId,
      actorId: job.userId,
      action: 'session.budget_raised',
      target: session.id,
      details: { before: { limitCents: action.fromCents }, after: { limitCents } },
    });
    await refreshCard(deps, session.id);
    return;
  }
  if (action.type === 'stop') {
    // Before the provider session exists the run loop sees the request and creates nothing (or interrupts at once).
    await deps.sessions.update(session.id, { isStopRequested: true });
    if (!session.providerSessionId) return stopBeforeRun(deps, session, job.traceId);
    const opened = await openProvider(deps, { team, bot });
    if (!isProblem(opened)) await opened.interrupt(session.providerSessionId);
    return;
  }
  if (!session.providerSessionId) return;
  const opened = await openProvider(deps, { team, bot });
  if (isProblem(opened)) return;

  const { pending } = await storedProgress(deps.sessions, session.id);
  if (!pending.some((p) => p.stepId === action.toolUseId)) return;
  const verdict = action.isTimeout
    ? 'Denied: nobody answered in time.'
    : `${action.allow ? 'Approved' : 'Denied'} by <@${job.userId}>.`;
  await opened.confirmTool(
    session.providerSessionId,
    action.toolUseId,
    action.allow,
    action.allow
      ? undefined
      : action.isTimeout
        ? 'No one approved this in time.'
        : 'A person in the Slack thread denied this.',
  );
  // Who answered, for the session page (the provider's event only says allowed or denied).
  await deps.stores.audit.record({
    teamId: session.teamId,
    actorId: job.userId,
    action: action.allow ? 'session.tool_approved' : 'session.tool_denied',
    target: session.id,
    details: { stepId: action.toolUseId, isTimeout: action.isTimeout },
  });
  const thread = { team, sessionId: session.id, channel: session.channelId, threadTs: session.threadTs };
  await deps.writer.updatePost(thread, approvalKey(action.toolUseId), buildApprovalVerdict(bot, verdict));
  await refreshCard(deps, session.id);
}

/**
 * Stop before the provider session exists. A run that has started sees the request and creates nothing; one still
 * waiting for a slot (its card says Queued) is taken out of the queue, and the session ends here and now.
 */
async function stopBeforeRun(deps: SessionDeps, session: Session, traceId: string): Promise<void> {
  if (!(await deps.queue.cancel(createRunSessionJob(session, traceId)))) return;
  const ctx = await loadRun(deps, session.id);
  if (ctx) await finishSession(deps, ctx);
}
