import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { desc, like } from 'drizzle-orm';
import { AccessTokenRepository } from '../../models/access-tokens';
import { BotRepository } from '../../models/bots';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { auditLog, channelSettings } from '../../models/schema';
import { SessionRepository } from '../../models/sessions';
import type { Bot, ToolMode } from '../../src/domain/bots';
import type { Session, SessionStatus } from '../../src/domain/sessions';
import type { Harness } from '../support/harness';

export const TEAM = 'T0001';
export const CHANNEL = 'C0001';

export const baseUrl = (h: Harness) => `http://127.0.0.1:${h.baton.port}`;

/** Seeds bots, threads, sessions and tokens the way Baton stores them, through the same repositories. */
export function toolsFixture(h: Harness) {
  const { db } = h.db;
  const bots = new BotRepository(db);
  const sessions = new SessionRepository(db);
  const tokens = new AccessTokenRepository(db);
  const connections = new ClaudeConnectionRepository(db);
  return {
    bots,
    sessions,
    tokens,
    async bot(name: string, toolMode: ToolMode, icon: string | null = null): Promise<Bot> {
      const bot = await bots.create({
        teamId: TEAM,
        name,
        displayName: `${name} bot`,
        icon,
        type: 'claude',
        description: '',
        createdBy: 'U0001',
      });
      await bots.setToolAccess(bot.id, { toolMode, allowDirectApi: false });
      await bots.setStatus(bot.id, 'ready');
      return { ...bot, toolMode, status: 'ready' };
    },
    setGuidance: async (botId: string, bot: string, channel: string) => {
      await connections.save(botId, { guidance: bot });
      await db
        .insert(channelSettings)
        .values({ ownerId: TEAM, teamId: TEAM, channelId: CHANNEL, guidance: channel })
        .onConflictDoUpdate({
          target: [channelSettings.ownerId, channelSettings.channelId],
          set: { guidance: channel },
        });
    },
    /** A thread in the fake Slack: the first entry is the parent. Returns the parent's ts. */
    thread(messages: Array<[user: string, text: string]>, channel = CHANNEL): string {
      const [[user, text], ...replies] = messages as [[string, string], ...Array<[string, string]>];
      const parent = h.slack.seedMessage({ channel, user, text });
      for (const [u, t] of replies) h.slack.seedMessage({ channel, user: u, text: t, thread_ts: parent.ts });
      return parent.ts;
    },
    async session(bot: Bot, threadTs: string, status: SessionStatus = 'running', channel = CHANNEL): Promise<Session> {
      const session = await sessions.create({
        teamId: TEAM,
        botId: bot.id,
        channelId: channel,
        threadTs,
        trigger: 'mention',
        triggerTs: threadTs,
        requesterId: 'U0001',
        task: 'Fix the bug',
      });
      await sessions.update(session.id, { status });
      return { ...session, status };
    },
    async mcpToken(session: Session, bot: Bot): Promise<string> {
      const expiresAt = new Date(Date.now() + 60 * 60_000);
      const { token } = await tokens.create({
        kind: 'mcp',
        teamId: TEAM,
        botId: bot.id,
        sessionId: session.id,
        scope: bot.toolMode,
        expiresAt,
      });
      return token;
    },
    async apiToken(bot: Bot): Promise<{ token: string; id: string }> {
      const { token, record } = await tokens.create({
        kind: 'api',
        teamId: TEAM,
        botId: bot.id,
        scope: bot.toolMode,
        label: 'test',
        createdBy: 'U0001',
      });
      return { token, id: record.id };
    },
    audit: (actionPrefix: string) =>
      db
        .select()
        .from(auditLog)
        .where(like(auditLog.action, `${actionPrefix}%`))
        .orderBy(desc(auditLog.id)),
  };
}

/** The SDK's own MCP client on Baton's /mcp, with a bearer token. */
export async function mcpClient(h: Harness, token: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl(h)}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** The text of a tool result (Baton's tools answer with one text block). */
export function resultText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}
