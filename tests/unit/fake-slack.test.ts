import {
  ErrorCode,
  type Logger,
  WebClient,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebClientOptions,
} from '@slack/web-api';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api';

let slack: FakeSlack;
let client: WebClient;

// The WebClient logs every platform error; these tests provoke them on purpose.
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => 'error' as never,
  setName: () => {},
};
const webClient = (token: string | undefined, options: WebClientOptions = {}) =>
  new WebClient(token, { slackApiUrl: slack.url, retryConfig: { retries: 0 }, logger: silent, ...options });

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  blocks: [section('hi')],
  ...extra,
});

/** The Slack error code a call failed with. */
async function slackError(call: Promise<unknown>): Promise<string> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  if (err?.code !== ErrorCode.PlatformError) throw new Error(`expected a platform error, got ${String(err)}`);
  return err.data.error;
}

beforeAll(async () => {
  slack = await startFakeSlack({ tokens: { 'xoxb-other': { teamId: 'T0002', team: 'Other' } } });
  client = webClient('xoxb-test');
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

describe('fake Slack Web API', () => {
  it('records a postMessage with its token and parsed blocks, and serves it back in the thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0001', text: 'parent' });
    const reply = await client.chat.postMessage({
      channel: 'C0001',
      thread_ts: parent.ts,
      text: 'working',
      blocks: [section('*working*')],
      metadata: { event_type: 'baton_session', event_payload: { id: 's1' } },
    });
    expect(reply.ts! > parent.ts!).toBe(true);
    const call = slack.callsTo('chat.postMessage')[1];
    expect(call).toMatchObject({
      token: 'xoxb-test',
      ok: true,
      args: { thread_ts: parent.ts, blocks: [section('*working*')] },
    });
    expect(call?.args.metadata).toEqual({ event_type: 'baton_session', event_payload: { id: 's1' } });
    expect(call?.args).not.toHaveProperty('team_id');

    const thread = await client.conversations.replies({ channel: 'C0001', ts: parent.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['parent', 'working']);
    expect(thread.messages?.[0]).toMatchObject({ reply_count: 1, bot_id: 'B0001' });
  });

  it('rejects what Slack rejects: no channel, no text, text over 40k, 51 blocks, too much block text', async () => {
    expect(await slackError(client.apiCall('chat.postMessage', { text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(client.chat.postMessage({ channel: 'C0001' } as never))).toBe('no_text');
    expect(await slackError(client.chat.postMessage({ channel: 'C0001', text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    expect(await slackError(client.chat.postMessage({ channel: 'C0001', text: 't', blocks }))).toBe('invalid_blocks');
    const wordy = Array.from({ length: 5 }, () => section('y'.repeat(2900)));
    expect(await slackError(client.chat.postMessage({ channel: 'C0001', text: 't', blocks: wordy }))).toBe(
      'msg_blocks_too_long',
    );
    expect(slack.messages('C0001')).toEqual([]);
  });

  it('explains invalid_blocks with json-pointer messages like Slack', async () => {
    const call = client.chat.postMessage({ channel: 'C0001', text: 't', blocks: [section('z'.repeat(3001))] });
    await expect(call).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        response_metadata: { messages: [expect.stringContaining('/blocks/0/text/text')] },
      },
    });
  });

  it('surfaces a scripted 429 with its Retry-After, then answers normally', async () => {
    slack.failNext('chat.update', { retryAfterSec: 30 });
    const strict = webClient('xoxb-test', { rejectRateLimitedCalls: true });
    const err = (await strict.chat
      .update({ channel: 'C0001', ts: '1.000001', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(30);
    expect(slack.callsTo('chat.update')[0]).toMatchObject({
      status: 429,
      response: { ok: false, error: 'ratelimited' },
    });
    expect(await slackError(strict.chat.update({ channel: 'C0001', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('scripts plain API errors too', async () => {
    slack.failNext('users.info', { error: 'ratelimited_by_policy' });
    expect(await slackError(client.users.info({ user: 'U0001' }))).toBe('ratelimited_by_policy');
    expect((await client.users.info({ user: 'U0001' })).user).toMatchObject({ id: 'U0001', name: 'ada' });
    expect(await slackError(client.users.info({ user: 'U404' }))).toBe('user_not_found');
  });

  it('rate-limits per method and token within a minute when configured', async () => {
    const limited = await startFakeSlack({ rateLimits: { perMethodPerTeamPerMinute: { 'reactions.add': 2 } } });
    try {
      const strict = (token: string) => webClient(token, { slackApiUrl: limited.url, rejectRateLimitedCalls: true });
      const a = strict('xoxb-a');
      await a.reactions.add({ channel: 'C0001', timestamp: '1.000001', name: 'eyes' });
      await a.reactions.add({ channel: 'C0001', timestamp: '1.000002', name: 'eyes' });
      await expect(a.reactions.add({ channel: 'C0001', timestamp: '1.000003', name: 'eyes' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: expect.any(Number),
      });
      await strict('xoxb-b').reactions.add({ channel: 'C0001', timestamp: '1.000003', name: 'eyes' });
    } finally {
      await limited.close();
    }
  });

  it('answers already_reacted for a repeated reaction', async () => {
    await client.reactions.add({ channel: 'C0001', timestamp: '1.000001', name: 'eyes' });
    expect(await slackError(client.reactions.add({ channel: 'C0001', timestamp: '1.000001', name: 'eyes' }))).toBe(
      'already_reacted',
    );
  });

  it('opens, updates and publishes views with ids and hashes, and checks references', async () => {
    expect(await slackError(client.views.open({ view: modal('Hi') } as never))).toBe('invalid_arguments');
    const opened = await client.views.open({ trigger_id: '1.2.ab', view: modal('Hi', { external_id: 'e1' }) as never });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      hash: expect.any(String),
      root_view_id: opened.view?.id,
    });
    expect(await slackError(client.views.open({ trigger_id: '1.2.ab', view: modal('Again') as never }))).toBe(
      'exchanged_trigger_id',
    );
    const updated = await client.views.update({ external_id: 'e1', view: modal('Done') as never });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(await slackError(client.views.update({ view_id: 'VNOPE', view: modal('x') as never }))).toBe('not_found');
    expect(
      await slackError(client.views.update({ view_id: opened.view!.id!, hash: 'stale', view: modal('x') as never })),
    ).toBe('hash_conflict');
    expect(await slackError(client.views.open({ trigger_id: '1.3.ab', view: modal('x'.repeat(25)) as never }))).toBe(
      'invalid_arguments',
    );
    const home = await client.views.publish({ user_id: 'U0001', view: { type: 'home', blocks: [section('home')] } });
    expect(home.view).toMatchObject({ type: 'home', id: expect.any(String) });
  });

  it('uploads a file through filesUploadV2 and shares it in the thread', async () => {
    const result = await client.filesUploadV2({
      channel_id: 'C0001',
      thread_ts: '1700000000.000100',
      content: 'a very long transcript',
      filename: 'session.md',
      title: 'Session log',
    });
    const fileId = slack.callsTo('files.getUploadURLExternal')[0]?.response as { file_id: string };
    expect(result.ok).toBe(true);
    expect(slack.state.files.get(fileId.file_id)?.content?.toString()).toBe('a very long transcript');
    expect(slack.callsTo('upload_url')).toHaveLength(1);
    expect(slack.messages('C0001', '1700000000.000100')[0]?.files).toEqual([
      expect.objectContaining({ title: 'Session log' }),
    ]);
  });

  it('answers auth.test per token, unknown_method, and not_authed without a token', async () => {
    expect(await client.auth.test()).toMatchObject({ team_id: 'T0001', user_id: 'UBATON', bot_id: 'B0001' });
    const other = webClient('xoxb-other');
    expect(await other.auth.test()).toMatchObject({ team_id: 'T0002', team: 'Other' });
    expect(await slackError(client.apiCall('nope.nothing'))).toBe('unknown_method');
    const anonymous = webClient(undefined);
    expect(await slackError(anonymous.chat.postMessage({ channel: 'C0001', text: 'x' }))).toBe('not_authed');
  });

  it('accepts JSON bodies as well as forms', async () => {
    const response = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-json', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0001', text: 'hi', blocks: [section('hi')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0001' });
    expect(slack.calls[0]).toMatchObject({ token: 'xoxb-json', args: { blocks: [section('hi')] } });
  });

  it('waits for a call that arrives later, and says what it saw when one never does', async () => {
    const waiting = slack.waitFor('chat.postMessage', (c) => c.args.text === 'second');
    await client.chat.postMessage({ channel: 'C0001', text: 'first' });
    setTimeout(() => void client.chat.postMessage({ channel: 'C0001', text: 'second' }), 20);
    expect((await waiting).args.text).toBe('second');
    await expect(slack.waitFor('chat.update', undefined, 50)).rejects.toThrow(/chat\.postMessage×2/);
  });

  it('records posts to a response_url and rejects invalid ones', async () => {
    const url = slack.responseUrl();
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ text: 'done', replace_original: true })).status).toBe(200);
    expect((await post({ replace_original: true })).status).toBe(400);
    expect(slack.callsTo('response_url').map((c) => c.args)).toEqual([
      { text: 'done', replace_original: true },
      { replace_original: true },
    ]);
  });
});
