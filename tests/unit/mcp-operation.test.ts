import { WebClient } from '@slack/web-api';
import type { Bot } from '../../src/domain/bots';
import type { Session } from '../../src/domain/sessions';
import { createLogger } from '../../src/log';
import type { Caller } from '../../src/mcp/caller';
import type { ToolDeps } from '../../src/mcp/deps';
import { KnownNames } from '../../src/sessions/thread-messages';
import { ToolError } from '../../src/mcp/errors';
import { defineOperation, runOperation } from '../../src/mcp/operation';
import type { AuditEntryInput } from '../../src/ports/storage';
import { MCP_TOOLS } from '../../src/mcp/tools';
import { FakeSessionChat } from '../fakes/session-chat';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import { z } from 'zod';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

const bot = { id: 'bot_1', name: 'helper', displayName: 'Helper', icon: null, toolMode: 'basic' } as Bot;
const session = {
  id: 'ses_1',
  teamId: 'T0001',
  channelId: 'C0001',
  threadTs: '1700000000.000100',
  triggerTs: '1700000000.000100',
  agentStatus: null,
  status: 'running',
} as Session;

function fakes(limit = 60) {
  const audit: AuditEntryInput[] = [];
  const changed: string[] = [];
  const statuses: string[] = [];
  let hits = 0;
  const client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  const chat = new FakeSessionChat();
  const deps = {
    slack: { forTeam: async () => client },
    names: new KnownNames(),
    writer: chat,
    sessions: { setAgentStatus: async (_id: string, status: string) => void statuses.push(status) },
    notifier: { changed: async (id: string) => void changed.push(id) },
    limiter: { limit, windowMs: 60_000, hit: async () => ({ isAllowed: ++hits <= limit, retryAfterS: 42 }) },
    audit: { record: async (entry: AuditEntryInput) => void audit.push(entry) },
    log: createLogger('silent'),
  } as unknown as ToolDeps;
  const caller: Caller = {
    tokenId: 'mtk_1',
    kind: 'mcp',
    team: { teamId: 'T0001' },
    bot,
    scope: 'basic',
    session,
    onBehalfOf: 'U0001',
  };
  return { deps, caller, audit, changed, statuses, chat };
}

function tool(name: string) {
  const found = MCP_TOOLS.find((t) => t.op.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found.op;
}

describe('runOperation', () => {
  it('update_status stores, reacts on the trigger message, and tells the card', async () => {
    const { deps, caller, changed, statuses, audit, chat } = fakes();
    await runOperation(deps, caller, tool('update_status'), { status: 'blocked', reason: 'Need access' });
    expect(statuses).toEqual(['blocked']);
    expect(changed).toEqual(['ses_1']);
    expect(chat.reactions.get(`C0001 ${session.triggerTs}`)?.size).toBe(1);
    expect(audit[0]).toMatchObject({
      action: 'mcp.update_status',
      details: expect.objectContaining({ outcome: 'ok' }),
    });
  });

  it('refuses past the limit with the retry time, before any work', async () => {
    const { deps, caller, audit, statuses } = fakes(0);
    const call = runOperation(deps, caller, tool('update_status'), { status: 'done' });
    await expect(call).rejects.toThrow('Try again in 42 seconds.');
    await expect(call).rejects.toMatchObject({ code: 'rate_limited', retryAfterS: 42 });
    expect(statuses).toEqual([]);
    expect(audit.map((a) => a.details?.outcome)).toEqual(['rate_limited']);
  });

  it('post_message in Full mode writes through the SessionChat as the bot, not with a Slack client of its own', async () => {
    const { deps, caller, chat } = fakes();
    const full: Caller = { ...caller, scope: 'full', bot: { ...bot, toolMode: 'full' } };
    const posted = slack.callsTo('chat.postMessage').length;
    const result = await runOperation(deps, full, tool('post_message'), { channel: 'C0001', text: '**Shipped**' });
    expect(chat.messages).toEqual([
      expect.objectContaining({ channel: 'C0001', threadTs: '', username: 'Helper', text: expect.any(String) }),
    ]);
    expect(result.data).toMatchObject({ ok: true, channel: 'C0001', ts: chat.messages[0]?.ts });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(posted);
  });

  it('hides internal failures behind a reference and logs them', async () => {
    const { deps, caller, audit } = fakes();
    const broken = defineOperation({
      name: 'broken',
      mode: 'basic',
      input: z.object({}),
      run: async () => {
        throw new Error('password=hunter2 leaked in a driver error');
      },
    });
    const failure = await runOperation(deps, caller, broken, {}).catch((error: Error) => error);
    expect(failure).not.toBeInstanceOf(ToolError);
    expect((failure as Error).message).toMatch(/^Something went wrong in Baton \(ref [0-9a-f]{12}\)\.$/);
    expect(audit[0]?.details).toMatchObject({ outcome: 'failed', traceId: expect.any(String) });
  });
});
