import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { ChannelSettingsRepository } from '../../models/channel-settings';
import { GITHUB_MCP_SERVER } from '../../src/adapters/anthropic/github-mcp';
import { BATON_MCP_SERVER } from '../../src/adapters/anthropic/baton-mcp';
import { defaultBotSettings } from '../../src/domain/channel-settings';
import { ANTHROPIC_KEY } from '../support/harness';
import { managedBot, saveManaged } from './agent-tools-helpers';
import { ACTION } from '../../src/views/ids';
import type { Step } from '../fakes/managed-agents';
import { testRedisUrl } from '../support/redis';
import { appMention, blockActions } from '../support/slack-requests';
import { connectThroughBrowser, startGitHubHarness, type GitHubHarness } from './github-helpers';
import { readyBot, sessionsQuery } from './sessions-helpers';

const GITHUB_MCP_URL = 'https://api.githubcopilot.com/mcp/';
const MINUTE = 60_000;

let g: GitHubHarness;
let logs = '';
let clock = Date.now();
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  g = await startGitHubHarness({ LOG_LEVEL: 'debug' }, () => clock, sink);
});
afterAll(() => g.stop());
beforeEach(() => g.h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);
let thread = 0;

/** A Claude bot connected to GitHub (`acme`: api, web, secret) with `chosen` as its repositories. */
async function githubBot(name: string, chosen: Array<{ fullName: string; branch: string | null }>) {
  const { bot, agent } = await readyBot(g.h, name);
  const { installation } = await connectThroughBrowser(g, bot.id, `${name}-org`, ['api', 'web', 'secret']);
  await g.store.choose(
    bot.id,
    chosen.map((c) => ({ ...c, fullName: `${name}-org/${c.fullName}` })),
  );
  g.h.slack.reset();
  return { bot, agent, installation };
}

async function mention(name: string) {
  thread += 1;
  const root = g.h.slack.seedMessage({ text: 'Please fix the failing build', user: 'U0002' });
  await g.h.send.event(
    appMention({ text: `<@UBATON> ${name} fix it`, ts: `1700001${thread}.000100`, thread_ts: root.ts }),
  );
  return root;
}

/** Opens a pull request through GitHub's MCP server, but only after someone approves the call (a hold point). */
const openPullRequest: Step[] = [
  { modelRequestStart: true },
  {
    mcpToolUse: {
      server: GITHUB_MCP_SERVER,
      name: 'create_pull_request',
      input: { owner: 'coder-org', repo: 'api', title: 'Fix the build', head: 'fix-build', base: 'develop' },
      as: 'pr',
      permission: 'ask',
    },
  },
  { modelRequestEnd: true },
  { awaitConfirmation: 'pr' },
  { toolResult: 'pr', text: JSON.stringify({ id: '901', url: 'https://github.com/coder-org/api/pull/7' }) },
  { modelRequestStart: true },
  { message: 'I opened a pull request.' },
  { modelRequestEnd: true },
];

