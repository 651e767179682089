import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { createAnswerMentionJob, createJob } from '../../jobs/definitions';
import { chooseBot } from '../../src/sessions/resolve-bot';
import { newTraceId } from '../../src/trace';
import type { HandlerDeps } from '../deps';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

const MENTION = /<@[A-Z0-9]+(\|[^>]*)?>/g;

/** The words of a mention without the `<@U…>` tokens. */
export const mentionText = (text: string): string => text.replace(MENTION, ' ').replace(/\s+/g, ' ').trim();

/** `@Baton ping` (a short message with the word ping, naming no bot) checks Baton itself. */
function isPing(words: string, bots: Array<{ name: string }>): boolean {
  const list = words.split(/\s+/).filter(Boolean);
  const first = list[0]?.toLowerCase() ?? '';
  return list.length <= 3 && /\bping\b/i.test(words) && !bots.some((bot) => bot.name.toLowerCase() === first);
}

export interface Trigger {
  teamId: string;
  enterpriseId: string | undefined;
  eventId: string;
  channel: string;
  userId: string;
  messageTs: string;
  threadTs: string;
  words: string;
  trigger: 'mention' | 'dm';
}

/**
 * A mention (or DM) hands work to a bot: a new session with its own card, or a follow-up when that bot is still
 * running in this thread. `ping` checks Baton itself. Ambiguous mentions get an ephemeral bot picker.
 */
export async function handToBot(deps: HandlerDeps, t: Trigger): Promise<void> {
  const base = {
    traceId: newTraceId(),
    teamId: t.teamId,
    enterpriseId: t.enterpriseId,
    channel: t.channel,
    userId: t.userId,
  };
  const ask = (intent: 'ping' | 'pick' | 'no_bots', bots: Array<{ id: string; name: string }> = []) =>
    deps.queue.enqueue(
      createAnswerMentionJob(t.eventId, { ...base, intent, bots, messageTs: t.messageTs, threadTs: t.threadTs }),
    );
  const bots = await deps.stores.bots.list(t.teamId);
  if (isPing(t.words, bots)) return ask('ping');
  const choice = chooseBot(
    bots,
    t.words,
    await deps.channels.defaultBotId({ teamId: t.teamId, enterpriseId: t.enterpriseId ?? null, channelId: t.channel }),
  );
  if (choice.kind === 'none') return ask('no_bots');
  if (choice.kind === 'ambiguous')
    return ask(
      'pick',
      choice.bots.map((b) => ({ id: b.id, name: b.name })),
    );

  const running = await deps.sessions.findActive(t.teamId, t.channel, t.threadTs, choice.bot.id);
  if (running) {
    const action = { type: 'follow_up' as const, messageTs: t.messageTs, text: choice.task };
    await deps.queue.enqueue(
      createJob(
        'control-session',
        { traceId: base.traceId, sessionId: running.id, userId: t.userId, action },
        t.eventId,
      ),
    );
    return;
  }
  await deps.starter.start({
    teamId: t.teamId,
    enterpriseId: t.enterpriseId,
    botId: choice.bot.id,
    channelId: t.channel,
    threadTs: t.threadTs,
    trigger: t.trigger,
    triggerTs: t.messageTs,
    requesterId: t.userId,
    task: choice.task,
  });
}

export const onAppMention =
  (deps: HandlerDeps) =>
  async ({ event, body, context }: MentionArgs): Promise<void> => {
    if (!event.user) return;
    await handToBot(deps, {
      teamId: context.teamId ?? body.team_id,
      enterpriseId: context.enterpriseId,
      eventId: body.event_id,
      channel: event.channel,
      userId: event.user,
      messageTs: event.ts,
      threadTs: event.thread_ts ?? event.ts,
      words: mentionText(event.text),
      trigger: 'mention',
    });
  };
