import { UnrecoverableError } from 'bullmq';
import { ignoreSlackErrors } from '../src/adapters/slack/errors';
import type { SessionTrigger } from '../src/domain/sessions';
import { decide, isSurelyWork, type Decision } from '../src/sessions/decide';
import { showCardNow } from '../src/sessions/open-run';
import { loadSessionConfig } from '../src/sessions/session-config';
import { buildBotPicker } from '../src/views/bot-picker';
import { createFollowUpJob, createQueuedCardJob, createRunSessionJob, handToBot, type HandToBot } from './definitions';
import type { JobAttempt, ProcessorDeps } from './deps';

const TRIGGER: Record<HandToBot['source'], SessionTrigger> = {
  mention: 'mention',
  dm: 'dm',
  reply: 'mention',
  assignment: 'assignment',
  pick: 'mention',
  retry: 'mention',
};

/**
 * Decides what one Slack trigger means and does it: `pong`, a bot picker, a follow-up to the thread's session, or
 * a new session. Every step is keyed by the job's id (which comes from the Slack event or action), so a job that
 * runs again after a crash, or a trigger Slack sends twice, finds what the first run made instead of doubling it.
 */
export async function runHandToBot(data: unknown, all: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const parsed = handToBot.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError('invalid hand-to-bot payload');
  const log = all.log.child({ traceId: parsed.data.traceId, teamId: parsed.data.teamId });
  const deps = { ...all, log, session: { ...all.session, log } };
  const t = await resolveInput(parsed.data, deps);
  if (!t) return;
  const { teamId, channel, threadTs } = t;
  // "I heard you" first: a mention that opens a thread and is no ping hands work to a bot (or asks which), so 👀 goes
  // out beside the reads that decide it, if the reaction budget allows it now (or went before the job, from the web).
  const heardEarly = t.heard !== undefined ? Promise.resolve(t.heard) : isSurelyWork(t) ? hear(deps, t) : undefined;
  const [bots, defaultBotId, active] = await Promise.all([
    deps.stores.bots.list(teamId),
    deps.channels.defaultBotId({ teamId, enterpriseId: t.enterpriseId ?? null, channelId: channel }),
    deps.triggers.activeInThread(teamId, channel, threadTs),
  ]);
  const decision = decide({ source: t.source, words: t.words, botId: t.botId }, { bots, defaultBotId, active });
  deps.log.info({ event: 'trigger.decided', source: t.source, decision: decision.kind });
  await act(decision, t, deps, attempt.jobId, heardEarly);
}

/** 👀 on the trigger through the writer (see `acknowledge`); false when it did not go now or failed. */
function hear(deps: ProcessorDeps, t: HandToBot, isStillWanted?: () => Promise<boolean>): Promise<boolean> {
  return deps.session.writer.acknowledge(t, t.channel, t.messageTs, isStillWanted).catch((error: unknown) => {
    deps.log.warn({ event: 'trigger.acknowledge_failed', err: error });
    return false;
  });
}

/** A trigger that turned out to start nothing takes back the 👀 it got early. */
async function unhear(deps: ProcessorDeps, t: HandToBot, heardEarly: Promise<boolean> | undefined): Promise<void> {
  if (await heardEarly) await deps.session.writer.react(t, t.channel, t.messageTs, 'eyes', false);
}

/** The picker's and Retry's words and bot come from what was stored when the person was asked. */
async function resolveInput(t: HandToBot, deps: ProcessorDeps): Promise<HandToBot | undefined> {
  if (t.source === 'pick') {
    const words = t.pickId ? await deps.picks.get(t.pickId) : undefined;
    if (words !== undefined) return { ...t, words };
    await ephemeral(deps, t, 'That choice has expired. Mention the bot again with your task.');
    return undefined;
  }
  if (t.source === 'retry') {
    const failed = t.retryOf ? await deps.session.sessions.get(t.retryOf) : undefined;
    if (!failed || failed.teamId !== t.teamId) return undefined;
    return {
      ...t,
      channel: failed.channelId,
      threadTs: failed.threadTs,
      messageTs: failed.triggerTs,
      words: failed.task,
      botId: failed.botId,
    };
  }
  return t;
}

