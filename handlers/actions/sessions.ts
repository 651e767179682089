import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { createHandToBotJob, createJob } from '../../jobs/definitions';
import { parseConfigSnapshot } from '../../src/sessions/config-snapshot';
import { configRows } from '../../src/sessions/describe-config';
import { escapeMrkdwn } from '../../src/views/blocks';
import { buildConfigDetails } from '../../src/views/config-details';
import { modal } from '../../src/views/elements';
import { VIEW } from '../../src/views/ids';
import { buildNoticeModal } from '../../src/views/notice-modal';
import type { SessionActor } from '../../src/sessions/access';
import { button } from '../../src/views/elements';
import { ACTION } from '../../src/views/ids';
import { NO_SESSION_PAGE } from '../../src/web/page-links';
import { buildSessionLog, LOG_PAGE_SIZE } from '../../src/views/session-log';
import { actorOf } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const confirmValue = z.object({ s: z.string(), t: z.string() });
const pageValue = z.object({ s: z.string(), p: z.number().int() });
const pickValue = z.object({ p: z.string(), b: z.string(), c: z.string(), t: z.string(), m: z.string() });

const parse = <T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined => {
  try {
    const result = schema.safeParse(JSON.parse(raw ?? ''));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
};

const expired = 'That button has expired.';

const refusal = (text: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text });

/** The person pressing, for `SessionAccess`: the payload's user team tells a Slack Connect user apart. */
function sessionActor(context: ButtonArgs['context'], body: ButtonArgs['body']): SessionActor {
  return { ...actorOf(context, body), userTeamId: body.user.team_id };
}

/** Stop on the card: the running turn is interrupted and the session ends as stopped. */
export const onStopSession =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const session = await deps.sessions.get(action.value ?? '');
    if (!session) return void (await respond(refusal(expired)));
    const verdict = await deps.sessionAccess.mayControl(client, session, sessionActor(context, body));
    if (!verdict.isAllowed) return void (await respond(refusal(verdict.reason)));
    const sessionId = session.id;
    await deps.queue.enqueue(
      createJob(
        'control-session',
        { traceId: actor.traceId, sessionId, userId: actor.userId, action: { type: 'stop' } },
        sessionId,
      ),
    );
  };

/** Approve / Deny a tool call: only the requester or a member of the channel may answer. */
export const onConfirmTool =
  (deps: HandlerDeps, allow: boolean) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const value = parse(confirmValue, action.value);
    const session = value ? await deps.sessions.get(value.s) : undefined;
    if (!value || !session) return void (await respond(refusal(expired)));
    const verdict = await deps.sessionAccess.mayControl(client, session, sessionActor(context, body));
    if (!verdict.isAllowed) return void (await respond(refusal(verdict.reason)));
    const job = { type: 'confirm' as const, toolUseId: value.t, allow, isTimeout: false };
    await deps.queue.enqueue(
      createJob(
        'control-session',
        { traceId: actor.traceId, sessionId: session.id, userId: actor.userId, action: job },
        value.t,
      ),
    );
  };

/** View log on the card: the last page, for people who may read everything the session read. */
export const onViewLog =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const session = await deps.sessions.get(action.value ?? '');
    if (!session) {
      const view = buildNoticeModal('Session log', 'This session no longer exists.');
      return void (await client.views.open({ trigger_id: body.trigger_id, view }));
    }
    const verdict = await deps.sessionAccess.mayReadLog(client, session, sessionActor(context, body));
    if (!verdict.isAllowed) return void (await respond(refusal(verdict.reason)));
    const link = deps.pageLinks?.linkFor(session, body.user.id) ?? null;
    const view = buildSessionLog(session.id, await deps.sessions.logPage(session.id, 0, LOG_PAGE_SIZE), link);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };

/** Earlier / Later in the log modal: the same check again, since the modal outlives it. */
export const onLogPage =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action }: ButtonArgs): Promise<void> => {
    await ack();
    const value = parse(pageValue, action.value);
    if (!value || !body.view) return;
    const session = await deps.sessions.get(value.s);
    const verdict = session
      ? await deps.sessionAccess.mayReadLog(client, session, sessionActor(context, body))
      : { isAllowed: false as const, reason: 'This session no longer exists.' };
    const link = session ? (deps.pageLinks?.linkFor(session, body.user.id) ?? null) : null;
    const view = verdict.isAllowed
      ? buildSessionLog(value.s, await deps.sessions.logPage(value.s, value.p, LOG_PAGE_SIZE), link)
      : buildNoticeModal('Session log', verdict.reason);
    await client.views.update({ view_id: body.view.id, view });
  };

