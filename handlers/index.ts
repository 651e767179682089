import type { App, BlockAction, MessageShortcut } from '@slack/bolt';
import { ACTION, INPUT, VALUE, VIEW } from '../src/views/ids';
import { onAddAdmins, onRemoveAdmin } from './actions/admins';
import { onAskAgent, onDeleteBot, onEditBot, onNewBot, onOpenConnection, onRetrySync } from './actions/bots';
import { onAddKey, onConnectionChoice, onRefreshResources, onValidateKey } from './actions/connection';
import {
  onChooseRepositories,
  onDisconnectGitHub,
  onGitHubLink,
  onReconnectGitHubFromThread,
  onRepositoriesPicked,
} from './actions/github';
import { onDeleteKey } from './actions/keys';
import {
  onAddMcp,
  onDisconnectMcp,
  onEditMcp,
  onMcpAdvanced,
  onMcpLogIn,
  onOpenSignInPage,
  onReconnectMcp,
  onRemoveMcp,
  onReplaceMcpToken,
} from './actions/mcp-servers';
import { onCreateSkill, onDeleteSkill, onEditSkill } from './actions/skills';
import { onRotateSecret, onSendTestEvent } from './actions/runtime';
import { onCreateToken, onRevokeToken } from './actions/tokens';
import {
  onConfirmTool,
  onContinueBudget,
  onLogPage,
  onOpenPage,
  onPickBot,
  onRetrySession,
  onSessionDetails,
  onStopSession,
  onViewLog,
} from './actions/sessions';
import { onAssignShortcut } from './shortcuts/assign';
import { onAssignSubmit } from './views/assign';
import { onBatonCommand } from './commands/baton';
import { forAdmins } from './admin-submit';
import type { HandlerDeps } from './deps';
import { onHandlerError } from './errors';
import { onAppHomeOpened } from './events/app-home-opened';
import { onAgentSessionStopped } from './events/agent-session-stopped';
import { onAppMention } from './events/app-mention';
import { onMessage } from './events/message';
import { onUninstalled } from './events/uninstall';
import { dedupeEvents } from './middleware/dedupe-events';
import { SlackRoutes } from './routes';
import { onAddKeySubmit } from './views/add-key';
import { onAskSubmit } from './views/ask';
import { onBotSubmit } from './views/bot-modal';
import { onConnectionSubmit } from './views/connection';
import { onCursorConnectionSubmit } from './views/cursor-connection';
import { onRuntimeConnectionSubmit } from './views/runtime-connection';
import { onGitHubReposSubmit } from './views/github-repos';
import { onProposalSubmit } from './views/proposal';
import { onSkillSubmit } from './views/skill';
import { onMcpAdvancedSubmit, onMcpServerSubmit, onMcpTokenSubmit } from './views/mcp-servers';
import { onChannelSettingsSubmit } from './views/channel-settings';

export type { HandlerDeps } from './deps';

