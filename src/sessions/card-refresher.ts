import type { SessionRepository } from '../../models/sessions';
import type { BotStores } from '../bots/deps';
import type { SessionNotifier } from '../ports/sessions';
import type { SpendStore } from '../ports/settings';
import type { SessionChat } from '../ports/session-chat';
import { refreshCard } from './card';

/** Redraws a session's card when something it shows changed outside the run loop (e.g. `update_status`). */
export class CardRefresher implements SessionNotifier {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly stores: Pick<BotStores, 'bots'>,
    private readonly writer: SessionChat,
    private readonly spend: SpendStore,
  ) {}

  changed(sessionId: string): Promise<void> {
    const { sessions, stores, writer, spend } = this;
    return refreshCard({ sessions, stores, writer, spend }, sessionId);
  }
}
