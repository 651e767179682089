import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { SessionNotifier } from '../ports/sessions';
import type { SessionChat } from '../ports/session-chat';
import { refreshCard } from './card';

/** Redraws a session's card when something it shows changed outside the run loop (e.g. `update_status`). */
export class CardRefresher implements SessionNotifier {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly stores: Pick<BotStores, 'bots'>,
    private readonly writer: SessionChat,
  ) {}

  changed(sessionId: string): Promise<void> {
    return refreshCard({ sessions: this.sessions, stores: this.stores, writer: this.writer }, sessionId);
  }
}
