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

  app.action(ACTION.newBot, onNewBot(deps));
  app.action(ACTION.editBot, onEditBot(deps));
  app.action(ACTION.retrySync, onRetrySync(deps));
  app.action(ACTION.openConnection, onOpenConnection(deps));
  app.action(ACTION.askAgent, onAskAgent(deps));
  app.action(ACTION.deleteBot, onDeleteBot(deps));
  // The key and mode inputs in the Agent connection modal dispatch their changes so the modal can redraw.
  app.action<BlockAction>({ block_id: INPUT.key, action_id: VALUE }, onConnectionChoice(deps));
  app.action<BlockAction>({ block_id: INPUT.mode, action_id: VALUE }, onConnectionChoice(deps));
  app.action(ACTION.addKey, onAddKey(deps));
  app.action(ACTION.validateKey, onValidateKey(deps));
  app.action(ACTION.refreshResources, onRefreshResources(deps));
  app.action(ACTION.githubConnect, onGitHubLink(deps));
  app.action(ACTION.githubReconnect, onGitHubLink(deps));
  app.action(ACTION.githubChooseRepos, onChooseRepositories(deps));
  app.action(ACTION.githubDisconnect, onDisconnectGitHub(deps));
  app.action(ACTION.reconnectGitHubFromThread, onReconnectGitHubFromThread(deps));
  app.action(ACTION.openGitHubInstall, onGitHubLink(deps));
  app.action<BlockAction>({ block_id: INPUT.repositories, action_id: VALUE }, onRepositoriesPicked(deps));
  app.action(ACTION.deleteKey, onDeleteKey(deps));
  app.action(ACTION.addAdmins, onAddAdmins(deps));
  app.action(ACTION.removeAdmin, onRemoveAdmin(deps));
  app.action(ACTION.createToken, onCreateToken(deps));
  app.action(ACTION.revokeToken, onRevokeToken(deps));
  app.action(ACTION.createSkill, onCreateSkill(deps));
  app.action(ACTION.editSkill, onEditSkill(deps));
  app.action(ACTION.deleteSkill, onDeleteSkill(deps));
  app.action(ACTION.addMcp, onAddMcp(deps));
  app.action(ACTION.editMcp, onEditMcp(deps));
  app.action(ACTION.removeMcp, onRemoveMcp(deps));
  app.action(ACTION.mcpLogIn, onMcpLogIn(deps));
  app.action(ACTION.mcpDisconnect, onDisconnectMcp(deps));
  app.action(ACTION.mcpReplaceToken, onReplaceMcpToken(deps));
  app.action(ACTION.mcpAdvanced, onMcpAdvanced(deps));
  app.action(ACTION.openSignInPage, onOpenSignInPage());
  app.action(ACTION.reconnectMcp, onReconnectMcp(deps));
  app.action(ACTION.rotateSecret, onRotateSecret(deps, deps.webhookRotationOverlapMs));
  app.action(ACTION.sendTestEvent, onSendTestEvent(deps));

  app.action(ACTION.stopSession, onStopSession(deps));
  app.action(ACTION.approveTool, onConfirmTool(deps, true));
  app.action(ACTION.denyTool, onConfirmTool(deps, false));
  app.action(ACTION.viewLog, onViewLog(deps));
  app.action(ACTION.openPage, onOpenPage(deps));
  // The link button opens the page in the browser; Slack still reports the click, which needs only an ack.
  app.action(ACTION.pageLink, async ({ ack }) => ack());
  app.action(ACTION.logPage, onLogPage(deps));
  app.action(ACTION.retrySession, onRetrySession(deps));
  app.action(ACTION.continueBudget, onContinueBudget(deps));
  app.action(ACTION.sessionDetails, onSessionDetails(deps));
  app.action(new RegExp(`^${ACTION.pickBot.replace('.', '\\.')}\\.\\d+$`), onPickBot(deps));

  app.view(VIEW.bot, forAdmins(deps, onBotSubmit(deps)));
  app.view(VIEW.assign, onAssignSubmit(deps));
  app.view(VIEW.connection, forAdmins(deps, onConnectionSubmit(deps)));
  app.view(VIEW.cursorConnection, forAdmins(deps, onCursorConnectionSubmit(deps)));
  app.view(VIEW.runtimeConnection, forAdmins(deps, onRuntimeConnectionSubmit(deps)));
  app.view(VIEW.addKey, forAdmins(deps, onAddKeySubmit(deps)));
  app.view(VIEW.ask, forAdmins(deps, onAskSubmit(deps)));
  app.view(VIEW.proposal, forAdmins(deps, onProposalSubmit(deps)));
  app.view(VIEW.skill, forAdmins(deps, onSkillSubmit(deps)));
  app.view(VIEW.mcpServer, forAdmins(deps, onMcpServerSubmit(deps)));
  app.view(VIEW.mcpToken, forAdmins(deps, onMcpTokenSubmit(deps)));
  app.view(VIEW.mcpAdvanced, forAdmins(deps, onMcpAdvancedSubmit(deps)));
  app.view(VIEW.githubRepos, forAdmins(deps, onGitHubReposSubmit(deps)));
  app.view(VIEW.channelSettings, forAdmins(deps, onChannelSettingsSubmit(deps)));
}
