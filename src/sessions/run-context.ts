import type { Bot } from '../domain/bots';
import type { Session, StoredEvent } from '../domain/sessions';
import type { ProviderConnection } from '../ports/agent-provider';
import type { SessionSpendRecord } from '../ports/settings';
import type { SessionConfig } from './resolve-config';
import type { TeamRef } from '../ports/slack-clients';
import type { SessionDeps } from './deps';
import { emptyProgress, foldEvents, type SessionProgress } from './reduce';

/** Everything a run needs about its session, loaded once; `progress` is kept up to date event by event. */
export interface RunContext {
  session: Session;
  bot: Bot;
  team: TeamRef;
  progress: SessionProgress;
  /** Ids of every stored event, so a reopened stream skips them. */
  seen: Set<string>;
  lastEventId: string | null;
  /** The bot's provider connection, once opened. */
  provider?: ProviderConnection | undefined;
  /** The session's limit and spend, and the configuration it was admitted with (set before its card). */
  spend?: SessionSpendRecord | undefined;
  config?: SessionConfig | undefined;
}

/** Loads a session with its progress folded from the stored events that were handled; returns the rest too. */
export async function loadRun(
  deps: SessionDeps,
  sessionId: string,
): Promise<(RunContext & { unhandled: StoredEvent[] }) | undefined> {
  const session = await deps.sessions.get(sessionId);
  if (!session) return undefined;
  // A session's events and its last event number are stored together: at 0 it has none to read.
  const [bot, events] = await Promise.all([
    deps.stores.bots.get(session.teamId, session.botId),
    session.lastEventSeq > 0 ? deps.sessions.events(session.id) : [],
  ]);
  if (!bot) return undefined;
  const handled = events.filter((e) => e.seq <= session.handledSeq);
  return {
    session,
    bot,
    team: { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined },
    progress: foldEvents(handled, emptyProgress()),
    seen: new Set(events.map((e) => e.id)),
    lastEventId: events.at(-1)?.id ?? null,
    unhandled: events.filter((e) => e.seq > session.handledSeq),
  };
}

/** The bot's provider connection, or the sentence that says why it cannot run. */
export async function openProvider(deps: SessionDeps, ctx: Pick<RunContext, 'team' | 'bot'>) {
  const provider = deps.providers[ctx.bot.type];
  if (!provider) return { problem: `${ctx.bot.name} is not connected to an agent yet. Ask an admin to configure it.` };
  return provider.open(ctx.team.teamId, ctx.bot);
}
