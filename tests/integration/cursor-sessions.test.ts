import { BotRepository } from '../../models/bots';
import { CursorConnectionRepository } from '../../models/cursor-connections';
import { ProviderKeyRepository } from '../../models/provider-keys';
import { Secrets } from '../../src/crypto/secrets';
import { ACTION } from '../../src/views/ids';
import { CURSOR_KEY, startHarness, type Harness } from '../support/harness';
import { appMention, blockActions } from '../support/slack-requests';
import { sessionsQuery } from './sessions-helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const text = (value: unknown) => JSON.stringify(value);
let ts = 1700002000;

async function cursorBot(name: string) {
  const { db } = h.db;
  const bot = await new BotRepository(db).create({
    teamId: 'T0001',
    name,
    displayName: name,
    icon: null,
    type: 'cursor',
    description: '',
    createdBy: 'U0001',
  });
  const keys = new ProviderKeyRepository(db, new Secrets(Buffer.from(h.config.encryptionKey!, 'base64')));
  const key = await keys.create({
    teamId: 'T0001',
    provider: 'cursor',
    label: `k-${name}`,
    secret: CURSOR_KEY,
    createdBy: 'U0001',
  });
  await keys.markValid(key.id, [], []);
  await new CursorConnectionRepository(db).save(bot.id, {
    keyId: key.id,
    repository: 'https://github.com/acme/api',
    branch: 'main',
    model: null,
    isAutoCreatePr: true,
    guidance: 'Keep PRs small.',
  });
  await new BotRepository(db).setStatus(bot.id, 'ready');
  return bot;
}

async function mention(name: string, thread: string) {
  const root = h.slack.seedMessage({ text: thread, user: 'U0002' });
  await h.send.event(appMention({ text: `<@UBATON> ${name} please`, ts: `${++ts}.000100`, thread_ts: root.ts }));
  return root;
}

describe('Cursor Cloud sessions', () => {
  it('launches a Cursor agent from a mention and posts its summary, branch and pull request', async () => {
    const bot = await cursorBot('cursory');
    h.cursor.nextRun({
      events: [{ event: 'tool_call', data: { callId: 'c1', name: 'edit_file', status: 'running', summary: 'ci.yml' } }],
      result: 'Fixed the flaky CI job.',
      branch: 'cursor/fix-ci',
      prUrl: 'https://github.com/acme/api/pull/42',
    });
    const root = await mention('cursory', 'CI is flaky again');
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    const answer = await h.slack.waitFor('chat.postMessage', (c) => text(c).includes('Fixed the flaky CI job.'));
    expect(answer.args).toMatchObject({ thread_ts: root.ts });
    const agent = h.cursor.agents.get(session.providerSessionId!)!;
    expect(text(agent.body)).toContain('CI is flaky again');
    expect(text(agent.body)).toContain('Keep PRs small.');
    const kinds = (await sessionsQuery(h).events(session.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['step_started', 'artifact', 'turn_ended']));
    await h.slack.waitFor('chat.update', (c) => text(c).includes('pull/42'));
  });

  it('cancels the run on Stop', async () => {
    const bot = await cursorBot('halting');
    h.cursor.nextRun({ isHeld: true });
    await mention('halting', 'Refactor everything');
    const session = await sessionsQuery(h).waitFor(bot.id, 'running');
    await h.send.interaction(blockActions({ action_id: ACTION.stopSession, value: session.id }));
    await sessionsQuery(h).waitFor(bot.id, 'stopped');
    const run = h.cursor.agents.get(session.providerSessionId!)!.runs[0]!;
    expect(run.status).toBe('CANCELLED');
  });

  it('explains a plan problem in the thread', async () => {
    const bot = await cursorBot('blocked');
    h.cursor.failNext('POST /v1/agents', 403, 'plan_required');
    await mention('blocked', 'Do it');
    const session = await sessionsQuery(h).waitFor(bot.id, 'failed');
    expect(session.statusReason).toContain('plan does not include Cloud Agents');
  });
});
