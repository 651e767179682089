import type { App } from '@slack/bolt';
import { onBatonCommand } from './commands/baton';
import type { HandlerDeps } from './deps';
import { onAppHomeOpened } from './events/app-home-opened';
import { onAppMention } from './events/app-mention';
import { onUninstalled } from './events/uninstall';
import { dedupeEvents } from './middleware/dedupe-events';

export type { HandlerDeps } from './deps';

export function registerHandlers(app: App, deps: HandlerDeps): void {
  app.use(dedupeEvents(deps));
  app.command('/baton', onBatonCommand());
  app.event('app_mention', onAppMention(deps));
  app.event('app_home_opened', onAppHomeOpened(deps));
  app.event('app_uninstalled', onUninstalled(deps));
  app.event('tokens_revoked', onUninstalled(deps));
}
