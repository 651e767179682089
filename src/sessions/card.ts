import { BOT_TYPE_LABEL, type Bot } from '../domain/bots';
import { isFinished, type Session } from '../domain/sessions';
import type { SessionSpendRecord } from '../ports/settings';
import type { TeamRef } from '../ports/slack-clients';
import type { LazyCard } from '../ports/session-chat';
import { buildSessionCard, liveStatus } from '../views/session-card';
import { type SessionProgress } from './reduce';
import { storedProgress } from './stored-progress';
import type { SessionDeps } from './deps';
import { parseConfigSnapshot } from './config-snapshot';
import { runsWithLine } from './describe-config';

/**
 * The card from what is known: the session, its progress, and (once resolved) the configuration it runs with and
 * its spending limit, from `spend`.
 */
export function renderCard(
  session: Session,
  bot: Bot,
  progress: SessionProgress,
  spend?: SessionSpendRecord,
  note?: string,
) {
  // What the session runs on, by name, as the provider described it when it started.
  const uses = session.providerState.uses ?? BOT_TYPE_LABEL[bot.type];
  const followUps = session.followUpsAsked;
  const shown = note ?? (followUps > 0 ? `Follow-up sent to the running session (${followUps}).` : undefined);
  const config = spend ? parseConfigSnapshot(spend.config) : undefined;
  const repositories = session.providerState.repositories?.split(', ').filter(Boolean);
  return buildSessionCard({
    session,
    bot,
    uses,
    progress,
    ...(repositories?.length ? { repositories } : {}),
    ...(shown ? { note: shown } : {}),
    ...(config ? { runsWith: runsWithLine(config) } : {}),
    ...(spend && config
      ? {
          budget: {
            limitCents: spend.limitCents,
            costUsd: progress.usage.costUsd,
            continueCents: config.budgetCents.value,
          },
        }
      : {}),
  });
}

/** The card `renderCard` draws, drawn only if the writer sends this state (its status line is known at once). */
export function lazyCard(session: Session, bot: Bot, progress: SessionProgress, spend?: SessionSpendRecord): LazyCard {
  return { status: liveStatus(session, bot, progress), draw: () => renderCard(session, bot, progress, spend) };
}

/**
 * Redraws a session's card from what is stored, for changes made outside the run loop (a follow-up, the agent's
 * own status). Reads only the events stored since the last redraw.
 */
export async function refreshCard(
  deps: Pick<SessionDeps, 'sessions' | 'writer' | 'spend'> & { stores: Pick<SessionDeps['stores'], 'bots'> },
  sessionId: string,
): Promise<void> {
  const session = await deps.sessions.get(sessionId);
  if (!session?.cardTs) return;
  const bot = await deps.stores.bots.get(session.teamId, session.botId);
  if (!bot) return;
  const progress = await storedProgress(deps.sessions, session.id);
  const team: TeamRef = { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined };
  const card = lazyCard(session, bot, progress, await deps.spend.get(session.id));
  await deps.writer.updateCard(team, session.channelId, session.cardTs, card, isFinished(session.status));
}
