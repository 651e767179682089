import type { ModalView } from '@slack/types';
import type { ConnectionMode } from '../domain/claude';
import type { BotListItem } from '../views/bots-list';
import { buildConnectionModal, type ConnectionModalInput } from '../views/connection-modal';
import { githubSummary } from '../views/github-section';
import type { BotStores } from './deps';

/** The workspace's bots with what the list shows about their connection. */
export async function listBotItems(stores: BotStores, teamId: string): Promise<BotListItem[]> {
  const [bots, keys] = await Promise.all([stores.bots.list(teamId), stores.keys.list(teamId, 'anthropic')]);
  return Promise.all(
    bots.map(async (bot) => {
      const connection = bot.type === 'claude' ? await stores.connections.get(bot.id) : undefined;
      const github = bot.type === 'claude' ? githubSummary(await stores.github.get(bot.id)) : undefined;
      const key = keys.find((k) => k.id === connection?.keyId);
      const how =
        bot.type !== 'claude'
          ? 'Connection: not configured'
          : !connection
            ? 'Connection: not set up'
            : `${connection.mode === 'managed' ? 'Agent managed in Baton' : 'Existing agent'} · ` +
              (key ? `Key: ${key.label} (${key.hint})` : 'No key');
      return {
        ...bot,
        model: connection?.mode === 'managed' ? connection.model : null,
        connection: github ? `${how}\n${github}` : how,
      };
    }),
  );
}

export interface ConnectionViewOptions {
  selectedKeyId?: string | undefined;
  mode?: ConnectionMode | undefined;
  busy?: ConnectionModalInput['busy'];
  notice?: string;
}

/** Who is looking at a modal: Connect GitHub links are sealed for this admin. */
export interface Viewer {
  teamId: string;
  userId: string;
}

/** The Agent connection modal for a Claude bot, from what is stored plus the person's current choices. */
export async function connectionView(
  stores: BotStores,
  { teamId, userId }: Viewer,
  botId: string,
  options: ConnectionViewOptions = {},
): Promise<ModalView | undefined> {
  const bot = await stores.bots.get(teamId, botId);
  if (!bot) return undefined;
  const [connection, keys, github] = await Promise.all([
    stores.connections.get(bot.id),
    stores.keys.list(teamId, 'anthropic'),
    stores.github.get(bot.id),
  ]);
  return buildConnectionModal({
    bot,
    connection,
    keys,
    selectedKeyId: options.selectedKeyId ?? connection?.keyId ?? keys[0]?.id,
    mode: options.mode ?? connection?.mode ?? 'managed',
    github: {
      botId: bot.id,
      botName: bot.name,
      connection: github,
      connectLink: stores.githubLinks?.connect({ teamId, userId, botId: bot.id }),
    },
    ...(options.busy ? { busy: options.busy } : {}),
    ...(options.notice ? { notice: options.notice } : {}),
  });
}
