import type { SlackClients } from '../ports/slack-clients';
import type { SessionDeps } from './deps';
import { buildTaskContext, noGuidance, openingThread } from './task-context';
import type { KnownNames } from './thread-messages';

/**
 * The agent's first message: the admins' guidance resolved for the session (bot, channel, rules), the thread as
 * untrusted context, and, for a bot allowed the REST API, where to call it and which variable holds its token.
 */
export function taskMessageFor(deps: {
  slack: SlackClients;
  names: KnownNames;
  apiUrl: string;
  /** The environment variable the provider sets to the session's API token. */
  apiTokenVariable: string;
}): SessionDeps['taskMessage'] {
  const { slack, names, apiUrl, apiTokenVariable } = deps;
  return async (s, bot, trusted) => {
    const client = await slack.forTeam({ teamId: s.teamId, enterpriseId: s.enterpriseId ?? undefined });
    const input = { teamId: s.teamId, channelId: s.channelId, threadTs: s.threadTs, bot, session: s };
    // The guidance was resolved for this session (bot, channel, rules); the thread adds none of its own.
    const readThread = s.openingMessage ? openingThread(s.triggerTs, s.requesterId, s.openingMessage) : undefined;
    const { text } = await buildTaskContext(
      { client, guidance: noGuidance, names: names.of(client, s.teamId), readThread },
      input,
    );
    const parts = [
      ...(trusted ? [`Guidance from the admins of this Slack workspace:\n${trusted}`] : []),
      text,
      ...(bot.allowDirectApi
        ? [
            `You may call Baton's REST API at ${apiUrl} with the header \`Authorization: Bearer $${apiTokenVariable}\` (the variable is set in your environment).`,
          ]
        : []),
    ];
    return parts.join('\n\n');
  };
}
