import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { startFakeMcpOAuthServer, type FakeMcpOAuthServer } from '../fakes/mcp-oauth-server';
import { ANTHROPIC_KEY, startHarness, type Harness } from '../support/harness';
import {
  appMention,
  blockActions,
  selectedOption,
  textInput,
  viewPayload,
  viewSubmission,
} from '../support/slack-requests';
import { botsQuery } from './bots-helpers';
import { json, managedBot, modalText, openConnection, saveManaged } from './agent-tools-helpers';
import { sessionsQuery } from './sessions-helpers';

const BEARER = 'bearer-7c1e5a0d-never-shown-again';
const NEW_BEARER = 'bearer-9f33b2aa-replaced-token';

let h: Harness;
let as: FakeMcpOAuthServer;
let logs = '';
let botId = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  as = await startFakeMcpOAuthServer();
  const port = await freePort();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  h = await startHarness({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'debug' }, {}, sink);
  const { bot, keyId } = await managedBot(h, 'helper', ANTHROPIC_KEY);
  botId = bot.id;
  await saveManaged(h, bot.id, keyId, []);
});
afterAll(async () => {
  await h.stop();
  await as.close();
});
beforeEach(() => h.slack.reset());

const connectionMeta = () => json({ botId });
const vaultId = async () => (await botsQuery(h).connection(botId))!.batonVaultId!;
const agent = async () => h.anthropic.agents.get((await botsQuery(h).connection(botId))!.agentId!)!;
const credentialFor = async (url: string) =>
  h.anthropic
    .credentialsOf(await vaultId())
    .filter(
      (c) => !c.credential.archived_at && 'mcp_server_url' in c.secretAuth && c.secretAuth['mcp_server_url'] === url,
    );
const servers = async () =>
  (await h.db.db.execute(sql`select * from mcp_servers`)) as unknown as { rows?: Array<Record<string, unknown>> };

async function submitServer(
  fields: { name: string; url: string; auth: string; token?: string; trusted?: boolean },
  meta: object = {},
) {
  return h.send.interaction(
    viewSubmission({
      callback_id: VIEW.mcpServer,
      private_metadata: json({ botId, ...meta }),
      values: {
        [INPUT.mcpName]: { [VALUE]: textInput(fields.name) },
        [INPUT.mcpUrl]: { [VALUE]: textInput(fields.url) },
        [INPUT.mcpAuth]: { [VALUE]: selectedOption(fields.auth, fields.auth, 'radio_buttons') },
        [INPUT.mcpToken]: { [VALUE]: textInput(fields.token ?? null) },
        [INPUT.mcpTrusted]: {
          [VALUE]: { type: 'checkboxes', selected_options: fields.trusted ? [{ value: 'trusted' }] : [] },
        },
      },
    }),
  );
}

const serverId = async (name: string) =>
  (await h.db.db.execute(sql`select id from mcp_servers where name = ${name}`)) as unknown as {
    rows: Array<{ id: string }>;
  };

/** Follows Baton's sign-in link like a browser: each redirect by hand, approving at the authorization server. */
async function signInThroughBrowser(link: string): Promise<{ status: number; page: string; callback: string }> {
  let url = link;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (!location) return { status: response.status, page: await response.text(), callback: url };
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}

