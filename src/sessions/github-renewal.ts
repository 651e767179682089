import type { ProviderConnection } from '../ports/agent-provider';
import type { SessionDeps } from './deps';
import type { RunContext } from './run-context';

/**
 * While the run goes on, checks every `githubTokenCheckMs` whether the session's GitHub token is due for renewal
 * (by `deps.now()`, so tests step the clock) and renews it. Returns a stop that waits for a renewal under way, so
 * the token is never renewed after the session revoked it.
 */
export function keepGitHubTokenFresh(
  deps: Pick<SessionDeps, 'github' | 'githubTokenCheckMs' | 'log'>,
  ctx: RunContext,
  provider: ProviderConnection,
): () => Promise<void> {
  const { github } = deps;
  const providerSessionId = ctx.session.providerSessionId;
  if (!github || !provider.renewGitHubToken || !providerSessionId) return async () => undefined;
  const renew = provider.renewGitHubToken.bind(provider);
  const { startAttempts: _attempts, ...state } = ctx.session.providerState;
  const session = { id: ctx.session.id, botId: ctx.session.botId };
  let running: Promise<void> | undefined;
  const check = () => {
    running ??= github
      .renewIfDue(session, (token) => renew(providerSessionId, state, token))
      .then((renewed) => {
        if (renewed) deps.log.info({ event: 'session.github_token.renewed', sessionId: session.id });
      })
      .catch((error: unknown) => {
        // Tried again at the next check; the current token is still good until it expires.
        deps.log.warn({ event: 'session.github_token.renew_failed', sessionId: session.id, err: error });
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(check, deps.githubTokenCheckMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
