import { UnrecoverableError } from 'bullmq';
import type { SlackClients } from '../src/ports/slack-clients';
import { ignoreSlackErrors } from '../src/adapters/slack/errors';
import { buildBotPicker } from '../src/views/bot-picker';
import { answerMention } from './definitions';

interface Deps {
  slack: SlackClients;
}

/**
 * Answers a mention that does not start a session: `ping`, a bot picker when the bot is unclear, or a hint
 * when there are no bots. Reacting first keeps a retry harmless (`already_reacted` counts as done).
 */
export async function runAnswerMention(data: unknown, deps: Deps): Promise<void> {
  const job = answerMention.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid answer-mention payload');
  const { channel, messageTs, threadTs, intent, userId } = job.data;
  const client = await deps.slack.forTeam(job.data);

  if (intent === 'ping') {
    await ignoreSlackErrors(['already_reacted'], () =>
      client.reactions.add({ channel, timestamp: messageTs, name: 'table_tennis_paddle_and_ball' }),
    );
    await client.chat.postMessage({ channel, thread_ts: threadTs, text: 'pong' });
    return;
  }
  if (intent === 'pick') {
    const blocks = buildBotPicker(job.data.bots, { channel, threadTs, messageTs });
    await client.chat.postEphemeral({
      channel,
      user: userId,
      thread_ts: threadTs,
      text: 'Which bot should take this?',
      blocks,
    });
    return;
  }
  await client.chat.postEphemeral({
    channel,
    user: userId,
    thread_ts: threadTs,
    text: 'There are no bots in this workspace yet. An admin can create one with `/baton bots`.',
  });
}
