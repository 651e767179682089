import type { WebClient } from '@slack/web-api';
import type { Bot } from '../domain/bots';
import type { OpeningMessage, Session } from '../domain/sessions';
import {
  formatMessage,
  type RawSlackMessage,
  type ThreadMessage,
  toThreadMessages,
  untrusted,
  UserNames,
} from './thread-messages';

/** What admins asked every session to keep in mind: the channel's guidance and the bot's own. */
export interface ThreadGuidance {
  channel: string;
  bot: string;
}

/** Where the channel's and the bot's guidance come from (`channel_settings`, `claude_connections`). */
export interface GuidanceSource {
  forThread(teamId: string, channelId: string, botId: string): Promise<ThreadGuidance>;
}

/** For a session's first message, whose guidance the resolver already decided. */
export const noGuidance: GuidanceSource = { forThread: async () => ({ channel: '', bot: '' }) };

export interface TaskContextInput {
  teamId: string;
  channelId: string;
  threadTs: string;
  bot: Pick<Bot, 'id' | 'name' | 'displayName'>;
  session?: Pick<Session, 'id' | 'status' | 'trigger' | 'requesterId' | 'task' | 'agentStatus'> | undefined;
}

export interface TaskContext {
  /** The whole context as one text: admins' guidance as trusted instructions, then the thread, wrapped as untrusted. */
  text: string;
  /** Admins' guidance alone (channel and bot), for providers that take instructions separately; '' when none. */
  guidance: string;
  messages: ThreadMessage[];
  permalink: string | null;
  /** The read stopped before the thread's end (a tool call's Slack reads ran out); the next call reads on. */
  isPartial: boolean;
}

/** Threads longer than this keep their first message and the latest replies. */
export const THREAD_MESSAGES_MAX = 300;
export const THREAD_PAGE_SIZE = 200;

/** A thread's messages, oldest first, as far as they were read. */
export interface ThreadRead {
  raw: RawSlackMessage[];
  /** The middle of a long thread was dropped (the first message and the latest replies are kept). */
  isCut: boolean;
  /** Set when the read stopped before the thread's end: the ts of the newest message read. */
  readUpTo?: string | undefined;
}

export type ReadThread = (client: WebClient, channel: string, ts: string) => Promise<ThreadRead>;

/** Past the cap only the newest replies matter: drops the middle, keeping the first message. True when it did. */
export function keepLatest(messages: RawSlackMessage[]): boolean {
  if (messages.length <= THREAD_MESSAGES_MAX) return false;
  messages.splice(1, messages.length - THREAD_MESSAGES_MAX);
  return true;
}

/** The whole thread, every page (a session's first message). */
export const readWholeThread: ReadThread = async (client, channel, ts) => {
  const all: RawSlackMessage[] = [];
  let isCut = false;
  let cursor: string | undefined;
  do {
    const page = await client.conversations.replies({
      channel,
      ts,
      limit: THREAD_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...((page.messages ?? []) as RawSlackMessage[]));
    cursor = page.response_metadata?.next_cursor || undefined;
    isCut = keepLatest(all) || isCut;
  } while (cursor);
  return { raw: all, isCut };
};

/** A thread that is only its opening message, as the trigger's event carried it: nothing to read. */
export const openingThread =
  (ts: string, user: string, opening: OpeningMessage): ReadThread =>
  async () => ({
    raw: [{ ts, user, text: opening.text, files: opening.files.map((name) => ({ name })) }],
    isCut: false,
  });

const permalinkOf = (client: WebClient, channel: string, ts: string): Promise<string | null> =>
  client.chat
    .getPermalink({ channel, message_ts: ts })
    .then((r) => r.permalink ?? null)
    .catch(() => null);

/**
 * Guidance admins wrote for the channel and the bot: Baton's own instructions, so it stands outside the untrusted
 * wrapper (it is set in Baton's admin surfaces, not by whoever writes in the thread).
 */
export function trustedGuidance(guidance: ThreadGuidance): string {
  const parts: string[] = [];
  if (guidance.channel.trim()) parts.push('## Channel guidance (from a Baton admin)', guidance.channel.trim());
  if (guidance.bot.trim()) parts.push('## Bot guidance (from a Baton admin)', guidance.bot.trim());
  return parts.length > 0 ? ['Follow this guidance from the workspace admins.', ...parts].join('\n\n') : '';
}

/**
 * The thread a session works on, for the agent: its messages in order with authors by display name, files by
 * name, the permalink and the session, wrapped and labelled as untrusted content since people wrote it; the admins'
 * guidance comes first, outside the wrapper. Used for a session's first message and by `get_task_context`.
 */
export async function buildTaskContext(
  deps: { client: WebClient; guidance: GuidanceSource; names?: UserNames; readThread?: ReadThread },
  input: TaskContextInput,
): Promise<TaskContext> {
  const { client } = deps;
  const names = deps.names ?? new UserNames(client);
  const read = deps.readThread ?? readWholeThread;
  const [{ raw, isCut, readUpTo }, permalink, guidance] = await Promise.all([
    read(client, input.channelId, input.threadTs),
    permalinkOf(client, input.channelId, input.threadTs),
    deps.guidance.forThread(input.teamId, input.channelId, input.bot.id),
  ]);
  const messages = await toThreadMessages(raw, names);
  const { session } = input;
  const lines = [
    `Thread: ${permalink ?? `channel ${input.channelId}, thread ${input.threadTs}`}`,
    `Bot: ${input.bot.displayName} (${input.bot.name})`,
  ];
  if (session) {
    const requester = session.requesterId ? await names.name(session.requesterId) : 'unknown';
    lines.push(
      `Session: ${session.id} · ${session.status}${session.agentStatus ? ` · agent status ${session.agentStatus}` : ''}`,
      `Started by ${requester} (${session.trigger})`,
    );
    if (session.task) lines.push(`Task as given: ${session.task}`);
  }
  const shown = isCut ? ' (long thread: the first message and the latest replies)' : '';
  lines.push('', `## Messages (${messages.length})${shown}`, ...messages.map(formatMessage));
  if (readUpTo) lines.push('', 'The thread goes on past these messages: call again to read further.');
  const trusted = trustedGuidance(guidance);
  const thread = untrusted(lines.join('\n'));
  const text = trusted ? `${trusted}\n\n${thread}` : thread;
  return { text, guidance: trusted, messages, permalink, isPartial: readUpTo !== undefined };
}
