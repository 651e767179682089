import type { Args } from './http';
import type { AuthIdentity, SlackState } from './state';

export interface MethodContext {
  state: SlackState;
  token: string | undefined;
  identity: AuthIdentity;
  /** `http://127.0.0.1:<port>`, for URLs the fake serves itself (file uploads). */
  origin: string;
  oauthAccess: (args: Args, state: SlackState) => Args;
  socketModeUrl: string;
}

/** Answers one Web API method: the fields next to `ok: true`, or throws `SlackApiError`. */
export type MethodHandler = (args: Args, ctx: MethodContext) => Args | Promise<Args>;
