import { isFinished } from '../domain/sessions';
import type { ProviderConnection } from '../ports/agent-provider';
import { refreshCard } from './card';
import type { SessionDeps } from './deps';
import { untrusted } from './thread-messages';

export interface FollowUpRequest {
  userId: string;
  text: string;
  /** What makes it unique in the session (the Slack message ts), so a retried delivery adds nothing. */
  key: string;
}

/** What the agent reads for a follow-up: who asked, and what they wrote, wrapped as untrusted content. */
export const followUpText = (userId: string, text: string): string =>
  untrusted(`Follow-up from <@${userId}> in the Slack thread:\n${text}`);

/**
 * Hands a person's follow-up to a live session: kept first, then sent at once when the provider session exists, or
 * by the run loop as soon as it does. Returns false when the session has already ended (start a new one instead).
 */
export async function requestFollowUp(
  deps: SessionDeps,
  sessionId: string,
  request: FollowUpRequest,
): Promise<boolean> {
  const session = await deps.sessions.get(sessionId);
  if (!session || isFinished(session.status)) return false;
  await deps.sessions.addFollowUp(sessionId, request);
  // Read again after storing: either this job or the run loop (which records the provider session before it
  // reads unsent follow-ups) sees both, and the claim makes sure only one of them sends.
  const latest = await deps.sessions.get(sessionId);
  if (!latest?.providerSessionId || isFinished(latest.status)) return true;
  const bot = await deps.stores.bots.get(latest.teamId, latest.botId);
  const provider = bot ? deps.providers[bot.type] : undefined;
  if (!bot || !provider) return true;
  const opened = await provider.open(latest.teamId, bot);
  if ('problem' in opened) return true;
  await sendFollowUps(deps, sessionId, opened);
  await refreshCard(deps, sessionId);
  return true;
}

/** Sends every follow-up not sent yet, oldest first, each at most once. */
export async function sendFollowUps(deps: SessionDeps, sessionId: string, provider: ProviderConnection): Promise<void> {
  const session = await deps.sessions.get(sessionId);
  if (!session?.providerSessionId) return;
  for (const followUp of await deps.sessions.unsentFollowUps(sessionId)) {
    if (!(await deps.sessions.claimFollowUp(sessionId, followUp.key))) continue;
    await provider.send(session.providerSessionId, followUpText(followUp.userId, followUp.text));
    await deps.sessions.countFollowUpAsked(sessionId);
  }
}
