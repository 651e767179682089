import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';
import {
  appMention,
  blockActions,
  blockSuggestion,
  createSlackSender,
  messageAction,
  signSlackRequest,
  slashCommand,
  textInput,
  viewSubmission,
  type SlackSender,
} from '../support/slack-requests';

const SECRET = 'unit-signing-secret';

describe('signSlackRequest', () => {
  it('produces a signature Bolt accepts, and only for the exact body', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const body = 'command=%2Fbaton&text=help';
    const headers = {
      'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
      'x-slack-request-timestamp': timestamp,
    };
    expect(() => verifySlackRequest({ signingSecret: SECRET, body, headers })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: SECRET, body: `${body}x`, headers })).toThrow();
  });
});

describe('the Slack sender against a real Bolt app', () => {
  let slack: FakeSlack;
  let app: App;
  let send: SlackSender;

  beforeAll(async () => {
    slack = await startFakeSlack();
    app = new App({
      signingSecret: SECRET,
      token: 'xoxb-unit',
      botId: 'B0001',
      botUserId: 'UBATON',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
    });
    app.command('/baton', async ({ ack, respond, command }) => {
      await ack({ response_type: 'ephemeral', text: `you said ${command.text}` });
      await respond({ text: 'later', replace_original: false });
    });
    app.action('go', async ({ ack, respond }) => {
      await ack();
      await respond({ text: 'clicked', replace_original: true });
    });
    app.view('settings', async ({ ack, view }) => {
      const name = view.state.values.name?.name?.value;
      await ack({ response_action: 'errors', errors: { name: `not ${name}` } });
    });
    app.options('pick', async ({ ack, payload }) => {
      await ack({ options: [{ text: { type: 'plain_text', text: payload.value }, value: payload.value }] });
    });
    app.shortcut('assign_to_bot', async ({ ack }) => ack());
    app.event('app_mention', async ({ event, client }) => {
      await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: 'pong' });
    });
    const server = (await app.start(0)) as Server;
    const { port } = server.address() as AddressInfo;
    send = createSlackSender({
      baseUrl: `http://127.0.0.1:${port}`,
      signingSecret: SECRET,
      responseOrigin: () => slack.origin,
    });
  });
  afterAll(async () => {
    await app.stop();
    await slack.close();
  });
  beforeEach(() => slack.reset());

  it('delivers a slash command and routes respond() to the fake response_url', async () => {
    const response = await send.command(slashCommand({ text: 'help' }));
    expect(response).toMatchObject({ status: 200, body: { response_type: 'ephemeral', text: 'you said help' } });
    expect(response.durationMs).toBeGreaterThan(0);
    expect((await slack.waitFor('response_url')).args).toEqual({ text: 'later', replace_original: false });
  });

  it('delivers block actions, view submissions, options loads and message shortcuts', async () => {
    expect((await send.interaction(blockActions({ action_id: 'go', value: 'v' }))).status).toBe(200);
    expect((await slack.waitFor('response_url')).args).toMatchObject({ text: 'clicked' });
    const submitted = await send.interaction(
      viewSubmission({ callback_id: 'settings', values: { name: { name: textInput('Ada') } } }),
    );
    expect(submitted.body).toEqual({ response_action: 'errors', errors: { name: 'not Ada' } });
    const options = await send.interaction(blockSuggestion({ action_id: 'pick', value: 'rep' }));
    expect(options.body).toEqual({ options: [{ text: { type: 'plain_text', text: 'rep' }, value: 'rep' }] });
    expect((await send.interaction(messageAction())).status).toBe(200);
  });

  it('delivers an event envelope and the app answers through the fake Web API', async () => {
    const envelope = appMention({ text: '<@UBATON> ping' });
    expect((await send.event(envelope)).status).toBe(200);
    const post = await slack.waitFor('chat.postMessage');
    expect(post).toMatchObject({ token: 'xoxb-unit', args: { thread_ts: envelope.event.ts, text: 'pong' } });
  });

  it('is turned away like a forged or stale request would be', async () => {
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect((await send.command(slashCommand({ text: 'x' }), { badSignature: true })).status).toBe(401);
    expect((await send.command(slashCommand({ text: 'x' }), { timestamp: stale })).status).toBe(401);
    const withCharset = await send.raw('command=%2Fbaton&text=x', {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(withCharset.status).toBe(400);
  });
});
