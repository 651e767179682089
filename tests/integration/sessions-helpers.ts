import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { SessionRepository } from '../../models/sessions';
import type { Session, SessionStatus } from '../../src/domain/sessions';
import type { Harness } from '../support/harness';
import { ANTHROPIC_KEY } from '../support/harness';
import { botsQuery } from './bots-helpers';

/** A Claude bot connected to an existing agent and environment on the fake Anthropic API, ready to run. */
export async function readyBot(h: Harness, name: string) {
  const q = botsQuery(h);
  const bot = await q.createClaudeBot(name);
  const [keyId] = await q.addKeys([[`key-${name}`, ANTHROPIC_KEY]]);
  const client = h.anthropicClient();
  const agent = await client.beta.agents.create({ name: `Agent ${name}`, model: 'claude-sonnet-4-6' });
  const environment = await client.beta.environments.create({ name: `env-${name}`, config: { type: 'cloud' } });
  await new ClaudeConnectionRepository(h.db.db).save(bot.id, {
    keyId: keyId!,
    mode: 'existing',
    agentId: agent.id,
    environmentId: environment.id,
  });
  return { bot, agent, environment };
}

export function sessionsQuery(h: Harness) {
  const sessions = new SessionRepository(h.db.db);
  return {
    forBot: (botId: string) => sessions.listForBot(botId, 50),
    events: (sessionId: string) => sessions.events(sessionId),
    postTs: (sessionId: string, postKey: string) => sessions.postTs(sessionId, postKey),
    async waitFor(botId: string, status: SessionStatus | SessionStatus[], timeoutMs = 15_000): Promise<Session> {
      const wanted = Array.isArray(status) ? status : [status];
      const deadline = Date.now() + timeoutMs;
      let last: Session | undefined;
      while (Date.now() < deadline) {
        [last] = await sessions.listForBot(botId, 1);
        if (last && wanted.includes(last.status)) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(
        `no session of ${botId} reached ${wanted.join('|')}; last: ${last?.status} ${last?.statusReason ?? ''}`,
      );
    },
  };
}
