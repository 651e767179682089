import { UnrecoverableError } from 'bullmq';
import { postWebhook, type WebhookAttempt } from '../src/adapters/self-hosted/webhook-client';
import { connectionView } from '../src/bots/catalog';
import type { DeliveryOutcome } from '../src/domain/self-hosted';
import { deliverWebhook, type DeliverWebhook } from './definitions';
import type { JobAttempt, ProcessorDeps } from './deps';

/** A delivery the runtime did not take; the job throws it so BullMQ retries with backoff. */
class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
}

const isOk = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * Sends one signed webhook to a self-hosted bot's runtime and logs the attempt. 2xx: done. 410: the endpoint is
 * disabled and the admins are told. Anything else is retried with exponential backoff; when the last try fails, a
 * session waiting on it ends with a note instead of waiting forever.
 */
export async function runDeliverWebhook(data: unknown, deps: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const parsed = deliverWebhook.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError('invalid deliver-webhook payload');
  const job = parsed.data;
  const { selfHosted, deliveries } = deps.stores;
  const connection = await selfHosted.get(job.botId);
  const record = (outcome: DeliveryOutcome, result: WebhookAttempt) =>
    deliveries.record({
      botId: job.botId,
      sessionId: job.sessionId,
      webhookId: job.webhookId,
      event: job.event,
      attempt: attempt.number,
      status: result.status,
      outcome,
      durationMs: result.durationMs,
      detail: result.detail || null,
    });
  if (!connection || (connection.disabledAt && !job.viewId)) {
    const why = connection ? 'Deliveries are stopped (the runtime answered 410 Gone).' : 'No runtime URL is saved.';
    await record('skipped', { status: null, durationMs: 0, detail: why });
    await endSession(deps, job, `${why} Ask an admin to open the bot's Agent connection.`);
    return;
  }
  const result = await postWebhook({
    url: connection.url,
    secrets: await selfHosted.signingSecrets(job.botId),
    webhookId: job.webhookId,
    event: job.event,
    data: job.data,
    timeoutMs: deps.webhooks.timeoutMs,
  });
  deps.log.info({
    event: 'webhook.delivery',
    botId: job.botId,
    webhook: job.event,
    attempt: attempt.number,
    status: result.status,
    durationMs: result.durationMs,
    traceId: job.traceId,
  });
  if (job.viewId) return showTestResult(deps, job, result);
  if (isOk(result.status)) return record('delivered', result);
  if (result.status === 410) {
    await record('gone', result);
    return disable(deps, job);
  }
  await record(attempt.isFinal ? 'failed' : 'retrying', result);
  if (attempt.isFinal) {
    await endSession(
      deps,
      job,
      `The runtime did not accept ${job.event} after ${attempt.number} attempts (last answer: ${result.status ?? 'none'}).`,
    );
    return;
  }
  throw new DeliveryFailed(`runtime answered ${result.status ?? 'nothing'}`);
}

async function showTestResult(deps: ProcessorDeps, job: DeliverWebhook, result: WebhookAttempt): Promise<void> {
  await deps.stores.deliveries.record({
    botId: job.botId,
    sessionId: null,
    webhookId: job.webhookId,
    event: job.event,
    attempt: 1,
    status: result.status,
    outcome: isOk(result.status) ? 'delivered' : 'failed',
    durationMs: result.durationMs,
    detail: result.detail || null,
  });
  const view = await connectionView(deps.stores, { teamId: job.teamId, userId: 'baton' }, job.botId, {
    test: { state: 'answered', ...result },
    apiUrl: deps.session.apiUrl,
  });
  if (!view) return;
  const client = await deps.slack.forTeam({ teamId: job.teamId });
  await client.views.update({ view_id: job.viewId!, view });
}

/** 410 Gone: stop sending, mark the bot failed (the bots list and App Home show why) and tell whoever made it. */
async function disable(deps: ProcessorDeps, job: DeliverWebhook): Promise<void> {
  const reason = 'the runtime answered 410 Gone';
  await deps.stores.selfHosted.disable(job.botId, reason);
  const bot = await deps.stores.bots.get(job.teamId, job.botId);
  if (!bot) return;
  const detail =
    'Its runtime answered 410 Gone, so Baton stopped sending webhooks. Save its Agent connection to resume.';
  await deps.stores.bots.setStatus(bot.id, 'failed', detail);
  await deps.stores.audit.record({
    teamId: job.teamId,
    actorId: 'baton',
    action: 'bot.runtime_disabled',
    target: bot.name,
    details: { event: job.event, webhookId: job.webhookId },
  });
  const client = await deps.slack.forTeam({ teamId: job.teamId });
  await client.chat
    .postMessage({ channel: bot.createdBy, text: `*${bot.name}*: ${detail}` })
    .catch((error: unknown) => deps.log.warn({ event: 'webhook.disable_notice_failed', err: error }));
  await endSession(deps, job, `${bot.name}'s runtime answered 410 Gone, so Baton stopped sending to it. ${detail}`);
}

/** A session whose start or follow-up never reached the runtime ends with the reason, through its own events. */
async function endSession(deps: ProcessorDeps, job: DeliverWebhook, message: string): Promise<void> {
  if (!job.sessionId || !['session.started', 'session.follow_up'].includes(job.event)) return;
  const key = `delivery-failed-${job.webhookId}`;
  await deps.stores.inbox.append(job.sessionId, key, [
    {
      id: `${key}:error`,
      raw: { source: 'baton' },
      kind: 'error',
      errorKind: 'provider',
      message,
      server: null,
      repository: null,
    },
    { id: `${key}:end`, raw: { source: 'baton' }, kind: 'turn_ended', reason: 'error', answer: null },
  ]);
}
