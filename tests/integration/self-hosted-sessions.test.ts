import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createRunSessionJob, SESSION_QUEUE_NAME } from '../../jobs/definitions';
import { AccessTokenRepository } from '../../models/access-tokens';
import { BotRepository } from '../../models/bots';
import { SelfHostedConnectionRepository } from '../../models/self-hosted-connections';
import { WebhookDeliveryRepository } from '../../models/webhook-deliveries';
import { Secrets } from '../../src/crypto/secrets';
import { ACTION } from '../../src/views/ids';
import { startHarness, type Harness } from '../support/harness';
import { testRedisUrl } from '../support/redis';
import { appMention, blockActions } from '../support/slack-requests';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { sessionsQuery } from './sessions-helpers';
// The example runtime from the README, run as it is.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRuntime } = require('../../examples/self-hosted-runtime') as {
  startRuntime(options: {
    port: number;
    secret: string;
    apiToken: string;
    apiUrl: string;
    log?: (line: string) => void;
  }): Promise<Server>;
};

let h: Harness;
let receiver: WebhookReceiver;
const servers: Server[] = [];
beforeAll(async () => {
  h = await startHarness();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await receiver.close();
  await h.stop();
});

const text = (value: unknown) => JSON.stringify(value);
let ts = 1700001000;
const nextTs = () => `${++ts}.000100`;

/** A Self-hosted bot whose runtime URL is saved; returns its signing secret and a fresh bot API token. */
async function runtimeBot(name: string, url = 'http://127.0.0.1:1/placeholder') {
  const { db } = h.db;
  const bot = await new BotRepository(db).create({
    teamId: 'T0001',
    name,
    displayName: name,
    icon: null,
    type: 'self_hosted',
    description: '',
    createdBy: 'U0001',
  });
  const connections = new SelfHostedConnectionRepository(
    db,
    new Secrets(Buffer.from(h.config.encryptionKey!, 'base64')),
  );
  const { newSecret } = await connections.save(bot.id, { url, guidance: '' });
  await new BotRepository(db).setStatus(bot.id, 'ready');
  const { token } = await new AccessTokenRepository(db).create({
    kind: 'api',
    teamId: 'T0001',
    botId: bot.id,
    scope: 'basic',
    label: 'runtime',
    createdBy: 'U0001',
  });
  return { bot, secret: newSecret!, token, setUrl: (u: string) => connections.save(bot.id, { url: u, guidance: '' }) };
}

async function mention(name: string, thread: string) {
  const root = h.slack.seedMessage({ text: thread, user: 'U0002' });
  await h.send.event(appMention({ text: `<@UBATON> ${name} please help`, ts: nextTs(), thread_ts: root.ts }));
  return root;
}

