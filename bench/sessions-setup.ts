import Anthropic from '@anthropic-ai/sdk';
import type { Installation } from '@slack/bolt';
import { BotRepository } from '../models/bots';
import { ClaudeConnectionRepository } from '../models/claude-connections';
import type { DatabaseHandle } from '../models/database';
import { DbInstallationStore } from '../models/installation-store';
import { ProviderKeyRepository } from '../models/provider-keys';
import { Secrets } from '../src/crypto/secrets';
import type { ScenarioDefinition, Step } from '../tests/fakes/managed-agents';
import { SLACK_DEFAULTS } from '../tests/fakes/slack/ids';
import { ANSWER_TEXT } from './sessions-metrics';
import type { SessionsSettings } from './settings';
import { ANTHROPIC_KEY } from '../tests/support/harness';

/** A key the fake Managed Agents API accepts (same shape as the tests' key). */
/** The fake Anthropic API's valid key, the same one the tests use. */
export const BENCH_ANTHROPIC_KEY = ANTHROPIC_KEY;
export const BOT_NAME = 'bench';
export const SCENARIO = 'bench-steady';

export interface Workspace {
  teamId: string;
  token: string;
  botId: string;
}

/** T0001 … T0010, each with its own bot token, so the fake Slack counts each workspace's calls on their own. */
export function workspacesOf(count: number): Workspace[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { teamId: `T${n}`, token: `xoxb-bench-${n}`, botId: `B${n}` };
  });
}

/** Tool use and tool result in turn, `eventsPerSecond` of them for `seconds`, then the final answer. */
export function steadyScenario({ eventsPerSecond, seconds }: SessionsSettings): ScenarioDefinition {
  const delayMs = 1000 / eventsPerSecond;
  const steps: Step[] = [{ modelRequestStart: true }];
  for (let i = 0; i < Math.round((eventsPerSecond * seconds) / 2); i++) {
    steps.push(
      { toolUse: { name: 'bash', input: { command: `echo ${i}` }, as: `t${i}` } },
      { delayMs },
      { toolResult: `t${i}`, text: `${i}` },
      { delayMs },
    );
  }
  steps.push({ modelRequestEnd: true }, { modelRequestStart: true }, { message: ANSWER_TEXT });
  return steps;
}

function installationOf(w: Workspace): Installation<'v2', false> {
  return {
    team: { id: w.teamId, name: `Bench ${w.teamId}` },
    enterprise: undefined,
    isEnterpriseInstall: false,
    appId: SLACK_DEFAULTS.appId,
    user: { id: SLACK_DEFAULTS.userId, token: undefined, scopes: undefined },
    bot: { id: w.botId, userId: SLACK_DEFAULTS.botUserId, token: w.token, scopes: ['chat:write'] },
    tokenType: 'bot',
  };
}

/**
 * What an admin would have done in each workspace before the run: install Baton, create one Claude bot, save an
 * Anthropic key and connect the bot to an existing agent and environment (as tests/integration/sessions-helpers.ts).
 */
export async function seedWorkspaces(
  open: () => Promise<DatabaseHandle>,
  encryptionKey: string,
  anthropicUrl: string,
  workspaces: readonly Workspace[],
): Promise<string[]> {
  const handle = await open();
  try {
    const secrets = new Secrets(Buffer.from(encryptionKey, 'base64'));
    const installations = new DbInstallationStore(handle.db, secrets);
    const bots = new BotRepository(handle.db);
    const keys = new ProviderKeyRepository(handle.db, secrets);
    const connections = new ClaudeConnectionRepository(handle.db);
    const botIds: string[] = [];
    const client = new Anthropic({ apiKey: BENCH_ANTHROPIC_KEY, baseURL: anthropicUrl, maxRetries: 0 });
    for (const w of workspaces) {
      await installations.storeInstallation(installationOf(w));
      const bot = await bots.create({
        teamId: w.teamId,
        name: BOT_NAME,
        displayName: 'Bench',
        icon: null,
        type: 'claude',
        description: '',
        createdBy: SLACK_DEFAULTS.userId,
      });
      const key = await keys.create({
        teamId: w.teamId,
        provider: 'anthropic',
        label: 'bench',
        secret: BENCH_ANTHROPIC_KEY,
        createdBy: SLACK_DEFAULTS.userId,
      });
      const agent = await client.beta.agents.create({ name: `Agent ${w.teamId}`, model: 'claude-sonnet-4-6' });
      const environment = await client.beta.environments.create({
        name: `env-${w.teamId}`,
        config: { type: 'cloud' },
      });
      await connections.save(bot.id, {
        keyId: key.id,
        mode: 'existing',
        agentId: agent.id,
        environmentId: environment.id,
      });
      botIds.push(bot.id);
    }
    return botIds;
  } finally {
    await handle.close();
  }
}
