import { Writable } from 'node:stream';
import { ACTION } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import {
  appMention,
  blockActions,
  messageAction,
  selectedOption,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

let h: Harness;
/** Baton's warnings and errors, one JSON object a line. */
let warnings = '';
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      warnings += chunk.toString('utf8');
      done();
    },
  });
  h = await startHarness({ LOG_LEVEL: 'warn' }, {}, sink);
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

const text = (value: unknown) => JSON.stringify(value);

/** The first warning line `matches` accepts, once Baton has written it. */
async function warningWhere(matches: (line: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 100; i++) {
    const lines = warnings.split('\n').filter(Boolean);
    const found = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find(matches);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

describe('handing a thread to a bot', () => {
  it('posts the card at once, runs the Claude session, answers in the thread and marks it done', async () => {
    const { bot } = await readyBot(h, 'helper');
    h.anthropic.setScenario('default', 'plain', { text: 'Here is the answer.' });
    const root = h.slack.seedMessage({ text: 'The build is red since this morning', user: 'U0002' });
    await h.send.event(
      appMention({ text: '<@UBATON> helper please look', ts: '1700000100.000200', thread_ts: root.ts }),
    );

    const eyes = await h.slack.waitFor('reactions.add', (c) => c.args.name === 'eyes');
    expect(eyes.args.timestamp).toBe('1700000100.000200');
    const card = await h.slack.waitFor('chat.postMessage', (c) => text(c.args.blocks).includes(ACTION.stopSession));
    expect(card.args).toMatchObject({ thread_ts: root.ts, username: 'helper' });
    expect(text(card.args.blocks)).toContain(ACTION.viewLog);
    const status = await h.slack.waitFor('assistant.threads.setStatus');
    expect(status.args).toMatchObject({ channel_id: 'C0001', thread_ts: root.ts, status: 'helper is working…' });

    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    const answer = await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Here is the answer.');
    expect(answer.args).toMatchObject({ thread_ts: root.ts, username: 'helper' });
    await h.slack.waitFor('reactions.add', (c) => c.args.name === 'white_check_mark');
    // The answer cleared the thread's status (Slack does on the app's reply): no call spent clearing it again.
    expect(h.slack.state.threadStatuses.get(`C0001 ${root.ts}`)).toBeUndefined();
    expect(h.slack.callsTo('assistant.threads.setStatus').filter((c) => c.args.status === '')).toEqual([]);

    const sent = h.anthropic.eventsOf(session.providerSessionId!).find((e) => e.type === 'user.message');
    const task = text(sent);
    expect(task).toContain('The build is red since this morning');
    expect(task).toMatch(/untrusted/i);
    const final = await h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes('Done'));
    expect(text(final.args.blocks)).not.toContain(ACTION.stopSession);
    expect((await sessionsQuery(h).events(session.id)).map((e) => e.kind)).toContain('message');
  });

  it('writes the first message of a thread the mention opened from the event, without reading the thread', async () => {
    const { bot } = await readyBot(h, 'opener');
    h.anthropic.setScenario('default', 'plain', { text: 'On it.' });
    const files = [{ id: 'F0001', name: 'outage.log' }];
    await h.send.event(appMention({ text: '<@UBATON> opener ask <@U0002> about the outage', files }));

    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    const task = text(h.anthropic.eventsOf(session.providerSessionId!).find((e) => e.type === 'user.message'));
    expect(task).toMatch(/\] ada: @\w+ opener ask @bob about the outage/);
    expect(task).toContain('Files: outage.log');
    expect(h.slack.callsTo('conversations.replies')).toHaveLength(0);
  });

  it('starts a second session with its own card when the same bot is asked again later', async () => {
    const { bot } = await readyBot(h, 'again');
    h.anthropic.setScenario('default', 'plain', { text: 'ok' });
    const root = h.slack.seedMessage({ text: 'Question', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> again first', ts: '1700000200.000200', thread_ts: root.ts }));
    await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.send.event(appMention({ text: '<@UBATON> again second', ts: '1700000200.000300', thread_ts: root.ts }));
    const deadline = Date.now() + 10_000;
    while (
      (await sessionsQuery(h).forBot(bot.id)).filter((s) => s.status === 'done').length < 2 &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const sessions = await sessionsQuery(h).forBot(bot.id);
    expect(sessions.map((s) => s.status)).toEqual(['done', 'done']);
    expect(new Set(sessions.map((s) => s.cardTs)).size).toBe(2);
  });

  it('assigns a message to a bot from the shortcut, in that message’s thread', async () => {
    const { bot } = await readyBot(h, 'assignee');
    h.anthropic.setScenario('default', 'plain', { text: 'Assigned and done.' });
    const message = h.slack.seedMessage({ text: 'Please fix the flaky test', user: 'U0002' });
    await h.send.interaction(messageAction({ message: { ts: message.ts, text: message.text ?? '' } }));
    const modal = await h.slack.waitFor('views.open');
    expect(text(modal.args.view)).toContain('Assign to bot');
    const metadata = (modal.args.view as { private_metadata: string }).private_metadata;
    await h.send.interaction(
      viewSubmission({
        callback_id: 'assign_modal',
        private_metadata: metadata,
        values: { bot: { value: selectedOption(bot.id) } },
      }),
    );
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    expect(session).toMatchObject({ trigger: 'assignment', threadTs: message.ts });
    await h.slack.waitFor('chat.postMessage', (c) => c.args.text === 'Assigned and done.');
  });

  it('asks which bot when a mention names none and several exist', async () => {
    await readyBot(h, 'one');
    await h.send.event(appMention({ text: '<@UBATON> can someone help?', ts: '1700000300.000200' }));
    const picker = await h.slack.waitFor('chat.postEphemeral');
    expect(picker.ok).toBe(true);
    expect(text(picker.args.blocks)).toContain(ACTION.pickBot);
  });

  it("sends a mention that names no bot to the channel's default bot, set by an admin", async () => {
    const { bot } = await readyBot(h, 'fallback');
    await h.send.command(slashCommand({ text: 'channel default fallback', user_id: 'U0002' }));
    expect(String((await h.slack.waitFor('response_url')).args.text)).toContain('Ask an admin');
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'channel default fallback' }));
    expect(String((await h.slack.waitFor('response_url')).args.text)).toContain('now go to *fallback*');
    h.anthropic.setScenario('default', 'plain', { text: 'Default bot here.' });
    await h.send.event(appMention({ text: '<@UBATON> can someone help?', ts: '1700000350.000200' }));
    await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.send.command(slashCommand({ text: 'channel default none' }));
  });

  it('fails readably with Retry when the provider errors mid-stream', async () => {
    const { bot } = await readyBot(h, 'fragile');
    h.anthropic.setScenario('default', 'error-mid-stream');
    const root = h.slack.seedMessage({ text: 'Try this', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> fragile go', ts: '1700000400.000200', thread_ts: root.ts }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'failed');
    expect(session.statusReason).toBeTruthy();
    const note = await h.slack.waitFor('chat.postMessage', (c) => String(c.args.text).includes('could not finish'));
    expect(note.args.thread_ts).toBe(root.ts);
    const card = await h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes(ACTION.retrySession));
    expect(card.ok).toBe(true);
    await h.slack.waitFor('reactions.add', (c) => c.args.name === 'x');
    // Operators see why a session failed without reading Slack.
    expect(
      await warningWhere((line) => line.event === 'session.finished' && line.sessionId === session.id),
    ).toMatchObject({ level: 40, status: 'failed', reason: session.statusReason });
  });

  it('logs what the provider answered when it refuses to start the session, beside the note people read', async () => {
    const { bot } = await readyBot(h, 'refused');
    h.anthropic.setScenario('default', 'plain', { text: 'Never asked.' });
    h.anthropic.failNext('/v1/sessions', { method: 'POST', status: 500 });
    await h.send.event(appMention({ text: '<@UBATON> refused go', ts: '1700000440.000200' }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'failed');
    const warning = await warningWhere(
      (line) => line.event === 'session.provider_failed' && line.sessionId === session.id,
    );
    // The provider's request id, which its support asks for, is in the log and not in the sentence.
    expect(warning).toMatchObject({ level: 40, kind: 'provider' });
    expect(text(warning)).toMatch(/req_[0-9a-f]+/);
    expect(session.statusReason).not.toMatch(/req_/);
  });

  it('ends with a readable note when the agent cannot authenticate to an MCP server', async () => {
    const { bot } = await readyBot(h, 'locked');
    h.anthropic.setScenario('default', 'mcp-auth-failure');
    await h.send.event(appMention({ text: '<@UBATON> locked go', ts: '1700000450.000200' }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'failed');
    expect(session.statusReason).toMatch(/^Could not sign in to the MCP server "baton"/);
    const note = await h.slack.waitFor('chat.postMessage', (c) => String(c.args.text).includes('could not finish'));
    expect(note.ok).toBe(true);
  });

  it('ends a session Baton cannot carry on as failed with a reference, instead of leaving it running', async () => {
    const { bot } = await readyBot(h, 'lost');
    h.slack.state.channels.set('C0404', { id: 'C0404', name: 'secret', is_private: true, is_member: false });
    await h.send.event(appMention({ text: '<@UBATON> lost go', ts: '1700000460.000200', channel: 'C0404' }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'failed');
    expect(session.statusReason).toMatch(/^Something went wrong in Baton \(ref [0-9a-f]{12}\)\.$/);
  });

  it('splits a long answer across replies, and uploads a very long one as a file', async () => {
    const { bot } = await readyBot(h, 'verbose');
    h.anthropic.setScenario('default', 'long-output', { chars: '25000' });
    await h.send.event(appMention({ text: '<@UBATON> verbose write a lot', ts: '1700000500.000200' }));
    await sessionsQuery(h).waitFor(bot.id, 'done');
    const replies = h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === '1700000500.000200');
    expect(replies.every((c) => c.ok)).toBe(true);
    expect(replies.length).toBeGreaterThan(3);

    h.anthropic.setScenario('default', 'long-output', { chars: '60000' });
    await h.send.event(appMention({ text: '<@UBATON> verbose write even more', ts: '1700000500.000300' }));
    const upload = await h.slack.waitFor('files.completeUploadExternal', undefined, 15_000);
    expect(upload.ok).toBe(true);
    const longer = h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === '1700000500.000300');
    expect(longer.map((c) => c.response)).toEqual(longer.map(() => expect.objectContaining({ ok: true })));
  });

  it('stops the session from the card', async () => {
    const { bot } = await readyBot(h, 'stoppable');
    h.anthropic.setScenario('default', 'slow', { delayMs: '400' });
    await h.send.event(appMention({ text: '<@UBATON> stoppable take your time', ts: '1700000600.000200' }));
    const running = await sessionsQuery(h).waitFor(bot.id, 'running');
    await h.send.interaction(blockActions({ action_id: ACTION.stopSession, value: running.id }));
    await sessionsQuery(h).waitFor(bot.id, 'stopped');
    await h.slack.waitFor('chat.update', (c) => text(c.args.blocks).includes('Stopped'));
  });

  it('opens the full session log in a modal', async () => {
    const { bot } = await readyBot(h, 'logged');
    h.anthropic.setScenario('default', 'plain', { text: 'Logged answer' });
    await h.send.event(appMention({ text: '<@UBATON> logged hi', ts: '1700000700.000200' }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.send.interaction(blockActions({ action_id: ACTION.viewLog, value: session.id }));
    const log = await h.slack.waitFor('views.open');
    expect(log.ok).toBe(true);
    expect(text(log.args.view)).toContain('Message');
    expect(text(log.args.view)).toContain('Logged answer');
  });
});
