import { UnrecoverableError } from 'bullmq';
import type { SlackClients } from '../src/ports/slack-clients';
import { ignoreSlackErrors } from '../src/adapters/slack/errors';
import { answerMention } from './definitions';

interface Deps {
  slack: SlackClients;
}

/**
 * Answers a mention that is not a task. Reacting first keeps a retry harmless: the reaction is idempotent
 * (`already_reacted` counts as done), and the reply is the last step.
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
  await client.chat.postEphemeral({
    channel,
    user: userId,
    thread_ts: threadTs,
    text: 'I did not catch a task there. Try `@Baton ping`, or `/baton help` to see what I can do.',
  });
}