async function approveOnProvider(providerSessionId: string) {
  const use = g.h.anthropic.eventsOf(providerSessionId).find((e) => e.type === 'agent.mcp_tool_use');
  await g.h.anthropicClient().beta.sessions.events.send(providerSessionId, {
    events: [{ type: 'user.tool_confirmation', tool_use_id: use!.id, result: 'allow' }],
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every value Baton keeps in Redis under its prefix (job payloads, budgets, dedupe keys), as one string. */
async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis(testRedisUrl);
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'string') out.push(String(await redis.get(key)));
        else if (type === 'hash') out.push(text(await redis.hgetall(key)));
        else if (type === 'list') out.push(text(await redis.lrange(key, '0', '-1')));
        else if (type === 'set') out.push(text(await redis.smembers(key)));
        else if (type === 'zset') out.push(text(await redis.zrange(key, '0', '-1')));
        else if (type === 'stream') out.push(text(await redis.xrange(key, '-', '+')));
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out.join('\n');
}

describe('sessions of a bot connected to GitHub', () => {
  it('mounts exactly its repositories with a narrowed token, renews it, revokes it, and never shows it', async () => {
    const { bot, agent, installation } = await githubBot('coder', [
      { fullName: 'api', branch: 'develop' },
      { fullName: 'web', branch: null },
    ]);
    g.h.anthropic.defineScenario('open-pull-request', openPullRequest);
    g.h.anthropic.setScenario(agent.id, 'open-pull-request');
    const root = await mention('coder');

    const waiting = await sessionsQuery(g.h).waitFor(bot.id, 'awaiting_input');
    const providerSessionId = waiting.providerSessionId!;

    // One token, narrowed to exactly the two chosen repositories and the permissions sessions need.
    const [first, ...others] = g.github.tokensFor(installation.id).filter((t) => t.isNarrowed);
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      repositories: ['coder-org/api', 'coder-org/web'],
      permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
      revokedAt: null,
    });

    // Mounted as github_repository resources carrying that token, with the chosen branch.
    const resources = g.h.anthropic.state.sessionResources.get(providerSessionId) ?? [];
    expect(resources.map((r) => [r.resource.type, r.resource['url'], r.resource['checkout']])).toEqual([
      ['github_repository', `${g.github.url}/coder-org/api`, { type: 'branch', name: 'develop' }],
      ['github_repository', `${g.github.url}/coder-org/web`, null],
    ]);
    expect(resources.map((r) => r.authorizationToken)).toEqual([first!.token, first!.token]);

    // GitHub's MCP server is declared on the session's agent, and the session's own vault holds its credential.
    const created = g.h.anthropic.state.getSession(providerSessionId);
    expect(created.agent.mcp_servers).toContainEqual(
      expect.objectContaining({ name: GITHUB_MCP_SERVER, url: GITHUB_MCP_URL }),
    );
    const vaultId = waiting.providerState.vaultId!;
    expect(created.vault_ids).toContain(vaultId);
    const github = g.h.anthropic.state.findMcpCredential([vaultId], GITHUB_MCP_URL);
    expect(github?.secretAuth).toMatchObject({ type: 'static_bearer', token: first!.token });

    // The card lists the mounted repositories by name.
    const card = await g.h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes('Repositories:'));
    expect(text(card.args.blocks)).toContain('coder-org/api (develop)');
    expect(text(card.args.blocks)).toContain('coder-org/web');

    // 55 minutes on, the token is due: a new one goes into the repositories and the vault, the old one is revoked.
    clock += 55 * MINUTE;
    const second = await until('a renewed token', () =>
      g.github.tokensFor(installation.id).find((t) => t.isNarrowed && t.token !== first!.token),
    );
    expect(second.repositories).toEqual(first!.repositories);
    expect(second.permissions).toEqual(first!.permissions);
    await until('the old token revoked', () => first!.revokedAt !== null || undefined);
    expect(resources.map((r) => r.authorizationToken)).toEqual([second.token, second.token]);
    expect(g.h.anthropic.state.findMcpCredential([vaultId], GITHUB_MCP_URL)?.secretAuth['token']).toBe(second.token);

    await approveOnProvider(providerSessionId);
    const done = await sessionsQuery(g.h).waitFor(bot.id, 'done');

    // The pull request the session opened is a link on the final card.
    const final = await g.h.slack.waitFor(
      'chat.update',
      (c) => c.args.ts === done.cardTs && text(c.args.blocks).includes('Done'),
    );
    expect(text(final.args.blocks)).toContain('<https://github.com/coder-org/api/pull/7|');
    expect(text(final.args.blocks)).toContain('coder-org/api#7: Fix the build');

    // At the end every token of the session is revoked.
    expect(g.github.tokensFor(installation.id).filter((t) => t.isNarrowed && t.revokedAt === null)).toEqual([]);
    expect(await g.store.sessionToken(done.id)).toBeUndefined();

    // No token anywhere people, prompts, logs or jobs can see.
    const tokens = g.github.tokensFor(installation.id).map((t) => t.token);
    const places = {
      slack: text(g.h.slack.calls),
      prompt: text(g.h.anthropic.eventsOf(providerSessionId)),
      session: text(created),
      events: text(await sessionsQuery(g.h).events(done.id)),
      logs,
      redis: await redisDump(g.h.config.redisPrefix),
    };
    expect(places.slack).toContain(root.ts);
    expect(places.logs).toContain('session.github_token.renewed');
    expect(places.redis).toContain(done.id);
    for (const token of tokens) {
      for (const [where, seen] of Object.entries(places)) expect([where, seen.includes(token)]).toEqual([where, false]);
    }
  });

  it('tells the thread once which repository did not clone, with Reconnect GitHub for admins only', async () => {
    const { bot, agent } = await githubBot('cloner', [{ fullName: 'api', branch: null }]);
    g.h.anthropic.defineScenario('clone-failure', [
      {
        fail: {
          type: 'repository_not_found_error',
          repository_url: `${g.github.url}/cloner-org/api`,
          message: 'Repository not found',
        },
        retryStatus: 'retrying',
      },
      {
        fail: {
          type: 'repository_not_found_error',
          repository_url: `${g.github.url}/cloner-org/api`,
          message: 'Repository not found',
        },
        retryStatus: 'retrying',
      },
      { modelRequestStart: true },
      { message: 'I worked without the repository.' },
      { modelRequestEnd: true },
    ]);
    g.h.anthropic.setScenario(agent.id, 'clone-failure');
    await mention('cloner');

    const done = await sessionsQuery(g.h).waitFor(bot.id, 'done');
    await g.h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'I worked without the repository.');
    const notes = g.h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && text(c.args).includes('could not be mounted'),
    );
    expect(notes).toHaveLength(1);
    const note = notes[0]!;
    expect(String(note.args.text)).toContain('cloner-org/api could not be mounted');
    expect(String(note.args.text)).toContain("Choose the bot's repositories again");
    expect(text(note.args.blocks)).toContain(ACTION.reconnectGitHubFromThread);
    const final = await g.h.slack.waitFor(
      'chat.update',
      (c) => c.args.ts === done.cardTs && text(c.args.blocks).includes('Done'),
    );
    expect(text(final.args.blocks)).toContain('(not mounted)');

    const press = (user: string) =>
      g.h.send.interaction(
        blockActions({
          action_id: ACTION.reconnectGitHubFromThread,
          value: done.id,
          user,
          message: { thread_ts: done.threadTs },
        }),
      );
    await press('U0002');
    const refused = await g.h.slack.waitFor('response_url');
    expect(text(refused.args)).toContain('Ask an admin');
    expect(text(refused.args)).not.toContain('/github/install');
    g.h.slack.reset();
    await press('U0001');
    const link = await g.h.slack.waitFor('response_url', (c) => text(c.args).includes('/github/install?state='));
    expect(text(link.args)).toContain('Reconnect GitHub');
  });

  it('keeps a disconnected bot’s running session on its token until it ends, without renewing it', async () => {
    const { bot, agent, installation } = await githubBot('leaver', [{ fullName: 'api', branch: null }]);
    g.h.anthropic.setScenario(agent.id, 'open-pull-request');
    await mention('leaver');
    const waiting = await sessionsQuery(g.h).waitFor(bot.id, 'awaiting_input');
    const [token] = g.github.tokensFor(installation.id).filter((t) => t.isNarrowed);

    expect(await g.store.disconnect(bot.id)).toBe(true);
    clock += 55 * MINUTE;
    // Several checks pass (every 50 ms) and none renews.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(g.github.tokensFor(installation.id).filter((t) => t.isNarrowed)).toEqual([token]);
    expect(token!.revokedAt).toBeNull();

    await approveOnProvider(waiting.providerSessionId!);
    await sessionsQuery(g.h).waitFor(bot.id, 'done');
    expect(token!.revokedAt).not.toBeNull();
  });

  it('mounts nothing once GitHub says the app was uninstalled', async () => {
    const { bot, agent, installation } = await githubBot('gone', [{ fullName: 'api', branch: null }]);
    g.github.uninstall(installation.id);
    const delivery = g.github.signedDelivery('installation', {
      action: 'deleted',
      installation: { id: installation.id, account: { login: 'gone-org' } },
    });
    const response = await fetch(`http://127.0.0.1:${g.h.baton.port}/github/webhooks`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(await response.text()).toBe('ok');
    g.h.anthropic.setScenario(agent.id, 'plain', { text: 'Answered without code.' });
    await mention('gone');
    const done = await sessionsQuery(g.h).waitFor(bot.id, 'done');
    expect(g.h.anthropic.state.sessionResources.get(done.providerSessionId!) ?? []).toEqual([]);
    expect(g.github.tokensFor(installation.id).filter((t) => t.isNarrowed)).toEqual([]);
  });

  it('mounts only the channel’s choice when the channel overrides the bot’s repositories', async () => {
    const { bot, agent, installation } = await githubBot('chooser', [
      { fullName: 'api', branch: null },
      { fullName: 'web', branch: 'main' },
    ]);
    await new ChannelSettingsRepository(g.h.db.db).saveAll(
      { teamId: 'T0001', enterpriseId: null, channelId: 'C0001' },
      {},
      [{ ...defaultBotSettings(bot.id), repositoriesMode: 'override', repositories: ['chooser-org/web'] }],
    );
    g.h.anthropic.setScenario(agent.id, 'plain', { text: 'Only web.' });
    await mention('chooser');
    const done = await sessionsQuery(g.h).waitFor(bot.id, 'done');
    const resources = g.h.anthropic.state.sessionResources.get(done.providerSessionId!) ?? [];
    expect(resources.map((r) => r.resource['url'])).toEqual([`${g.github.url}/chooser-org/web`]);
    expect(
      g.github
        .tokensFor(installation.id)
        .filter((t) => t.isNarrowed)
        .map((t) => t.repositories),
    ).toEqual([['chooser-org/web']]);
  });

  it('gives a managed agent’s session GitHub’s MCP server beside Baton’s, for that session only', async () => {
    const { bot, keyId } = await managedBot(g.h, 'builder', ANTHROPIC_KEY);
    await saveManaged(g.h, bot.id, keyId, []);
    const { installation } = await connectThroughBrowser(g, bot.id, 'builder-org', ['api']);
    await g.store.choose(bot.id, [{ fullName: 'builder-org/api', branch: null }]);
    g.h.anthropic.setScenario('default', 'plain', { text: 'Built.' });
    await mention('builder');
    const done = await sessionsQuery(g.h).waitFor(bot.id, 'done');
    const session = g.h.anthropic.state.getSession(done.providerSessionId!);
    expect(session.agent.mcp_servers.map((s) => s.name).sort()).toEqual([BATON_MCP_SERVER, GITHUB_MCP_SERVER]);
    // The bot's stored agent is unchanged: GitHub's server comes with each session.
    expect(g.h.anthropic.state.getAgent(session.agent.id).mcp_servers.map((s) => s.name)).toEqual([BATON_MCP_SERVER]);
    const [token] = g.github.tokensFor(installation.id).filter((t) => t.isNarrowed);
    expect(token).toMatchObject({ repositories: ['builder-org/api'] });
    expect(token!.revokedAt).not.toBeNull();
  });

  it('fails readably, before any session is made, when GitHub refuses a token for a repository', async () => {
    const { bot, installation } = await githubBot('refused', [{ fullName: 'api', branch: null }]);
    // Removed on GitHub without Baton hearing of it (a lost webhook): the token request names a repository it lacks.
    g.github.removeRepository(installation.id, 'api');
    await mention('refused');
    const failed = await sessionsQuery(g.h).waitFor(bot.id, 'failed');
    expect(failed.providerSessionId).toBeNull();
    expect(failed.statusReason).toContain('GitHub refused a token for refused-org/api');
    const note = await g.h.slack.waitFor('chat.postMessage', (c) => String(c.args.text).includes('could not finish'));
    expect(String(note.args.text)).toContain('refused-org/api');
  });
});
