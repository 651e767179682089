import { App, type CustomRoute, type HTTPReceiverOptions, type InstallationStore } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { Foreground } from '../../ops/foreground';
import { boltLogger } from './bolt-logger';
import { GuardedHTTPReceiver } from './guarded-receiver';
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
  /** Slack requests are foreground work until answered (HTTP only; see GuardedHTTPReceiver). */
  foreground?: Pick<Foreground, 'run'>;
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
  foreground,
}: SlackAppOptions): App {
  const { slack } = config;
  const logger = boltLogger(log);
  const oauth: Partial<HTTPReceiverOptions> =
    slack.auth.mode === 'oauth'
      ? {
          clientId: slack.auth.clientId,
          clientSecret: slack.auth.clientSecret,
          stateSecret: slack.auth.stateSecret,
          scopes: [...BOT_SCOPES],
          installationStore,
          installerOptions: {
            // Bolt hands its own receiver the client options; ours needs them too (the Slack API URL above all).
            clientOptions,
            directInstall: true,
            callbackOptions: {
              success: (installation, _options, _req, res) => {
                res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
                res.end(installedPage(installation.team?.name ?? installation.enterprise?.name ?? 'your workspace'));
              },
            },
          },
        }
      : {};
  const token = slack.auth.mode === 'token' ? { token: slack.auth.botToken, ...botIdentity } : {};
  // No conversation store: Baton keeps its own state, and Bolt's would be one more step on every request.
  const common = { logger, extendedErrorHandler: true, clientOptions, convoStore: false as const, ...token };
  if (slack.appToken) {
    return new App({
      ...common,
      ...oauth,
      customRoutes,
      port: config.port,
      socketMode: true,
      appToken: slack.appToken,
    });
  }
  const receiver = new GuardedHTTPReceiver(
    { signingSecret: slack.signingSecret ?? '', customRoutes, port: config.port, logger, ...oauth },
    log,
    foreground,
  );
  return new App({ ...common, receiver });
}