async function act(
  decision: Decision,
  t: HandToBot,
  deps: ProcessorDeps,
  key: string,
  heardEarly: Promise<boolean> | undefined,
): Promise<void> {
  const { channel, messageTs, threadTs, traceId } = t;
  switch (decision.kind) {
    case 'ignore':
      return;
    case 'ping': {
      const client = await deps.slack.forTeam(t);
      await ignoreSlackErrors(['already_reacted'], () =>
        client.reactions.add({ channel, timestamp: messageTs, name: 'table_tennis_paddle_and_ball' }),
      );
      await client.chat.postMessage({ channel, thread_ts: threadTs, text: 'pong' });
      return;
    }
    case 'no_bots':
      await unhear(deps, t, heardEarly);
      return ephemeral(deps, t, 'There are no bots in this workspace yet. An admin can create one with `/baton bots`.');
    case 'bot_gone':
      await unhear(deps, t, heardEarly);
      return ephemeral(deps, t, 'That bot no longer exists. Mention another one with your task.');
    case 'pick': {
      await deps.picks.save(key, decision.task);
      const blocks = buildBotPicker(decision.bots, { pickId: key, channel, threadTs, messageTs }, decision.task);
      const client = await deps.slack.forTeam(t);
      await client.chat.postEphemeral({
        channel,
        user: t.userId,
        thread_ts: threadTs,
        text: 'Which bot should take this?',
        blocks,
      });
      return;
    }
    case 'follow_up': {
      const { session } = decision;
      // A session whose run job was lost (a Redis blip after its row was made) gets it back: the id dedupes.
      if (session.status === 'queued') await deps.session.queue.enqueue(createRunSessionJob(session, traceId));
      const action = { type: 'follow_up' as const, messageTs, text: decision.text };
      await deps.session.queue.enqueue(
        createFollowUpJob(key, { traceId, sessionId: session.id, userId: t.userId, action }),
      );
      return;
    }
    case 'start': {
      const made = deps.triggers.createOnce(key, traceId, {
        teamId: t.teamId,
        enterpriseId: t.enterpriseId,
        botId: decision.bot.id,
        channelId: channel,
        threadTs,
        trigger: t.source === 'pick' && channel.startsWith('D') ? 'dm' : TRIGGER[t.source],
        triggerTs: messageTs,
        requesterId: t.userId,
        task: decision.task,
        openingMessage: t.opening,
      });
      // "I heard you" beside making the session, unless 👀 went early: 👀 if the reaction budget allows it now, else
      // as soon as it does unless the card has shown by then.
      const isCardMissing = async () => !(await deps.session.sessions.get((await made).session.id))?.cardTs;
      const early = heardEarly ?? Promise.resolve(false);
      const heard = early.then((isHeard) => isHeard || hear(deps, t, isCardMissing));
      // The card's configuration is read beside making the session too, unless 👀 went early (its run reads it).
      const channelKey = { teamId: t.teamId, enterpriseId: t.enterpriseId, channelId: channel };
      const config = early.then((isHeard) =>
        isHeard ? undefined : loadSessionConfig(deps.session.settings, channelKey, decision.bot.id, decision.bot),
      );
      // Nothing awaits the read when making the session fails: its own failure then must not go unhandled.
      config.catch(() => undefined);
      const { session, isNew } = await made;
      // No 👀 yet: the card goes now if the channel's post budget allows it (the run job may start seconds later).
      const resolution = isNew && !(await heard) ? await config : undefined;
      const card = resolution ? await showCardNow(deps.session, session, decision.bot, resolution) : 'later';
      const hasSign = card === 'shown' || (await heard);
      // No card yet: if every run slot is busy, the card says so before long.
      await Promise.all([
        card !== 'refused' && deps.session.queue.enqueue(createRunSessionJob(session, traceId, hasSign)),
        card === 'later' && deps.queue.enqueue(createQueuedCardJob(session, traceId, deps.queuedCardAfterMs)),
      ]);
      deps.log.info({
        event: 'trigger.session',
        sessionId: session.id,
        botId: decision.bot.id,
        heard: await heard,
        card,
      });
    }
  }
}

async function ephemeral(deps: ProcessorDeps, t: HandToBot, text: string): Promise<void> {
  const client = await deps.slack.forTeam(t);
  await client.chat.postEphemeral({ channel: t.channel, user: t.userId, thread_ts: t.threadTs, text });
}
