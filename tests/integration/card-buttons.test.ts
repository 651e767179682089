import { ACTION } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import { blockActions, viewPayload } from '../support/slack-requests';
import { CHANNEL, toolsFixture } from './tools-helpers';

let h: Harness;
let f: ReturnType<typeof toolsFixture>;
const SECRET = 'G0SECRET';

beforeAll(async () => {
  h = await startHarness();
  f = toolsFixture(h);
});
afterAll(() => h.stop());
beforeEach(() => {
  h.slack.reset();
  h.slack.state.users.set('U0003', { id: 'U0003', name: 'eve' });
  h.slack.state.channels.set(CHANNEL, { id: CHANNEL, name: 'general', members: ['U0001', 'U0002', 'UBATON'] });
  h.slack.state.channels.set(SECRET, { id: SECRET, name: 'secret', is_private: true, members: ['U0002', 'UBATON'] });
});

const text = (value: unknown) => JSON.stringify(value);
const responseTo = (payload: object) =>
  h.slack.waitFor(
    'response_url',
    (c) => c.path === new URL(String((payload as { response_url?: string }).response_url)).pathname,
  );

async function press(action: string, value: string, user: string) {
  const payload = blockActions({ action_id: action, value, user });
  await h.send.interaction(payload);
  return payload;
}

describe('card buttons check who presses them', () => {
  it('refuses Stop, Retry and View log to someone who is not the requester, a channel member or an admin', async () => {
    const bot = await f.bot('guarded', 'basic');
    const session = await f.session(bot, f.thread([['U0001', 'Do it']]));
    const failed = await f.session(bot, f.thread([['U0001', 'Again']]), 'failed');

    for (const [action, value] of [
      [ACTION.stopSession, session.id],
      [ACTION.retrySession, failed.id],
      [ACTION.viewLog, session.id],
    ] as const) {
      const refusal = await responseTo(await press(action, value, 'U0003'));
      expect(text(refusal.args)).toContain('Only <@U0001>, members of this channel or Baton admins');
      expect(refusal.args).toMatchObject({ response_type: 'ephemeral' });
    }
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(await f.sessions.listForBot(bot.id, 10)).toHaveLength(2);
    expect((await f.sessions.get(session.id))?.isStopRequested).toBe(false);
  });

  it('refuses a Slack Connect user from another workspace', async () => {
    const bot = await f.bot('connected', 'basic');
    const session = await f.session(bot, f.thread([['U0001', 'Do it']]));
    const base = blockActions({ action_id: ACTION.viewLog, value: session.id, user: 'U0EXT' });
    const payload = { ...base, user: { ...base.user, team_id: 'T0OTHER' } };
    await h.send.interaction(payload);
    const refusal = await responseTo(payload);
    expect(text(refusal.args)).toContain('another workspace');
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('opens the log to a channel member, one page read from the database', async () => {
    const bot = await f.bot('logged', 'basic');
    const session = await f.session(bot, f.thread([['U0001', 'Do it']]));
    await f.sessions.appendEvents(
      session.id,
      Array.from({ length: 65 }, (_, i) => ({
        kind: 'message' as const,
        id: `ev-${i}`,
        raw: { type: 'agent.message' },
        text: `line ${i}`,
      })),
    );
    await press(ACTION.viewLog, session.id, 'U0002');
    const opened = await h.slack.waitFor('views.open');
    expect(text(opened.args.view)).toContain('Page 3 of 3');
    expect(text(opened.args.view)).toContain('65 events');
    expect(text(opened.args.view)).toContain('line 64');
    expect(text(opened.args.view)).not.toContain('line 59');

    const view = viewPayload({ callback_id: 'session_log' });
    const page = JSON.stringify({ s: session.id, p: 1 });
    await h.send.interaction(blockActions({ action_id: ACTION.logPage, value: page, user: 'U0002', view }));
    const updated = await h.slack.waitFor('views.update');
    expect(text(updated.args.view)).toContain('line 0');
    expect(text(updated.args.view)).not.toContain('line 30');

    await h.send.interaction(blockActions({ action_id: ACTION.logPage, value: page, user: 'U0003', view }));
    const refused = await h.slack.waitFor('views.update', (c) => text(c.args.view).includes('Only <@U0001>'));
    expect(text(refused.args.view)).not.toContain('line 0');
  });

  it('keeps a log that read another channel closed to people who cannot read that channel', async () => {
    const bot = await f.bot('reader', 'full');
    const session = await f.session(bot, f.thread([['U0001', 'Summarise']]));
    await f.sessions.noteChannelRead(session.id, SECRET);
    const refusal = await responseTo(await press(ACTION.viewLog, session.id, 'U0001'));
    expect(text(refusal.args)).toContain('#secret');
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    await press(ACTION.viewLog, session.id, 'U0002');
    await h.slack.waitFor('views.open');
  });
});
