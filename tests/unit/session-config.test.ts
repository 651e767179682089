import type { Bot } from '../../src/domain/bots';
import type { ClaudeConnection } from '../../src/domain/claude';
import type { ConfigSources } from '../../src/ports/settings';
import { loadSessionConfig } from '../../src/sessions/session-config';

const bot = {
  id: 'bot_1',
  teamId: 'T0001',
  name: 'helper',
  displayName: 'Helper',
  type: 'claude',
  toolMode: 'basic',
  sessionBudgetCents: null,
} as Bot;
const connection = {
  botId: bot.id,
  keyId: 'key_1',
  mode: 'managed',
  model: 'claude-sonnet-4-5',
  guidance: 'Cite sources.',
  skills: ['anthropic:xlsx'],
} as ClaudeConnection;

/** Sources that count their reads; guidance and tools come from the connection they are handed. */
function sources() {
  const reads: string[] = [];
  const read = <T>(what: string, value: T) => {
    reads.push(what);
    return Promise.resolve(value);
  };
  const config: ConfigSources = {
    bots: { get: () => read('bot', bot) },
    connections: { get: () => read('connection', connection) },
    guidance: { forBot: async (_bot, c) => c?.guidance ?? '' },
    keys: { get: () => read('key', { models: [{ id: 'claude-sonnet-4-5', displayName: 'Claude Sonnet 4.5' }] }) },
    channels: { get: () => read('channel', { defaultBotId: null, guidance: '', monthlyCapCents: null, bots: [] }) },
    workspace: { sessionBudgetCents: () => read('workspace', null) },
    repositories: { forBot: () => read('repositories', []) },
    tools: { forBot: async (_team, _bot, c) => ({ skills: c?.skills ?? [], mcpServers: [] }) },
  };
  return { config, reads };
}

describe('loadSessionConfig', () => {
  it("reads the bot's connection once for its guidance, tools and model, and no bot the caller already has", async () => {
    const { config, reads } = sources();
    const key = { teamId: 'T0001', enterpriseId: null, channelId: 'C0001' };
    const resolution = await loadSessionConfig(config, key, bot.id, bot);

    expect(resolution.ok && resolution.config).toMatchObject({
      guidance: { value: 'Cite sources.' },
      skills: { value: ['anthropic:xlsx'] },
      model: { value: { id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5' } },
    });
    expect(reads.sort()).toEqual(['channel', 'connection', 'key', 'repositories', 'workspace']);
  });
});
