import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HandlerDeps } from '../deps';

type UninstallArgs = SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'> & AllMiddlewareArgs;

/** Slack sends these without a token we could use; we forget the installation so nothing tries it again. */
export const onUninstalled =
  ({ installations, audit, log }: Pick<HandlerDeps, 'installations' | 'audit' | 'log'>) =>
  async ({ event, body, context }: UninstallArgs): Promise<void> => {
    if (event.type === 'tokens_revoked' && !event.tokens.bot?.length) return;
    const isEnterpriseInstall = context.isEnterpriseInstall === true;
    await installations.deleteInstallation({
      teamId: context.teamId ?? body.team_id,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall,
    });
    const teamId = context.teamId ?? body.team_id;
    await audit.record({ teamId, actorId: 'slack', action: `installation.${event.type}`, target: teamId });
    log.info({ event: 'slack.installation.removed', teamId, reason: event.type });
  };
