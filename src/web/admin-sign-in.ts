import type { IncomingMessage } from 'node:http';
import type { AccessPolicy } from '../access';
import type { SlackClients } from '../ports/slack-clients';
import type { PageTokens } from './page-tokens';
import { VIEWER_COOKIE, cookieOf } from './session-route';

/** Whether the browser is signed in (through a session page link from Slack) as a Baton admin of its workspace. */
export async function isSignedInAdmin(
  req: IncomingMessage,
  deps: { tokens: PageTokens; slack: SlackClients; access: AccessPolicy },
): Promise<boolean> {
  const viewer = deps.tokens.readViewer(cookieOf(req, VIEWER_COOKIE));
  if (!viewer) return false;
  const client = await deps.slack.forTeam({ teamId: viewer.t });
  return deps.access.canConfigure(client, viewer.t, viewer.u);
}
