import type { Bot } from '../domain/bots';
import type { Persona } from '../ports/session-chat';

/** How a bot appears in Slack: its display name and icon on every message (chat:write.customize). */
export function personaOf(bot: Pick<Bot, 'displayName' | 'icon'>): Persona {
  const icon = bot.icon ?? undefined;
  return {
    username: bot.displayName,
    iconEmoji: icon?.startsWith(':') ? icon : undefined,
    iconUrl: icon?.startsWith('https://') ? icon : undefined,
  };
}