export function registerHandlers(app: App, deps: HandlerDeps): void {
  app.error(onHandlerError(deps));
  app.use(dedupeEvents(deps));
  app.command('/baton', onBatonCommand(deps));

  app.event('app_mention', onAppMention(deps));
  app.event('message', onMessage(deps));
  app.event('agent_session_stopped', onAgentSessionStopped(deps));
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: 'assign_to_bot' }, onAssignShortcut(deps));
  app.event('app_home_opened', onAppHomeOpened(deps));
  app.event('app_uninstalled', onUninstalled(deps));
  app.event('tokens_revoked', onUninstalled(deps));

  const routes = new SlackRoutes();
  routes.action(ACTION.newBot, onNewBot(deps));
  routes.action(ACTION.editBot, onEditBot(deps));
  routes.action(ACTION.retrySync, onRetrySync(deps));
  routes.action(ACTION.openConnection, onOpenConnection(deps));
  routes.action(ACTION.askAgent, onAskAgent(deps));
  routes.action(ACTION.deleteBot, onDeleteBot(deps));
  // The key and mode inputs in the Agent connection modal dispatch their changes so the modal can redraw.
  routes.action<BlockAction>({ block_id: INPUT.key, action_id: VALUE }, onConnectionChoice(deps));
  routes.action<BlockAction>({ block_id: INPUT.mode, action_id: VALUE }, onConnectionChoice(deps));
  routes.action(ACTION.addKey, onAddKey(deps));
  routes.action(ACTION.validateKey, onValidateKey(deps));
  routes.action(ACTION.refreshResources, onRefreshResources(deps));
  routes.action(ACTION.githubConnect, onGitHubLink(deps));
  routes.action(ACTION.githubReconnect, onGitHubLink(deps));
  routes.action(ACTION.githubChooseRepos, onChooseRepositories(deps));
  routes.action(ACTION.githubDisconnect, onDisconnectGitHub(deps));
  routes.action(ACTION.reconnectGitHubFromThread, onReconnectGitHubFromThread(deps));
  routes.action(ACTION.openGitHubInstall, onGitHubLink(deps));
  routes.action<BlockAction>({ block_id: INPUT.repositories, action_id: VALUE }, onRepositoriesPicked(deps));
  routes.action(ACTION.deleteKey, onDeleteKey(deps));
  routes.action(ACTION.addAdmins, onAddAdmins(deps));
  routes.action(ACTION.removeAdmin, onRemoveAdmin(deps));
  routes.action(ACTION.createToken, onCreateToken(deps));
  routes.action(ACTION.revokeToken, onRevokeToken(deps));
  routes.action(ACTION.createSkill, onCreateSkill(deps));
  routes.action(ACTION.editSkill, onEditSkill(deps));
  routes.action(ACTION.deleteSkill, onDeleteSkill(deps));
  routes.action(ACTION.addMcp, onAddMcp(deps));
  routes.action(ACTION.editMcp, onEditMcp(deps));
  routes.action(ACTION.removeMcp, onRemoveMcp(deps));
  routes.action(ACTION.mcpLogIn, onMcpLogIn(deps));
  routes.action(ACTION.mcpDisconnect, onDisconnectMcp(deps));
  routes.action(ACTION.mcpReplaceToken, onReplaceMcpToken(deps));
  routes.action(ACTION.mcpAdvanced, onMcpAdvanced(deps));
  routes.action(ACTION.openSignInPage, onOpenSignInPage());
  routes.action(ACTION.reconnectMcp, onReconnectMcp(deps));
  routes.action(ACTION.rotateSecret, onRotateSecret(deps, deps.webhookRotationOverlapMs));
  routes.action(ACTION.sendTestEvent, onSendTestEvent(deps));

  routes.action(ACTION.stopSession, onStopSession(deps));
  routes.action(ACTION.approveTool, onConfirmTool(deps, true));
  routes.action(ACTION.denyTool, onConfirmTool(deps, false));
  routes.action(ACTION.viewLog, onViewLog(deps));
  routes.action(ACTION.openPage, onOpenPage(deps));
  // The link button opens the page in the browser; Slack still reports the click, which needs only an ack.
  routes.action(ACTION.pageLink, async ({ ack }) => ack());
  routes.action(ACTION.logPage, onLogPage(deps));
  routes.action(ACTION.retrySession, onRetrySession(deps));
  routes.action(ACTION.continueBudget, onContinueBudget(deps));
  routes.action(ACTION.sessionDetails, onSessionDetails(deps));
  routes.action(new RegExp(`^${ACTION.pickBot.replace('.', '\\.')}\\.\\d+$`), onPickBot(deps));

  routes.submit(VIEW.bot, forAdmins(deps, onBotSubmit(deps)));
  routes.submit(VIEW.assign, onAssignSubmit(deps));
  routes.submit(VIEW.connection, forAdmins(deps, onConnectionSubmit(deps)));
  routes.submit(VIEW.cursorConnection, forAdmins(deps, onCursorConnectionSubmit(deps)));
  routes.submit(VIEW.runtimeConnection, forAdmins(deps, onRuntimeConnectionSubmit(deps)));
  routes.submit(VIEW.addKey, forAdmins(deps, onAddKeySubmit(deps)));
  routes.submit(VIEW.ask, forAdmins(deps, onAskSubmit(deps)));
  routes.submit(VIEW.proposal, forAdmins(deps, onProposalSubmit(deps)));
  routes.submit(VIEW.skill, forAdmins(deps, onSkillSubmit(deps)));
  routes.submit(VIEW.mcpServer, forAdmins(deps, onMcpServerSubmit(deps)));
  routes.submit(VIEW.mcpToken, forAdmins(deps, onMcpTokenSubmit(deps)));
  routes.submit(VIEW.mcpAdvanced, forAdmins(deps, onMcpAdvancedSubmit(deps)));
  routes.submit(VIEW.githubRepos, forAdmins(deps, onGitHubReposSubmit(deps)));
  routes.submit(VIEW.channelSettings, forAdmins(deps, onChannelSettingsSubmit(deps)));
  routes.register(app);
}
