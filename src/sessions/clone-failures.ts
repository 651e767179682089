import type { BatonEventOf } from '../domain/events';
import { escapeMrkdwn, section } from '../views/blocks';
import { button } from '../views/elements';
import { ACTION } from '../views/ids';
import type { SessionDeps } from './deps';
import { personaOf } from './persona';
import type { RunContext } from './run-context';

/**
 * A repository the session could not mount: one note in the thread per repository (a repeated failure while the
 * provider retries is the same post), naming it and what to fix. Reconnect GitHub checks who pressed it: admins get
 * their own link, anyone else is told to ask an admin.
 */
export async function postCloneFailure(
  deps: Pick<SessionDeps, 'writer'>,
  ctx: RunContext,
  event: BatonEventOf<'error'>,
): Promise<void> {
  const { session, bot, team } = ctx;
  const thread = { team, sessionId: session.id, channel: session.channelId, threadTs: session.threadTs };
  const text =
    `:warning: ${escapeMrkdwn(event.message)}\n` +
    'A Baton admin can press *Reconnect GitHub* to fix the connection; if you are not one, please ask an admin.';
  await deps.writer.postMessages(thread, `clone-failure:${event.repository ?? ''}`, personaOf(bot), [
    {
      text,
      blocks: [
        section(text),
        { type: 'actions', elements: [button('Reconnect GitHub', ACTION.reconnectGitHubFromThread, session.id)] },
      ],
    },
  ]);
}