/** Open session page on the card: a link signed for the person who pressed it, shown only to them. */
export const onOpenPage =
  (deps: HandlerDeps) =>
  async ({ ack, body, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const session = await deps.sessions.get(action.value ?? '');
    if (!session || session.teamId !== actor.teamId) {
      return void (await respond({ response_type: 'ephemeral', replace_original: false, text: expired }));
    }
    if (!deps.pageLinks) {
      return void (await respond({ response_type: 'ephemeral', replace_original: false, text: NO_SESSION_PAGE }));
    }
    const url = deps.pageLinks.linkFor(session, actor.userId);
    const text = 'Your link to the live session page (it works for 10 minutes, and only for you):';
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: `${text} ${url}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        { type: 'actions', elements: [{ ...button('Open session page', ACTION.pageLink), url }] },
      ],
    });
  };

/** Retry on a failed card: a new session with the same bot, thread and task. */
export const onRetrySession =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const failed = await deps.sessions.get(action.value ?? '');
    if (!failed) return void (await respond(refusal(expired)));
    const verdict = await deps.sessionAccess.mayControl(client, failed, sessionActor(context, body));
    if (!verdict.isAllowed) return void (await respond(refusal(verdict.reason)));
    // The job runs the failed session's task again; the press's own id makes it one session however often it runs.
    await deps.queue.enqueue(
      createHandToBotJob(`retry-${actor.userId}-${action.action_ts}`, {
        traceId: actor.traceId,
        teamId: failed.teamId,
        enterpriseId: failed.enterpriseId ?? undefined,
        source: 'retry',
        channel: failed.channelId,
        userId: actor.userId,
        messageTs: failed.triggerTs,
        threadTs: failed.threadTs,
        words: '',
        retryOf: failed.id,
      }),
    );
  };

/** A bot chosen from the ephemeral picker after a mention that named none: it gets the task typed then. */
export const onPickBot =
  (deps: HandlerDeps) =>
  async ({ ack, body, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const value = parse(pickValue, action.value);
    if (!value) return void (await respond({ response_type: 'ephemeral', replace_original: true, text: expired }));
    await respond({ delete_original: true });
    await deps.queue.enqueue(
      createHandToBotJob(`pick-${value.p}`, {
        traceId: actor.traceId,
        teamId: actor.teamId,
        enterpriseId: actor.enterpriseId,
        source: 'pick',
        channel: value.c,
        userId: actor.userId,
        messageTs: value.m,
        threadTs: value.t,
        words: '',
        botId: value.b,
        pickId: value.p,
      }),
    );
  };

/**
 * Continue on a card paused at its spending limit: only the requester or a Baton admin may raise the limit, by the
 * session's own limit again; anyone else gets a clear refusal and nothing changes.
 */
export const onContinueBudget =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, context, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context, body);
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const session = await deps.sessions.get(action.value ?? '');
    const spend = session ? await deps.spend.get(session.id) : undefined;
    const config = spend ? parseConfigSnapshot(spend.config) : undefined;
    if (!session || !spend || !config || spend.limitCents === null) return void (await say(expired));
    if (session.status !== 'paused') return void (await say('This session is not paused at its limit any more.'));
    if (actor.userId !== session.requesterId && !(await deps.access.canConfigure(client, actor.teamId, actor.userId))) {
      return void (await say(
        `Only <@${session.requesterId}> (who started this session) or a Baton admin can raise its spending limit.`,
      ));
    }
    const raise = { type: 'raise_budget' as const, fromCents: spend.limitCents, byCents: config.budgetCents.value };
    await deps.queue.enqueue(
      createJob(
        'control-session',
        { traceId: actor.traceId, sessionId: session.id, userId: actor.userId, action: raise },
        `budget-${session.id}-${spend.limitCents}`,
      ),
    );
  };

/** Details on the card: each setting the session runs with and where it came from. */
export const onSessionDetails =
  (deps: HandlerDeps) =>
  async ({ ack, body, client, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const spend = await deps.spend.get(action.value ?? '');
    const config = spend ? parseConfigSnapshot(spend.config) : undefined;
    if (!config) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: expired }));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: modal(
        VIEW.sessionDetails,
        'Session details',
        buildConfigDetails(`*${escapeMrkdwn(config.botName)}* runs with:`, configRows(config)),
        { close: 'Close' },
      ),
    });
  };
