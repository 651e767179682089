import { formatMessage, type RawSlackMessage, toThreadMessages, untrusted } from '../sessions/thread-messages';
import { slackCall, ToolError } from './errors';
import type { OpContext, OpResult } from './operation';
import { postAsBot } from './post-as-bot';
import { threadParent } from './thread-ops';
import { accessibleChannel, maySeeChannel } from './channel-access';

// Bot tokens cannot call search.messages, so search reads recent history: at most this much of it per call.
export const SEARCH_CHANNELS_MAX = 5;
export const SEARCH_MESSAGES_PER_CHANNEL = 200;

export async function channelHistory(ctx: OpContext, channel: string, limit: number): Promise<OpResult> {
  const name = await accessibleChannel(ctx, channel);
  ctx.reads.spend(1);
  const page = await slackCall(ctx.client.conversations.history({ channel, limit }));
  const raw = ((page.messages ?? []) as RawSlackMessage[]).reverse();
  const messages = await toThreadMessages(raw, ctx.names);
  const body = [`#${name} (${channel}): the latest ${messages.length} messages, oldest first`, '']
    .concat(messages.map(formatMessage))
    .join('\n');
  return { text: untrusted(body), data: { channel, name, messages, untrusted: true } };
}

/** Channels Baton is in that the caller may read, as many as this call's Slack reads allow. */
async function searchableChannels(ctx: OpContext): Promise<string[]> {
  ctx.reads.spend(1);
  const page = await slackCall(
    ctx.client.users.conversations({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200 }),
  );
  const visible: string[] = [];
  for (const id of (page.channels ?? []).flatMap((c) => (c.id ? [c.id] : []))) {
    // Each kept channel costs a membership check now and a history read later.
    if (visible.length >= SEARCH_CHANNELS_MAX || ctx.reads.left < visible.length + 2) break;
    ctx.reads.spend(1);
    if (await maySeeChannel(ctx, id)) visible.push(id);
  }
  return visible;
}

/** Case-insensitive match of every word of `query` over recent top-level messages of channels the caller may read. */
export async function searchMessages(
  ctx: OpContext,
  query: string,
  options: { channels?: string[] | undefined; limit: number },
): Promise<OpResult> {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const asked = options.channels?.slice(0, SEARCH_CHANNELS_MAX) ?? [];
  for (const channel of asked) await accessibleChannel(ctx, channel);
  const channels = asked.length > 0 ? asked : await searchableChannels(ctx);
  const found: Array<RawSlackMessage & { channel: string }> = [];
  for (const channel of channels) {
    ctx.reads.spend(1);
    const page = await slackCall(ctx.client.conversations.history({ channel, limit: SEARCH_MESSAGES_PER_CHANNEL }));
    for (const m of (page.messages ?? []) as RawSlackMessage[]) {
      const text = (m.text ?? '').toLowerCase();
      if (terms.every((t) => text.includes(t))) found.push({ ...m, channel });
    }
  }
  found.sort((a, b) => Number(b.ts ?? 0) - Number(a.ts ?? 0));
  const top = found.slice(0, options.limit);
  const messages = (await toThreadMessages(top, ctx.names)).map((m, i) => ({ ...m, channel: top[i]?.channel ?? '' }));
  const body = [
    `${messages.length} of ${found.length} matches for "${query}" in the latest ${SEARCH_MESSAGES_PER_CHANNEL} ` +
      `messages of ${channels.length} channels (thread replies are not searched), newest first`,
    '',
    ...messages.map((m) => `${m.channel} ${formatMessage(m)}`),
  ].join('\n');
  return { text: untrusted(body), data: { query, channels, total: found.length, messages, untrusted: true } };
}

export async function postMessage(
  ctx: OpContext,
  input: { channel: string; text: string; threadTs?: string | undefined },
): Promise<OpResult> {
  await accessibleChannel(ctx, input.channel);
  const threadTs = input.threadTs ? await threadParent(ctx, input.channel, input.threadTs) : undefined;
  const posted = await postAsBot(ctx, { channel: input.channel, text: input.text, threadTs });
  return {
    text: `Posted in ${input.channel}.`,
    data: { ok: true, channel: input.channel, ts: posted ?? null, thread_ts: threadTs ?? null },
  };
}

export async function lookupUser(ctx: OpContext, user: string): Promise<OpResult> {
  const id = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(user)?.[1] ?? user;
  if (!/^[UW][A-Z0-9]+$/.test(id))
    throw new ToolError('invalid_request', `"${user}" is not a user id such as U0123ABCD.`);
  const { user: found } = await slackCall(ctx.client.users.info({ user: id }));
  const profile = {
    id,
    name: found?.name ?? null,
    display_name: found?.profile?.display_name || null,
    real_name: found?.profile?.real_name || found?.real_name || null,
    title: found?.profile?.title || null,
    tz: found?.tz ?? null,
    is_bot: Boolean(found?.is_bot),
    is_deleted: Boolean(found?.deleted),
  };
  const facts = [
    `${profile.real_name ?? profile.name ?? id} (${id})`,
    profile.display_name ? `display name ${profile.display_name}` : '',
    profile.title ?? '',
    profile.tz ? `time zone ${profile.tz}` : '',
    profile.is_bot ? 'a bot' : '',
    profile.is_deleted ? 'deactivated' : '',
  ];
  // Names and titles are written by people: as untrusted as any message.
  return { text: untrusted(facts.filter(Boolean).join(' · ')), data: { ...profile, untrusted: true } };
}