describe('custom MCP servers of a managed bot', () => {
  it('adds servers with each auth mode, declares them on the agent and keeps the bearer token only in the vault', async () => {
    const view = await openConnection(h, botId);
    expect(modalText(await h.slack.waitFor('views.push'))).toContain('Add MCP');
    await h.send.interaction(blockActions({ action_id: ACTION.addMcp, value: botId, view }));
    expect(modalText(await h.slack.waitFor('views.push', (c) => modalText(c).includes(VIEW.mcpServer)))).toContain(
      'Bearer token',
    );

    const bad = await submitServer({ name: 'baton', url: 'http://mcp.example.com/mcp', auth: 'bearer' });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: {
        [INPUT.mcpName]: expect.stringContaining('taken'),
        [INPUT.mcpUrl]: expect.stringContaining('https'),
        [INPUT.mcpToken]: expect.any(String),
      },
    });

    const parent = { parentViewId: view.id };
    expect(
      (await submitServer({ name: 'docs', url: 'https://docs.example.com/mcp', auth: 'none' }, parent)).status,
    ).toBe(200);
    await submitServer(
      { name: 'linear', url: 'https://mcp.linear.example/mcp', auth: 'bearer', token: BEARER, trusted: true },
      parent,
    );
    await submitServer({ name: 'notion', url: as.mcpUrl, auth: 'oauth' }, parent);
    await botsQuery(h).waitForStatus(botId, 'ready');
    await waitUntil(async () => (await credentialFor('https://mcp.linear.example/mcp')).length === 1);

    const declared = await agent();
    expect(declared.mcp_servers.map((s) => s.name)).toEqual(['baton', 'docs', 'linear', 'notion']);
    const policy = (name: string) =>
      declared.tools.find((t) => t.type === 'mcp_toolset' && t.mcp_server_name === name)?.type === 'mcp_toolset'
        ? (
            declared.tools.find((t) => t.type === 'mcp_toolset' && t.mcp_server_name === name) as {
              default_config: { permission_policy: { type: string } };
            }
          ).default_config.permission_policy.type
        : undefined;
    expect([policy('baton'), policy('docs'), policy('linear'), policy('notion')]).toEqual([
      'always_allow',
      'always_ask',
      'always_allow',
      'always_ask',
    ]);
    const [bearer] = await credentialFor('https://mcp.linear.example/mcp');
    expect(bearer!.secretAuth).toMatchObject({ type: 'static_bearer', token: BEARER });
    expect(await credentialFor('https://docs.example.com/mcp')).toEqual([]);

    // The list shows the token as set, with Replace token, and the OAuth server as needing a login.
    const redrawn = await h.slack.waitFor('views.update', (c) => modalText(c).includes('Bearer token: set'), 10_000);
    expect(modalText(redrawn)).toContain('Replace token');
    expect(modalText(redrawn)).toContain('needs login');
    expect(modalText(redrawn)).toContain('Log in');

    // Replace token: the vault gets the new one.
    const linearId = (await serverId('linear')).rows[0]!.id;
    await h.send.interaction(
      viewSubmission({
        callback_id: VIEW.mcpToken,
        private_metadata: json({ botId, serverId: linearId }),
        values: { [INPUT.mcpToken]: { [VALUE]: textInput(NEW_BEARER) } },
      }),
    );
    await waitUntil(
      async () => (await credentialFor('https://mcp.linear.example/mcp'))[0]?.secretAuth['token'] === NEW_BEARER,
    );
    expect(await credentialFor('https://mcp.linear.example/mcp')).toHaveLength(1);

    // Never in Baton's database, logs or Slack calls.
    const dump = JSON.stringify(await h.db.db.execute(sql`select * from mcp_servers, audit_log`));
    for (const secret of [BEARER, NEW_BEARER]) {
      expect(dump).not.toContain(secret);
      expect(json(h.slack.calls)).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(await servers())).not.toContain('bearer-');
  });

  it('logs in to an OAuth server with the MCP authorization flow and stores an mcp_oauth credential that refreshes', async () => {
    const notionId = (await serverId('notion')).rows[0]!.id;
    const view = viewPayload({ id: 'V_CONN', callback_id: VIEW.connection, private_metadata: connectionMeta() });

    await h.send.interaction(blockActions({ action_id: ACTION.mcpLogIn, value: notionId, view, user: 'U0002' }));
    expect(modalText(await h.slack.waitFor('views.open'))).toContain('Ask an admin');

    await h.send.interaction(blockActions({ action_id: ACTION.mcpLogIn, value: notionId, view }));
    const modal = await h.slack.waitFor('views.push', (c) => modalText(c).includes('Open sign-in page'));
    const link = /"url":"([^"]+)"/.exec(modalText(modal))![1]!;
    expect(link.startsWith(`${h.config.publicUrl}/mcp-oauth/start?ticket=`)).toBe(true);

    const done = await signInThroughBrowser(link);
    expect(done.status).toBe(200);
    expect(done.page).toContain('helper is now connected to notion');
    const [authorize] = as.provider.authorizeRequests;
    expect(authorize).toMatchObject({ codeChallenge: expect.any(String), resource: new URL(as.mcpUrl) });
    expect(authorize!.redirectUri).toBe(`${h.config.publicUrl}/mcp-oauth/callback`);

    // The state is single use.
    const again = await fetch(done.callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');

    const [credential] = await credentialFor(as.mcpUrl);
    const [client] = [...as.provider.clients.values()];
    expect(credential!.secretAuth).toMatchObject({
      type: 'mcp_oauth',
      mcp_server_url: as.mcpUrl,
      access_token: expect.stringMatching(/^at_/),
      expires_at: expect.any(String),
      refresh: {
        client_id: client!.client_id,
        refresh_token: expect.stringMatching(/^rt_/),
        token_endpoint: `${as.origin}/token`,
        token_endpoint_auth: { type: 'none' },
        resource: as.mcpUrl,
      },
    });
    expect(as.provider.accessTokens.has(String(credential!.secretAuth['access_token']))).toBe(true);
    const row = (await h.db.db.execute(
      sql`select state, credential_id from mcp_servers where id = ${notionId}`,
    )) as unknown as {
      rows: Array<{ state: string; credential_id: string }>;
    };
    expect(row.rows[0]).toEqual({ state: 'connected', credential_id: credential!.credential.id });
    expect(JSON.stringify(await servers())).not.toContain(String(credential!.secretAuth['access_token']));

    // Disconnect removes the credential from the vault.
    await h.send.interaction(blockActions({ action_id: ACTION.mcpDisconnect, value: notionId, view }));
    await waitUntil(async () => (await credentialFor(as.mcpUrl)).length === 0);
  });

  it('a failed MCP sign-in in a session names the server; Reconnect signs in again and Retry runs with the credential', async () => {
    const notionId = (await serverId('notion')).rows[0]!.id;
    const agentId = (await botsQuery(h).connection(botId))!.agentId!;
    h.anthropic.setScenario(agentId, 'tool-confirmation', { server: 'notion', tool: 'search' });
    const root = h.slack.seedMessage({ text: 'Find the launch doc', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> helper find it', ts: '1700000900.000200', thread_ts: root.ts }));
    const failed = await sessionsQuery(h).waitFor(botId, 'failed');
    const note = await h.slack.waitFor('chat.postMessage', (c) => json(c.args.blocks).includes(ACTION.reconnectMcp));
    expect(String(note.args.text)).toContain('notion');
    expect(json(note.args.blocks)).toContain('Reconnect notion');
    const reconnect = {
      action_id: ACTION.reconnectMcp,
      value: `${failed.id}|${notionId}`,
      message: { thread_ts: root.ts },
    };

    await h.send.interaction(blockActions({ ...reconnect, user: 'U0002' }));
    expect(json((await h.slack.waitFor('response_url')).args)).toContain('admin');
    h.slack.reset();
    await h.send.interaction(blockActions(reconnect));
    const ephemeral = await h.slack.waitFor('response_url', (c) => json(c.args).includes('Open sign-in page'));
    const link = /"url":"([^"]+)"/.exec(json(ephemeral.args))![1]!;
    expect((await signInThroughBrowser(link)).page).toContain('helper is now connected to notion');

    const offer = await h.slack.waitFor('chat.postMessage', (c) => json(c.args.blocks).includes(ACTION.retrySession));
    // Through the session's writer: as the bot, and recorded as one of the session's posts.
    expect(offer.args).toMatchObject({ thread_ts: root.ts, username: (await botsQuery(h).get(botId))!.displayName });
    expect(String(offer.args.text)).toContain('reconnected *notion*');
    expect(await sessionsQuery(h).postTs(failed.id, 'reconnected-notion#0')).toBe(
      (offer.response as { ts: string }).ts,
    );
    await h.send.interaction(
      blockActions({ action_id: ACTION.retrySession, value: failed.id, message: { thread_ts: root.ts } }),
    );

    // The retried session reaches notion with the bot's vault attached, and the call asks for approval.
    const approval = await h.slack.waitFor(
      'chat.postMessage',
      (c) => json(c.args.blocks).includes(ACTION.approveTool),
      15_000,
    );
    expect(json(approval.args.blocks)).toContain('notion');
    const retried = (await sessionsQuery(h).forBot(botId)).find((s) => s.id !== failed.id)!;
    const providerSession = h.anthropic.sessions.get(retried.providerSessionId!)!;
    expect(providerSession.vault_ids).toContain(await vaultId());
    const prompt = json(h.anthropic.eventsOf(retried.providerSessionId!).filter((e) => e.type === 'user.message'));
    expect(prompt).not.toContain(NEW_BEARER);
    expect(prompt).not.toContain('at_');

    const approve = /"action_id":"session\.approve","value":"((?:[^"\\]|\\.)*)"/.exec(json(approval.args.blocks))![1]!;
    await h.send.interaction(
      blockActions({
        action_id: ACTION.approveTool,
        value: JSON.parse(`"${approve}"`) as string,
        message: { thread_ts: root.ts },
      }),
    );
    expect((await sessionsQuery(h).waitFor(botId, 'done')).id).toBe(retried.id);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
