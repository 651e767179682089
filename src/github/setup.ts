import type { GitHubRepositoryStore } from '../../models/github';
import type { AccessPolicy } from '../access';
import type { BotStores } from '../bots/deps';
import type { Logger } from '../log';
import { CodeHostError, type CodeHost } from '../ports/code-host';
import type { SlackClients } from '../ports/slack-clients';
import type { EventDedupe } from '../ports/storage';
import { CONNECT_STATE_TTL_MS, type ConnectStates } from './connect-state';

export interface GitHubSetupDeps {
  codeHost: CodeHost;
  states: ConnectStates;
  github: GitHubRepositoryStore;
  stores: BotStores;
  dedupe: EventDedupe;
  slack: SlackClients;
  access: AccessPolicy;
  /** Redraws what the admin sees in Slack: the modal they came from (when known) and their App Home. */
  redraw(teamId: string, userId: string, botId: string, viewId: string | undefined): Promise<void>;
  log: Logger;
}

export interface SetupQuery {
  state: string | undefined;
  installationId: string | undefined;
  setupAction: string | undefined;
}

/** What the admin's browser shows: a title and a sentence, with the HTTP status. */
export interface SetupPage {
  status: number;
  title: string;
  message: string;
}

const BACK = 'You can close this tab and go back to Slack.';
const AGAIN = 'Open the bot’s Agent connection in Slack and press Connect GitHub again.';
// An installation made or changed from this link is recent; an older one is someone else's unless the workspace has it.
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const refuse = (message: string, status = 400): SetupPage => ({ status, title: 'GitHub was not connected', message });

/**
 * GitHub's redirect after the admin installed (or configured) the app. Nothing in the query is trusted: the state
 * must be Baton's, unexpired and unused, and the installation must be one GitHub confirms to the app itself.
 */
export async function completeGitHubSetup(deps: GitHubSetupDeps, query: SetupQuery): Promise<SetupPage> {
  if (!query.state) return refuse(`This page needs the link Baton made. ${AGAIN}`);
  const binding = deps.states.open(query.state);
  if ('problem' in binding) return refuse(binding.problem);
  if (!(await deps.dedupe.claim(`github-state-${binding.nonce}`, CONNECT_STATE_TTL_MS)))
    return refuse(`This link was already used. ${AGAIN}`);
  if (query.setupAction === 'request' && !query.installationId) {
    return {
      status: 200,
      title: 'Installation requested',
      message: `GitHub sent your request to an owner of the account. Once they approve it, ${AGAIN[0]!.toLowerCase()}${AGAIN.slice(1)}`,
    };
  }
  const installationId = Number(query.installationId);
  if (!Number.isSafeInteger(installationId) || installationId <= 0)
    return refuse(`GitHub did not say which installation to use. ${AGAIN}`);

  const { teamId, userId, botId } = binding;
  const bot = await deps.stores.bots.get(teamId, botId);
  if (!bot || bot.type !== 'claude') return refuse('That bot no longer exists, or is no longer a Claude bot.');
  const client = await deps.slack.forTeam({ teamId });
  if (!(await deps.access.canConfigure(client, teamId, userId)))
    return refuse('Only Baton admins can connect GitHub to a bot.', 403);

  try {
    const installation = await deps.codeHost.installation(installationId);
    if (!installation) {
      deps.log.warn({ event: 'github.setup.unknown_installation', botId, installationId });
      return refuse(`GitHub does not know that installation of Baton’s app. ${AGAIN}`);
    }
    const current = await deps.github.get(bot.id);
    const sharedInTeam = (await deps.github.forInstallation(installationId)).some((c) => c.teamId === teamId);
    const isFresh =
      Math.max(installation.createdAt.getTime(), installation.updatedAt.getTime()) >= binding.issuedAt - CLOCK_SKEW_MS;
    if (!isFresh && !sharedInTeam && current?.installationId !== installationId) {
      deps.log.warn({ event: 'github.setup.foreign_installation', botId, installationId });
      return refuse(`That installation was not made from this link. ${AGAIN}`);
    }
    if (installation.isSuspended)
      return refuse(`The GitHub App is suspended on ${installation.account}. Unsuspend it in GitHub’s settings first.`);
    const available = await deps.codeHost.repositories(installationId);
    await deps.github.connect({
      botId: bot.id,
      teamId,
      installationId,
      account: installation.account,
      available,
      connectedBy: userId,
    });
    await deps.stores.audit.record({
      teamId,
      actorId: userId,
      action: current ? 'github.reconnected' : 'github.connected',
      target: bot.name,
      details: { account: installation.account, repositories: available.length },
    });
    const viewId = await deps.github.takeView(binding.nonce);
    await deps.redraw(teamId, userId, bot.id, viewId).catch((error: unknown) => {
      deps.log.warn({ event: 'github.setup.redraw_failed', botId, err: error });
    });
    return {
      status: 200,
      title: `GitHub connected to ${bot.name}`,
      message: `${bot.name} now uses the GitHub App on ${installation.account} (${available.length} ${available.length === 1 ? 'repository' : 'repositories'} reachable). Choose its repositories in the bot’s Agent connection. ${BACK}`,
    };
  } catch (error) {
    if (!(error instanceof CodeHostError)) throw error;
    deps.log.warn({ event: 'github.setup.failed', botId, kind: error.kind, message: error.message });
    return refuse(`${error.message} ${AGAIN}`, 502);
  }
}
