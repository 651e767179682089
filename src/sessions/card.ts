import type { ClaudeConnection } from '../domain/claude';
import type { Bot } from '../domain/bots';
import type { Session, StoredEvent } from '../domain/sessions';
import { buildSessionCard } from '../views/session-card';
import { reduceEvents, type SessionProgress } from './reduce';

/** "Agent: … · Environment: …": what the card says the session runs on (ids, since names may change). */
export function usesOf(connection: ClaudeConnection | undefined): string {
  if (!connection?.agentId) return 'Claude Agent (not connected yet)';
  const parts = [`Agent: ${connection.agentId}`];
  if (connection.environmentId) parts.push(`Environment: ${connection.environmentId}`);
  if (connection.vaultIds.length) parts.push(`Vaults: ${connection.vaultIds.length}`);
  return parts.join(' · ');
}

export function renderCard(
  session: Session,
  bot: Bot,
  connection: ClaudeConnection | undefined,
  events: StoredEvent[] | SessionProgress,
  note?: string,
) {
  const progress = Array.isArray(events) ? reduceEvents(events) : events;
  const followUps = Number(session.providerState.followUps ?? 0);
  const shown = note ?? (followUps > 0 ? `Follow-up sent to the running session (${followUps}).` : undefined);
  return buildSessionCard({ session, bot, uses: usesOf(connection), progress, ...(shown ? { note: shown } : {}) });
}