describe('Self-hosted sessions', () => {
  it('runs a session from mention to answer with the example runtime, over signed webhooks and the callback API', async () => {
    const { bot, secret, token, setUrl } = await runtimeBot('homegrown');
    const apiUrl = `http://127.0.0.1:${h.baton.port}/api/v1`;
    const server = await startRuntime({ port: 0, secret, apiToken: token, apiUrl, log: () => undefined });
    servers.push(server);
    await setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const root = await mention('homegrown', 'Can someone summarise the incident?');

    const session = await sessionsQuery(h).waitFor(bot.id, 'done');
    const answer = await h.slack.waitFor('chat.postMessage', (c) =>
      text(c).includes('Hello from the example runtime!'),
    );
    expect(answer.args).toMatchObject({ thread_ts: root.ts, username: 'homegrown' });
    const kinds = (await sessionsQuery(h).events(session.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['turn_started', 'step_started', 'step_finished', 'turn_ended']));
    const log = await new WebhookDeliveryRepository(h.db.db).listForBot(bot.id, 10);
    expect(log).toEqual([
      expect.objectContaining({ event: 'session.started', attempt: 1, status: 200, outcome: 'delivered' }),
    ]);
  });

  it('signs session.started without secrets, retries with backoff, and refuses another bot touching the session', async () => {
    const { bot, secret, token } = await runtimeBot('retrier', receiver.url);
    const other = await runtimeBot('intruder');
    receiver.secrets = [secret];
    receiver.respondWith(503, 2);
    await mention('retrier', 'Please triage');
    const started = await receiver.waitFor((w) => w.type === 'session.started' && w.data.sessionId !== undefined);
    const delivered = await receiver.waitFor(
      (w) => w.type === 'session.started' && receiver.received.filter((x) => x.type === 'session.started').length >= 3,
    );
    expect(delivered.verifiedBy).toEqual([secret]);
    const sessionId = String(started.data.sessionId);
    const sameId = receiver.received.filter((w) => w.type === 'session.started').map((w) => w.headers['webhook-id']);
    expect(new Set(sameId).size).toBe(1);
    expect(started.body).not.toMatch(/btn_(mcp|pat)_|whsec_/);
    expect(started.data).toMatchObject({ requestedBy: { slackUserId: 'U0001' }, slack: { channelId: 'C0001' } });
    expect(String((started.data.task as { context: string }).context)).toContain('Please triage');
    // The runtime has its answer before Baton records the delivery: wait for the record.
    const attempts = async () => {
      const deliveries = new WebhookDeliveryRepository(h.db.db);
      for (let i = 0; i < 200; i++) {
        const log = await deliveries.listForBot(bot.id, 10);
        if (log.length >= 3) return log.map((d) => [d.attempt, d.status]);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return (await deliveries.listForBot(bot.id, 10)).map((d) => [d.attempt, d.status]);
    };
    await expect(attempts()).resolves.toEqual([
      [3, 200],
      [2, 503],
      [1, 503],
    ]);

    const api = `http://127.0.0.1:${h.baton.port}/api/v1/sessions/${sessionId}`;
    const call = (bearer: string, path: string, body: unknown, key = 'k1') =>
      fetch(`${api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    expect((await call(other.token, '/messages', { text: 'hi' })).status).toBe(404);
    const credentials = await fetch(`${api}/credentials`, { headers: { authorization: `Bearer ${token}` } });
    expect(await credentials.json()).toMatchObject({ mcp: { token: expect.stringMatching(/^btn_mcp_/) } });
    expect((await call(token, '/messages', { text: 'Working on it' })).status).toBe(201);
    expect(await (await call(token, '/messages', { text: 'Working on it' })).json()).toMatchObject({ duplicate: true });
    expect((await call(token, '/finish', { answer: 'Triaged: a flaky test.' }, 'k2')).status).toBe(201);
    await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.slack.waitFor('chat.postMessage', (c) => text(c).includes('Triaged: a flaky test.'));
    const messages = (await sessionsQuery(h).events(sessionId)).filter((e) => e.kind === 'message');
    expect(messages).toHaveLength(1);
  });

  it('gives a waiting session back to the queue when Baton stops, and the next process finishes it', async () => {
    const { bot, secret, token } = await runtimeBot('patient', receiver.url);
    receiver.secrets = [secret];
    await mention('patient', 'Take your time');
    const started = await receiver.waitFor(
      (w) => w.type === 'session.started' && (w.data.bot as { name?: string } | undefined)?.name === 'patient',
    );
    const sessionId = String(started.data.sessionId);
    await sessionsQuery(h).waitFor(bot.id, 'running');

    // The runtime has not called back: the stop must not wait for it, nor count as a crash of the session.
    await h.restart();
    const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(SESSION_QUEUE_NAME, { connection, prefix: h.config.redisPrefix });
    const jobId = createRunSessionJob({ id: sessionId, teamId: 'T0001' }, '').jobId!;
    let job = await queue.getJob(jobId);
    for (let i = 0; i < 400 && (job?.attemptsStarted ?? 0) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = await queue.getJob(jobId);
    }
    expect(job).toMatchObject({ attemptsStarted: 2, stalledCounter: 0, attemptsMade: 0 });
    await queue.close();
    connection.disconnect();

    const finish = await fetch(`http://127.0.0.1:${h.baton.port}/api/v1/sessions/${sessionId}/finish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'f1' },
      body: JSON.stringify({ answer: 'Done after the restart.' }),
    });
    expect(finish.status).toBe(201);
    await sessionsQuery(h).waitFor(bot.id, 'done');
    await h.slack.waitFor('chat.postMessage', (c) => text(c).includes('Done after the restart.'));
    expect(
      receiver.received.filter((w) => w.data.sessionId === sessionId && w.type === 'session.started'),
    ).toHaveLength(1);
  });

  it('stops sending after a 410, tells the admins and ends the session with a note', async () => {
    const { bot, secret } = await runtimeBot('gone', receiver.url);
    receiver.secrets = [secret];
    receiver.respondWith(410);
    await mention('gone', 'Anyone there?');
    const session = await sessionsQuery(h).waitFor(bot.id, 'failed');
    expect(session.statusReason).toContain('410 Gone');
    const stored = await new BotRepository(h.db.db).get('T0001', bot.id);
    expect(stored).toMatchObject({ status: 'failed', statusDetail: expect.stringContaining('410 Gone') });
    await h.slack.waitFor('chat.postMessage', (c) => c.args.channel === 'U0001' && text(c).includes('410 Gone'));
    const [delivery] = await new WebhookDeliveryRepository(h.db.db).listForBot(bot.id, 1);
    expect(delivery).toMatchObject({ status: 410, outcome: 'gone' });
  });

  it('sends session.stop_requested on Stop and ends the session as stopped', async () => {
    const { bot, secret } = await runtimeBot('stoppable', receiver.url);
    receiver.secrets = [secret];
    await mention('stoppable', 'Long task');
    const started = await receiver.waitFor(
      (w) =>
        w.type === 'session.started' &&
        w.data.bot !== undefined &&
        (w.data.bot as { name: string }).name === 'stoppable',
    );
    const session = await sessionsQuery(h).waitFor(bot.id, 'running');
    await h.send.interaction(blockActions({ action_id: ACTION.stopSession, value: session.id }));
    await sessionsQuery(h).waitFor(bot.id, 'stopped');
    const stop = await receiver.waitFor(
      (w) => w.type === 'session.stop_requested' && w.data.sessionId === started.data.sessionId,
    );
    expect(stop.verifiedBy).toEqual([secret]);
  });
});
