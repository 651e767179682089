import { App, type CustomRoute, type InstallationStore } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import { boltLogger } from './bolt-logger';
import { installedPage } from './install-pages';
import { BOT_SCOPES } from './scopes';

export interface SlackAppOptions {
  config: Config;
  log: Logger;
  clientOptions: WebClientOptions;
  customRoutes: CustomRoute[];
  /** Token mode: the ids `auth.test` returned at start-up, so Bolt need not call it again. */
  botIdentity?: { botId: string; botUserId: string };
  /** OAuth mode: where installations live. */
  installationStore?: InstallationStore;
}

/**
 * Bolt with the HTTP receiver on /slack/events (events, commands, interactivity and options on one path), or
 * Socket Mode when an app token is set. OAuth install pages are served when the OAuth variables are set.
 */
export function createSlackApp({
  config,
  log,
  clientOptions,
  customRoutes,
  botIdentity,
  installationStore,
}: SlackAppOptions): App {
  const { slack } = config;
  const common = {
    logger: boltLogger(log),
    extendedErrorHandler: true,
    clientOptions,
    customRoutes,
    port: config.port,
    ...(slack.appToken ? { socketMode: true, appToken: slack.appToken } : { signingSecret: slack.signingSecret }),
  };
  if (slack.auth.mode === 'token') {
    return new App({ ...common, token: slack.auth.botToken, ...botIdentity });
  }
  return new App({
    ...common,
    clientId: slack.auth.clientId,
    clientSecret: slack.auth.clientSecret,
    stateSecret: slack.auth.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore,
    installerOptions: {
      directInstall: true,
      callbackOptions: {
        success: (installation, _options, _req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(installedPage(installation.team?.name ?? installation.enterprise?.name ?? 'your workspace'));
        },
      },
    },
  });
}
