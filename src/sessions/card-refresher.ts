import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { SessionNotifier } from '../ports/sessions';
import type { ThreadWriter } from '../ports/thread-writer';
import { renderCard } from './card';

/** Redraws a session's card when something it shows changed outside the run loop (e.g. `update_status`). */
export class CardRefresher implements SessionNotifier {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly stores: Pick<BotStores, 'bots' | 'connections'>,
    private readonly writer: ThreadWriter,
  ) {}

  async changed(sessionId: string): Promise<void> {
    const session = await this.sessions.get(sessionId);
    if (!session?.cardTs) return;
    const bot = await this.stores.bots.get(session.teamId, session.botId);
    if (!bot) return;
    const [connection, events] = await Promise.all([
      this.stores.connections.get(bot.id),
      this.sessions.events(session.id),
    ]);
    const team = { teamId: session.teamId, enterpriseId: session.enterpriseId ?? undefined };
    const isFinal = ['done', 'failed', 'stopped'].includes(session.status);
    await this.writer.updateCard(
      team,
      session.channelId,
      session.cardTs,
      renderCard(session, bot, connection, events),
      isFinal,
    );
  }
}
