import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { BRANCH_BLOCK_PREFIX } from '../../src/views/github-repos-modal';
import { appHomeOpened, blockActions, textInput, viewPayload, viewSubmission } from '../support/slack-requests';
import { botsQuery, viewIdOf } from './bots-helpers';
import {
  batonUrl,
  buttonIn,
  connectThroughBrowser,
  openConnectionModal,
  startGitHubHarness,
  type GitHubHarness,
} from './github-helpers';

let g: GitHubHarness;
beforeAll(async () => {
  g = await startGitHubHarness();
});
afterAll(() => g.stop());

const text = (value: unknown) => JSON.stringify(value);
const many = (n: number) => Array.from({ length: n }, (_, i) => `repo-${String(i).padStart(3, '0')}`);

describe('connecting a bot to GitHub', () => {
  it('installs through GitHub, confirms the installation with the app, and redraws the modal in place', async () => {
    const bot = await botsQuery(g.h).createClaudeBot('coder');
    const run = await connectThroughBrowser(g, bot.id, 'acme', ['api', 'web', ...many(130)]);

    expect(run.redirect.status).toBe(302);
    expect(`${run.install.origin}${run.install.pathname}`).toBe(`${g.github.url}/apps/baton-test/installations/new`);
    expect(run.setup.status).toBe(200);
    expect(run.page).toContain('GitHub connected to coder');
    expect(run.page).toContain('go back to Slack');

    const connection = await g.store.get(bot.id);
    expect(connection).toMatchObject({ installationId: run.installation.id, account: 'acme', state: 'active' });
    // 132 repositories arrive over two pages of 100.
    expect(connection?.available).toHaveLength(132);
    expect(g.github.requests.filter((r) => r.path === '/installation/repositories')).toHaveLength(2);
    // The installation was confirmed with the app's own JWT.
    expect(g.github.requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: `/app/installations/${run.installation.id}`, auth: 'jwt' }),
    );

    const redrawn = await g.h.slack.waitFor('views.update', (c) => c.args.view_id === run.modal.viewId);
    expect(text(redrawn.args.view)).toContain('connected to *acme*');
    expect(buttonIn(redrawn.args.view, 'Choose repositories')).toBeDefined();
    expect(buttonIn(redrawn.args.view, 'Reconnect GitHub')?.url).toContain('/github/install?state=');
    expect(buttonIn(redrawn.args.view, 'Disconnect')).toBeDefined();
    await g.h.slack.waitFor('views.publish', (c) => text(c.args.view).includes('GitHub: acme'));
  });

  it('refuses a state used twice, a forged state, and a spoofed installation id', async () => {
    const bot = await botsQuery(g.h).createClaudeBot('careful');
    const run = await connectThroughBrowser(g, bot.id, 'careful-org', ['svc']);
    expect(run.setup.status).toBe(200);

    const replay = await fetch(
      batonUrl(g.h, `/github/setup?installation_id=${run.installation.id}&state=${encodeURIComponent(run.state)}`),
    );
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');

    const forged = await fetch(batonUrl(g.h, `/github/setup?installation_id=${run.installation.id}&state=abc`));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not made by Baton');

    // A fresh, valid state with an installation id GitHub does not know for this app.
    const other = await botsQuery(g.h).createClaudeBot('spoofed');
    const modal = await openConnectionModal(g.h, other.id);
    const link = new URL(buttonIn(modal.view, 'Connect GitHub')!.url!);
    const state = link.searchParams.get('state')!;
    const spoofed = await fetch(
      batonUrl(g.h, `/github/setup?installation_id=987654&setup_action=install&state=${encodeURIComponent(state)}`),
    );
    expect(spoofed.status).toBe(400);
    expect(await spoofed.text()).toContain('GitHub does not know that installation');
    expect(await g.store.get(other.id)).toBeUndefined();

    // Someone else's older installation of the same app, passed with a valid state, is refused too.
    const foreign = g.github.install('someone-else', ['secret']);
    foreign.createdAt = foreign.updatedAt = new Date(Date.now() - 24 * 3600_000).toISOString();
    const second = await openConnectionModal(g.h, other.id);
    const secondState = new URL(buttonIn(second.view, 'Connect GitHub')!.url!).searchParams.get('state')!;
    const stolen = await fetch(
      batonUrl(g.h, `/github/setup?installation_id=${foreign.id}&state=${encodeURIComponent(secondState)}`),
    );
    expect(stolen.status).toBe(400);
    expect(await g.store.get(other.id)).toBeUndefined();
  });

  it('lets an admin pick repositories with branches, and rejects a bad branch name inline', async () => {
    const bot = await botsQuery(g.h).createClaudeBot('picker');
    await connectThroughBrowser(g, bot.id, 'pickers', ['api', 'web', 'docs']);
    const modal = await openConnectionModal(g.h, bot.id);

    await g.h.send.interaction(
      blockActions({ action_id: ACTION.githubChooseRepos, value: bot.id, view: modal.payload }),
    );
    const picker = await g.h.slack.waitFor('views.push', (c) => text(c.args.view).includes(VIEW.githubRepos));
    expect(text(picker.args.view)).toContain('pickers/docs');
    const metadata = (picker.args.view as { private_metadata: string }).private_metadata;
    const selected = (names: string[]) => ({
      type: 'multi_static_select',
      selected_options: names.map((n) => ({ text: { type: 'plain_text', text: n }, value: n })),
    });

    // Choosing repositories redraws the picker with a branch field for each.
    const pickerView = viewPayload({
      id: viewIdOf(picker),
      callback_id: VIEW.githubRepos,
      private_metadata: metadata,
      values: { [INPUT.repositories]: { [VALUE]: selected(['pickers/api', 'pickers/web']) } },
    });
    await g.h.send.interaction(
      blockActions({
        action_id: VALUE,
        block_id: INPUT.repositories,
        action: selected(['pickers/api', 'pickers/web']),
        view: pickerView,
      }),
    );
    const withBranches = await g.h.slack.waitFor('views.update', (c) =>
      text(c.args.view).includes('Branch for pickers/web'),
    );
    expect(text(withBranches.args.view)).toContain('Branch for pickers/api');

    const submit = (branch: string) =>
      g.h.send.interaction(
        viewSubmission({
          callback_id: VIEW.githubRepos,
          private_metadata: metadata,
          values: {
            [INPUT.repositories]: { [VALUE]: selected(['pickers/api', 'pickers/web']) },
            [`${BRANCH_BLOCK_PREFIX}pickers/api`]: { [VALUE]: textInput(branch) },
            [`${BRANCH_BLOCK_PREFIX}pickers/web`]: { [VALUE]: textInput(null) },
          },
        }),
      );
    const bad = await submit('feature..x');
    expect(text(bad.body)).toContain('not a valid branch name');
    expect((await g.store.get(bot.id))?.chosen).toEqual([]);

    const good = await submit('develop');
    expect(good.status).toBe(200);
    const parent = await g.h.slack.waitFor('views.update', (c) => c.args.view_id === modal.viewId);
    expect(text(parent.args.view)).toContain('`pickers/api` (develop), `pickers/web`');
    expect((await g.store.get(bot.id))?.chosen).toEqual([
      { fullName: 'pickers/api', branch: 'develop' },
      { fullName: 'pickers/web', branch: null },
    ]);
  });

  it('shows an uninstall from GitHub on the bot and in its settings, once per delivery', async () => {
    const bot = await botsQuery(g.h).createClaudeBot('orphan');
    const { installation } = await connectThroughBrowser(g, bot.id, 'leaving', ['api']);
    g.github.uninstall(installation.id);
    const delivery = g.github.signedDelivery('installation', {
      action: 'deleted',
      installation: { id: installation.id, account: { login: 'leaving' } },
    });
    const post = (headers: Record<string, string>) =>
      fetch(batonUrl(g.h, '/github/webhooks'), { method: 'POST', headers, body: delivery.body });

    const forged = await post({ ...delivery.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    expect((await g.store.get(bot.id))?.state).toBe('active');

    expect(await (await post(delivery.headers)).text()).toBe('ok');
    expect(await (await post(delivery.headers)).text()).toBe('duplicate');
    expect((await g.store.get(bot.id))?.state).toBe('uninstalled');

    const modal = await openConnectionModal(g.h, bot.id);
    expect(text(modal.view)).toContain('The GitHub App was uninstalled from leaving');
    expect(buttonIn(modal.view, 'Reconnect GitHub')).toBeDefined();
    expect(buttonIn(modal.view, 'Choose repositories')).toBeUndefined();

    g.h.slack.reset();
    await g.h.send.event(appHomeOpened());
    const home = await g.h.slack.waitFor('views.publish');
    expect(text(home.args.view)).toContain('The GitHub App was uninstalled from leaving');
  });

  it('disconnects a bot without touching another bot on the same installation', async () => {
    const first = await botsQuery(g.h).createClaudeBot('first');
    const second = await botsQuery(g.h).createClaudeBot('second');
    const { installation } = await connectThroughBrowser(g, first.id, 'shared', ['api']);
    await g.store.connect({
      botId: second.id,
      teamId: 'T0001',
      installationId: installation.id,
      account: 'shared',
      available: [],
      connectedBy: 'U0001',
    });

    const modal = await openConnectionModal(g.h, first.id);
    await g.h.send.interaction(
      blockActions({ action_id: ACTION.githubDisconnect, value: first.id, view: modal.payload }),
    );
    const redrawn = await g.h.slack.waitFor('views.update', (c) => c.args.view_id === modal.viewId);
    expect(buttonIn(redrawn.args.view, 'Connect GitHub')).toBeDefined();
    expect(await g.store.get(first.id)).toBeUndefined();
    expect(await g.store.get(second.id)).toBeDefined();
  });

  it('refuses Disconnect from someone who is not an admin', async () => {
    const bot = await botsQuery(g.h).createClaudeBot('guarded');
    await connectThroughBrowser(g, bot.id, 'guarded-org', ['api']);
    g.h.slack.reset();
    await g.h.send.interaction(
      blockActions({
        action_id: ACTION.githubDisconnect,
        value: bot.id,
        user: 'U0002',
        view: viewPayload({ callback_id: VIEW.connection }),
      }),
    );
    expect(text((await g.h.slack.waitFor('views.open')).args.view)).toContain('Ask an admin');
    expect(await g.store.get(bot.id)).toBeDefined();
  });
});
