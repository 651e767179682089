/** Every action, view callback and input block id Baton's Slack surfaces use, in one place. */
export const ACTION = {
  newBot: 'bots.new',
  editBot: 'bots.edit',
  retrySync: 'bots.retry_sync',
  openConnection: 'bot.connection',
  askAgent: 'bot.ask',
  deleteBot: 'bot.delete',
  chooseKey: 'connection.key',
  chooseMode: 'connection.mode',
  addKey: 'connection.add_key',
  validateKey: 'connection.validate',
  refreshResources: 'connection.refresh',
  deleteKey: 'keys.delete',
  addAdmins: 'admins.add',
  removeAdmin: 'admins.remove',
  createToken: 'tokens.create',
  revokeToken: 'tokens.revoke',
  stopSession: 'session.stop',
  retrySession: 'session.retry',
  viewLog: 'session.log',
  openPage: 'session.page',
  /** The URL button that opens a signed session page link (Slack still sends the click to Baton). */
  pageLink: 'session.page_link',
  logPage: 'session.log_page',
  approveTool: 'session.approve',
  denyTool: 'session.deny',
  pickBot: 'session.pick_bot',
  sessionDetails: 'session.details',
  continueBudget: 'session.continue_budget',
} as const;

export const VIEW = {
  bot: 'bot_modal',
  connection: 'connection_modal',
  addKey: 'add_key_modal',
  ask: 'ask_agent_modal',
  proposal: 'proposal_modal',
  assign: 'assign_modal',
  channelSettings: 'channel_settings_modal',
  sessionDetails: 'session_details_modal',
} as const;

/** Input block ids; each input's element uses the action id `value`. */
export const INPUT = {
  name: 'name',
  displayName: 'display_name',
  icon: 'icon',
  type: 'type',
  description: 'description',
  key: 'key',
  keyLabel: 'key_label',
  keySecret: 'key_secret',
  mode: 'mode',
  instructions: 'instructions',
  model: 'model',
  guidance: 'guidance',
  agent: 'agent',
  environment: 'environment',
  vaults: 'vaults',
  toolMode: 'tool_mode',
  directApi: 'direct_api',
  ask: 'ask',
  apply: 'apply',
  bot: 'bot',
  instructions_extra: 'extra_instructions',
} as const;

export const VALUE = 'value';
