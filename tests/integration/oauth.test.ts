import { sql } from 'drizzle-orm';
import { AccessTokenRepository } from '../../models/access-tokens';
import { BotRepository } from '../../models/bots';
import { startHarness, type Harness } from '../support/harness';
import { appMention, eventCallback } from '../support/slack-requests';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: '111.222',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret',
  });
});
afterAll(() => h.stop());

const base = () => `http://127.0.0.1:${h.baton.port}`;
const installations = async () =>
  (
    (await h.db.db.execute(sql`select team_id, bot_token_ciphertext from slack_installations`)) as unknown as {
      rows: Array<{ team_id: string; bot_token_ciphertext: string }>;
    }
  ).rows;

describe('installing Baton in many workspaces with OAuth', () => {
  it('installs through /slack/install, answers with the stored token, and forgets the workspace on uninstall', async () => {
    const install = await fetch(`${base()}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const authorize = new URL(install.headers.get('location') ?? '');
    expect(authorize.searchParams.get('client_id')).toBe('111.222');
    expect(authorize.searchParams.get('scope')).toContain('app_mentions:read');
    const cookie = install.headers.get('set-cookie')?.split(';')[0] ?? '';

    const redirect = await fetch(
      `${base()}/slack/oauth_redirect?code=good-code&state=${authorize.searchParams.get('state')}`,
      { headers: { cookie } },
    );
    expect(redirect.status).toBe(200);
    expect(await redirect.text()).toContain('Baton is installed');
    const [row] = await installations();
    expect(row?.team_id).toBe('T0001');
    const token = (await h.slack.waitFor('oauth.v2.access')).response as { access_token: string };
    expect(row?.bot_token_ciphertext).not.toContain(token.access_token);

    await h.send.event(appMention({ text: '<@UBATON> ping', ts: '1700000002.000100' }));
    const pong = await h.slack.waitFor('chat.postMessage');
    expect(pong.token).toBe(token.access_token);

    // Tokens Baton handed out in this workspace: one for the REST API, one a session's MCP server holds.
    const bot = await new BotRepository(h.db.db).create({
      teamId: 'T0001',
      name: 'helper',
      displayName: 'Helper',
      icon: null,
      type: 'claude',
      description: '',
      createdBy: 'U0001',
    });
    const tokens = new AccessTokenRepository(h.db.db);
    const api = await tokens.create({
      kind: 'api',
      teamId: 'T0001',
      botId: bot.id,
      scope: 'basic',
      label: 'ci',
      createdBy: 'U0001',
    });
    const callApi = () =>
      fetch(`${base()}/api/v1/threads/C0001/1.1/context`, { headers: { authorization: `Bearer ${api.token}` } });
    expect((await callApi()).status).not.toBe(401);

    // Revoking only people's user tokens leaves Baton installed and its tokens working.
    await h.send.event(eventCallback({ type: 'tokens_revoked', tokens: { oauth: ['U0001'] } }));
    expect(await tokens.verify(api.token)).toBeDefined();

    await h.send.event(eventCallback({ type: 'app_uninstalled' }));
    const deadline = Date.now() + 5_000;
    while ((await installations()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await installations()).toEqual([]);
    expect(await tokens.verify(api.token)).toBeUndefined();
    expect((await callApi()).status).toBe(401);
  });
});
