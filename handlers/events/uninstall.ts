import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HandlerDeps } from '../deps';

type UninstallArgs = SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'> & AllMiddlewareArgs;

/**
 * Slack sends these without a token we could use; we forget the installation so nothing tries it again, and revoke
 * every API and MCP token of the workspace, so nothing keeps acting in a workspace that removed Baton.
 */
export const onUninstalled =
  ({ installations, tokens, audit, log }: Pick<HandlerDeps, 'installations' | 'tokens' | 'audit' | 'log'>) =>
  async ({ event, body, context }: UninstallArgs): Promise<void> => {
    if (event.type === 'tokens_revoked' && !event.tokens.bot?.length) return;
    const teamId = context.teamId ?? body.team_id;
    // Tokens first: once the installation is gone, a retried delivery of this event could not be authorized.
    const revokedTokens = await tokens.revokeForTeam(teamId);
    const isEnterpriseInstall = context.isEnterpriseInstall === true;
    await installations.deleteInstallation({
      teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall,
    });
    await audit.record({
      teamId,
      actorId: 'slack',
      action: `installation.${event.type}`,
      target: teamId,
      details: { revokedTokens },
    });
    log.info({ event: 'slack.installation.removed', teamId, reason: event.type, revokedTokens });
  };
