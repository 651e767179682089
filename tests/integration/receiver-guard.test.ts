import { toolsFixture } from './tools-helpers';
import { startHarness, type Harness } from '../support/harness';
import { appMention, blockActions, slashCommand, viewSubmission } from '../support/slack-requests';

let h: Harness;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  h = await startHarness();
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await h.stop();
});

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const payload = (body: object) => form({ payload: JSON.stringify(body) });
const submission = viewSubmission({ callback_id: 'x' });
const action = blockActions({ action_id: 'x', value: 'y' });

describe('the HTTP receiver guard', () => {
  it.each([
    ['null', 'null', JSON_TYPE],
    ['a number', '5', JSON_TYPE],
    ['a string', '"hello"', JSON_TYPE],
    ['an array', '[1,2,3]', JSON_TYPE],
    ['an empty body', '', JSON_TYPE],
    ['a form whose payload is null', form({ payload: 'null' }), FORM_TYPE],
    ['a form whose payload is an array', form({ payload: '[]' }), FORM_TYPE],
    [
      'an event whose event is null',
      JSON.stringify({ type: 'event_callback', team_id: 'T0001', event: null }),
      JSON_TYPE,
    ],
    ['an event whose event is a string', JSON.stringify({ ...appMention({ text: 'hi' }), event: 'x' }), JSON_TYPE],
    ['an event whose type is a number', JSON.stringify({ ...appMention({ text: 'hi' }), type: 7 }), JSON_TYPE],
    [
      'an action whose actions are a string',
      form({ payload: JSON.stringify({ ...blockActions({ action_id: 'x', value: 'y' }), actions: 'oops' }) }),
      FORM_TYPE,
    ],
    [
      'an action whose user is null',
      form({ payload: JSON.stringify({ ...blockActions({ action_id: 'x', value: 'y' }), user: null }) }),
      FORM_TYPE,
    ],
    [
      'an app_rate_limited notice that also carries a non-object event',
      JSON.stringify({ type: 'app_rate_limited', event: 0, team_id: 'T0001' }),
      JSON_TYPE,
    ],
    ['a command whose text is an array', 'command=%2Fbaton&text[]=a&team_id=T0001&user_id=U0001', FORM_TYPE],
    ['a view submission without its view', payload({ ...submission, view: undefined }), FORM_TYPE],
    ['a view closed without its view', payload({ ...submission, type: 'view_closed', view: undefined }), FORM_TYPE],
    ['a view submission whose response_urls hold null', payload({ ...submission, response_urls: [null] }), FORM_TYPE],
    ['an action whose channel is null', payload({ ...action, channel: null }), FORM_TYPE],
    ['an action from the workspace `constructor`', payload({ ...action, team: { id: 'constructor' } }), FORM_TYPE],
    [
      'a command from the workspace `__proto__`',
      form({ ...slashCommand({ text: 'help' }), team_id: '__proto__' }),
      FORM_TYPE,
    ],
    [
      'an event without a user whose subteam is null',
      JSON.stringify({ ...appMention({ text: 'hi' }), event: { type: 'subteam_updated', subteam: null } }),
      JSON_TYPE,
    ],
  ])('answers a signed request with %s with a 4xx or 2xx and stays up', async (_name, body, headers) => {
    const response = await h.send.raw(body, headers);
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    const health = await fetch(`http://127.0.0.1:${h.baton.port}/healthz`);
    expect(health.status).toBe(200);
  });

  it.each(['/api/v1/users/%E0%A4%A', '/api/v1/threads/%/1.1/context', '/mcp%'])(
    'answers a path that is not valid percent-encoding (%s) with 400, not 500',
    async (path) => {
      const response = await fetch(`http://127.0.0.1:${h.baton.port}${path}`);
      expect(response.status).toBe(400);
    },
  );

  it.each([
    ['/slack/events', 6 * 1024 * 1024],
    ['/api/v1/sessions', 2 * 1024 * 1024],
  ])('answers a body over the limit on %s with 413 instead of resetting the connection', async (path, bytes) => {
    const f = toolsFixture(h);
    const { token } = await f.apiToken(await f.bot(`big${bytes}`, 'full'));
    const response = await fetch(`http://127.0.0.1:${h.baton.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'x'.repeat(bytes) }),
    });
    expect(response.status).toBe(413);
  });

  it('still serves real requests: url_verification, ssl_check and a command', async () => {
    const challenge = await h.send.raw(
      JSON.stringify({ type: 'url_verification', challenge: 'abc', token: 't' }),
      JSON_TYPE,
    );
    expect(challenge).toMatchObject({ status: 200, body: { challenge: 'abc' } });
    const ssl = await h.send.raw(form({ ssl_check: '1', token: 't' }), FORM_TYPE);
    expect(ssl.status).toBe(200);
    const command = await h.send.command(slashCommand({ text: 'help' }));
    expect(command.status).toBe(200);
  });

  it('left no unhandled rejection behind', () => {
    expect(rejections).toEqual([]);
  });
});
