import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ClaudeConnectionRepository } from '../../models/claude-connections';
import { ACTION } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import { appMention, blockActions } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Links carry PUBLIC_URL, so Baton needs its real port before it starts.
  const port = await freePort();
  h = await startHarness({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  h.slack.state.users.set('U0003', { id: 'U0003', name: 'eve', real_name: 'Eve Outsider' });
  h.slack.state.channels.set('C0001', {
    id: 'C0001',
    name: 'general',
    is_member: true,
    members: ['U0001', 'U0002', 'UBATON'],
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await h.stop();
});

const text = (value: unknown) => JSON.stringify(value) ?? '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Presses Open session page on the session's card as `user` and returns the link Baton answers with. */
async function pressOpenPage(sessionId: string, user: string): Promise<string> {
  const before = h.slack.callsTo('response_url').length;
  await h.send.interaction(blockActions({ action_id: ACTION.openPage, value: sessionId, user }));
  const [, reply] = await h.slack.waitForCalls('response_url', before + 1);
  const replyCall = h.slack.callsTo('response_url')[before] ?? reply!;
  expect(replyCall.args.response_type).toBe('ephemeral');
  const blocks = replyCall.args.blocks as Array<{ elements?: Array<{ url?: string; text?: { text: string } }> }>;
  const button = blocks[1]!.elements![0]!;
  expect(button.text?.text).toBe('Open session page');
  return button.url!;
}

async function openAs(link: string): Promise<{ page: Page; status: number | undefined }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const response = await page.goto(link);
  return { page, status: response?.status() };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('the session page', () => {
  it('renders a finished session: header, task, steps and the answer as safe Markdown', async () => {
    const { bot } = await readyBot(h, 'pager');
    const answer =
      '**Fixed** the build.\n\n- one\n- two\n\n<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> [bad](javascript:window.__xss=3)';
    h.anthropic.setScenario('default', 'plain', { text: answer });
    const root = h.slack.seedMessage({ text: 'CI is red', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> pager fix it', ts: '1700002000.000100', thread_ts: root.ts }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    const card = await h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes('Done'));
    expect(text(card.args.blocks)).toContain(ACTION.openPage);

    const link = await pressOpenPage(session.id, 'U0002');
    expect(link).toMatch(new RegExp(`^${h.config.publicUrl}/s/${session.id}\\?k=[\\w-]+\\.[\\w-]+$`));
    const { page, status } = await openAs(link);
    expect(status).toBe(200);
    // The link became a cookie and left the address bar.
    expect(page.url()).toBe(`${h.config.publicUrl}/s/${session.id}`);
    await expect(page.locator('#status').textContent()).resolves.toBe('Done');
    const header = await page.locator('header').innerText();
    expect(header).toContain('pager');
    expect(header).toMatch(/Requested by\s+ada/);
    expect(header).toContain('#general');
    expect(await page.locator('.entry-answer strong').textContent()).toBe('Fixed');
    expect(await page.locator('.entry-answer li').count()).toBe(2);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await page.locator('.entry-answer').innerText()).toContain('<script>');
    await shot(page, 'session-finished');
    await page.context().close();
  });

  it('follows a running session live: the approval, then the answer, without a reload', async () => {
    const { bot } = await readyBot(h, 'watcher');
    const client = h.anthropicClient();
    const url = 'https://mcp.linear.example/mcp';
    const agent = await client.beta.agents.create({
      name: 'Agent watcher with Linear',
      model: 'claude-sonnet-4-6',
      mcp_servers: [{ type: 'url', name: 'linear', url }],
      tools: [{ type: 'mcp_toolset', mcp_server_name: 'linear' }],
    });
    const vault = await client.beta.vaults.create({ display_name: 'Team vault' });
    await client.beta.vaults.credentials.create(vault.id, {
      auth: { type: 'static_bearer', mcp_server_url: url, token: 'lin_secret' },
    });
    await new ClaudeConnectionRepository(h.db.db).save(bot.id, { agentId: agent.id, vaultIds: [vault.id] });
    h.anthropic.setScenario('default', 'tool-confirmation');
    await h.send.event(appMention({ text: '<@UBATON> watcher file a bug', ts: '1700002100.000100' }));
    const ask = await h.slack.waitFor(
      'chat.postMessage',
      (c) => text(c.args.blocks).includes(ACTION.approveTool),
      15_000,
    );
    const session = await sessionsQuery(h).waitFor(bot.id, 'awaiting_input');

    const { page } = await openAs(await pressOpenPage(session.id, 'U0001'));
    await expect(page.locator('#status').textContent()).resolves.toBe('Waiting for approval');
    await page.locator('.entry-step .state-waiting').waitFor();
    expect(await page.locator('.entry-step code').first().textContent()).toContain('create_issue');
    expect(await page.locator('#live').textContent()).toContain('Live');
    await shot(page, 'session-running');
    await page.evaluate('window.__sameDocument = true');

    const value = (ask.args.blocks as Array<{ elements?: Array<{ value?: string }> }>)[1]!.elements![0]!.value!;
    await h.send.interaction(blockActions({ action_id: ACTION.approveTool, value, user: 'U0002' }));
    await page.locator('.entry-answer').waitFor({ timeout: 15_000 });
    await page.waitForFunction("document.getElementById('status')?.textContent === 'Done'", null, {
      timeout: 15_000,
    });
    expect(await page.locator('.entry-answer').innerText()).toContain('Done: Created ENG-42');
    expect(await page.locator('.entry-step .state').first().textContent()).toContain('approved by bob');
    // The step's full input is there, folded.
    expect(await page.locator('.entry-step details summary').first().textContent()).toBe('Input');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await shot(page, 'session-live-finished');
    await page.context().close();
  });

  it('refuses a non-member, a tampered link and a browser that never signed in', async () => {
    const { bot } = await readyBot(h, 'private');
    h.anthropic.setScenario('default', 'plain', { text: 'Secret plans.' });
    await h.send.event(appMention({ text: '<@UBATON> private plans', ts: '1700002200.000100' }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');

    const { page, status } = await openAs(await pressOpenPage(session.id, 'U0003'));
    expect(status).toBe(403);
    const body = await page.locator('body').innerText();
    expect(body).toContain('Only members of the session’s channel and Baton admins');
    expect(body).not.toContain('Secret plans');
    await shot(page, 'session-refused');
    await page.context().close();

    const good = await pressOpenPage(session.id, 'U0002');
    const tampered = await openAs(`${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`);
    expect(tampered.status).toBe(401);
    await tampered.page.context().close();
    const anonymous = await fetch(`${h.config.publicUrl}/s/${session.id}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('Secret plans');
    expect((await fetch(`${h.config.publicUrl}/s/${session.id}/events`)).status).toBe(401);
  });
});
