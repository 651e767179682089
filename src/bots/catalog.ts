import type { ModalView } from '@slack/types';
import { nameOf } from '../adapters/cursor/cursor-api';
import type { ConnectionMode } from '../domain/claude';
import type { ProviderKey } from '../domain/provider-keys';
import type { BotListItem } from '../views/bots-list';
import { buildConnectionModal, type ConnectionModalInput } from '../views/connection-modal';
import { buildCursorConnectionModal } from '../views/cursor-connection-modal';
import { buildRuntimeConnectionModal, type TestResult } from '../views/runtime-connection-modal';
import { githubSummary } from '../views/github-section';
import type { BotStores } from './deps';

/** The workspace's bots with what the list shows about their connection. */
export async function listBotItems(stores: BotStores, teamId: string): Promise<BotListItem[]> {
  const [bots, keys, cursorKeys] = await Promise.all([
    stores.bots.listWithSessionCounts(teamId),
    stores.keys.list(teamId, 'anthropic'),
    stores.keys.list(teamId, 'cursor'),
  ]);
  return Promise.all(
    bots.map(async (bot) => {
      if (bot.type === 'cursor') return { ...bot, ...(await cursorItem(stores, bot.id, cursorKeys)) };
      if (bot.type === 'self_hosted') return { ...bot, ...(await runtimeItem(stores, bot.id)) };
      const connection = await stores.connections.get(bot.id);
      const github = githubSummary(await stores.github.get(bot.id));
      const key = keys.find((k) => k.id === connection?.keyId);
      const how = !connection
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

async function cursorItem(stores: BotStores, botId: string, keys: ProviderKey[]) {
  const connection = await stores.cursor.get(botId);
  const key = keys.find((k) => k.id === connection?.keyId);
  if (!connection) return { model: null, connection: 'Connection: not set up' };
  const repo = connection.repository ? `Repository: ${nameOf(connection.repository)}` : 'No repository';
  return { model: connection.model, connection: `${repo} · ${key ? `Key: ${key.label} (${key.hint})` : 'No key'}` };
}

async function runtimeItem(stores: BotStores, botId: string) {
  const connection = await stores.selfHosted.get(botId);
  if (!connection) return { model: null, connection: 'Connection: not set up' };
  const host = new URL(connection.url).host;
  return { model: null, connection: `Runtime: ${host}${connection.disabledAt ? ' (deliveries stopped)' : ''}` };
}

export interface ConnectionViewOptions {
  selectedKeyId?: string | undefined;
  mode?: ConnectionMode | undefined;
  busy?: ConnectionModalInput['busy'];
  notice?: string;
  /** Self-hosted: a secret made just now (shown once), and the test event's progress or answer. */
  newSecret?: string | undefined;
  test?: TestResult | undefined;
  /** Self-hosted: Baton's API base, where the runtime calls back. */
  apiUrl?: string;
}

/** Who is looking at a modal: Connect GitHub links are sealed for this admin. */
export interface Viewer {
  teamId: string;
  userId: string;
}

const DELIVERIES_SHOWN = 10;

/** The Agent connection modal of a bot of any type, from what is stored plus the person's current choices. */
export async function connectionView(
  stores: BotStores,
  { teamId, userId }: Viewer,
  botId: string,
  options: ConnectionViewOptions = {},
): Promise<ModalView | undefined> {
  const bot = await stores.bots.get(teamId, botId);
  if (!bot) return undefined;
  if (bot.type === 'cursor') {
    const [connection, keys] = await Promise.all([stores.cursor.get(bot.id), stores.keys.list(teamId, 'cursor')]);
    return buildCursorConnectionModal({
      bot,
      connection,
      keys,
      selectedKeyId: options.selectedKeyId ?? connection?.keyId ?? keys[0]?.id,
      busy: options.busy === 'validating' ? 'validating' : undefined,
      notice: options.notice,
    });
  }
  if (bot.type === 'self_hosted') {
    const [connection, deliveries] = await Promise.all([
      stores.selfHosted.get(bot.id),
      stores.deliveries.listForBot(bot.id, DELIVERIES_SHOWN),
    ]);
    return buildRuntimeConnectionModal({
      bot,
      connection,
      deliveries,
      newSecret: options.newSecret,
      test: options.test,
      apiUrl: options.apiUrl ?? '',
    });
  }
  const [connection, keys, github, skills, mcpServers] = await Promise.all([
    stores.connections.get(bot.id),
    stores.keys.list(teamId, 'anthropic'),
    stores.github.get(bot.id),
    stores.skills.list(teamId),
    stores.mcpServers.list(bot.id),
  ]);
  return buildConnectionModal({
    bot,
    connection,
    keys,
    skills,
    mcpServers,
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
