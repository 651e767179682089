import { startHarness, type Harness } from '../support/harness';
import { appMention } from '../support/slack-requests';
import { readyBot, sessionsQuery } from './sessions-helpers';

const METRICS_TOKEN = 'test-metrics-token-0123456789';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness({ METRICS_TOKEN });
  base = `http://127.0.0.1:${h.baton.port}`;
});
afterAll(() => h.stop());

const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };

async function scrape(): Promise<string> {
  const response = await fetch(`${base}/metrics`, { headers: bearer });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample, e.g. `baton_sessions{status="done",provider="claude"}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((label) => l.includes(label)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('/metrics', () => {
  it('answers only with the metrics token', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    const text = await scrape();
    expect(text).toContain('# TYPE baton_http_request_duration_seconds histogram');
    expect(text).toContain('baton_jobs{');
  });

  it('moves when a session runs: sessions, events, Slack calls, jobs and ack latency', async () => {
    const before = await scrape();
    const { bot } = await readyBot(h, 'metered');
    h.anthropic.setScenario('default', 'plain', { text: 'Counted.' });
    const root = h.slack.seedMessage({ text: 'Count this', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> metered go', ts: '1700000900.000200', thread_ts: root.ts }));
    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    const after = await scrape();

    const done = { status: 'done', provider: session.provider };
    expect(sample(after, 'baton_sessions', done)).toBe(sample(before, 'baton_sessions', done) + 1);
    const events = { provider: session.provider };
    expect(sample(after, 'baton_session_events_total', events)).toBeGreaterThan(
      sample(before, 'baton_session_events_total', events),
    );
    const posts = { method: 'chat.postMessage' };
    expect(sample(after, 'baton_slack_api_calls_total', posts)).toBeGreaterThanOrEqual(
      sample(before, 'baton_slack_api_calls_total', posts) + 2,
    );
    expect(sample(after, 'baton_slack_ack_duration_seconds_count')).toBeGreaterThan(
      sample(before, 'baton_slack_ack_duration_seconds_count'),
    );
    const route = { route: '/slack/events', method: 'POST', status: '200' };
    expect(sample(after, 'baton_http_request_duration_seconds_count', route)).toBeGreaterThan(
      sample(before, 'baton_http_request_duration_seconds_count', route),
    );
    expect(after).toMatch(/baton_jobs\{queue="[^"]+",state="completed"\} \d+/);
  });

  it('counts Slack 429s by method', async () => {
    const before = sample(await scrape(), 'baton_slack_rate_limited_total', { method: 'chat.postMessage' });
    h.slack.failNext('chat.postMessage', { retryAfterSec: 1 });
    const { bot } = await readyBot(h, 'limited');
    h.anthropic.setScenario('default', 'plain', { text: 'Limited.' });
    const root = h.slack.seedMessage({ text: 'Slow down', user: 'U0002' });
    await h.send.event(appMention({ text: '<@UBATON> limited go', ts: '1700000901.000200', thread_ts: root.ts }));
    await sessionsQuery(h).waitFor(bot.id, ['done', 'failed']);
    const after = sample(await scrape(), 'baton_slack_rate_limited_total', { method: 'chat.postMessage' });
    expect(after).toBe(before + 1);
  });
});

describe('/admin/queues', () => {
  it('refuses requests without the token', async () => {
    const page = await fetch(`${base}/admin/queues`);
    expect(page.status).toBe(401);
    expect(await page.text()).not.toContain('Baton queues');
    expect((await fetch(`${base}/admin/queues/api/queues`)).status).toBe(401);
    const wrong = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: 'Bearer nope-nope' } });
    expect(wrong.status).toBe(401);
  });

  it('shows the queues and their jobs to the operator', async () => {
    const page = await fetch(`${base}/admin/queues`, { headers: bearer });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: bearer });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['sessions', 'tasks', 'triggers']);
  });
});

describe('without METRICS_TOKEN', () => {
  it('has no /metrics at all', async () => {
    const plain = await startHarness();
    try {
      const response = await fetch(`http://127.0.0.1:${plain.baton.port}/metrics`, { headers: bearer });
      expect(response.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
