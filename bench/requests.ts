import { SLACK_DEFAULTS } from '../tests/fakes/slack/ids';
import { PLACEHOLDER_RESPONSE_ORIGIN } from '../tests/support/slack-payloads';
import { appMention, signSlackRequest, slashCommand } from '../tests/support/slack-requests';

export const SIGNING_SECRET = 'bench-signing-secret';
export const BOT_TOKEN = 'xoxb-bench-bot-token';

export const kinds = ['command', 'mention'] as const;
export type Kind = (typeof kinds)[number];

export const KIND_LABEL: Record<Kind, string> = {
  command: '/baton help',
  mention: 'app_mention ping',
};

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * A freshly signed Slack request of one kind, built like the test sender does. Each mention carries a new
 * event_id (and ts), so Baton's dedupe never drops one.
 */
export function buildRequest(kind: Kind, responseOrigin: string): SignedRequest {
  const isCommand = kind === 'command';
  const body = isCommand
    ? new URLSearchParams(slashCommand({ text: 'help' }))
        .toString()
        .replaceAll(encodeURIComponent(PLACEHOLDER_RESPONSE_ORIGIN), encodeURIComponent(responseOrigin))
    : JSON.stringify(appMention({ text: `<@${SLACK_DEFAULTS.botUserId}> ping` }));
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': isCommand ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
    },
  };
}
