import { createHash } from 'node:crypto';
import { markdownToSlack, neutralizePings } from '../views/markdown';
import type { SessionDeps } from './deps';
import { personaOf } from './persona';
import type { RunContext } from './run-context';

/** Answers longer than this go up as `answer.md` with a preview; shorter ones are posted as messages. */
const ANSWER_FILE_CHARS = 40_000;

/**
 * The thread-post key of an agent's comment: its text, hashed. The same text commented twice in a session is
 * posted once, and the run loop finds a final answer the agent already posted as a comment.
 */
export const commentKey = (text: string): string =>
  `mcp-comment-${createHash('sha256').update(text.trim()).digest('hex').slice(0, 24)}`;

/**
 * Each finished turn's answer, posted by Baton once (keyed by the turn), as Slack formatting with pings defused.
 * An answer the agent already posted word for word with `post_comment` is not posted again.
 */
export async function postAnswer(deps: Pick<SessionDeps, 'writer' | 'sessions'>, ctx: RunContext): Promise<void> {
  const { session, bot, team, progress } = ctx;
  const answer = progress.answer?.trim();
  if (!answer) return;
  // Comments are posted as messages, the first under `<key>#0`.
  if (await deps.sessions.postTs(session.id, `${commentKey(answer)}#0`)) return;
  const key = `answer-${progress.turnEnds}`;
  const persona = personaOf(bot);
  if (answer.length > ANSWER_FILE_CHARS) {
    const { channelId, threadTs } = session;
    return deps.writer.post(team, session.id, key, channelId, threadTs, persona, neutralizePings(answer));
  }
  const thread = { team, sessionId: session.id, channel: session.channelId, threadTs: session.threadTs };
  // Slack reads `text` aloud and shows it in notifications; a part made only of blocks still needs some.
  const messages = markdownToSlack(answer).map((m) => ({ ...m, text: m.text || `Answer from ${bot.displayName}` }));
  await deps.writer.postMessages(thread, key, persona, messages);
}
