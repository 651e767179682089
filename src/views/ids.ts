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
  logPage: 'session.log_page',
  approveTool: 'session.approve',
  denyTool: 'session.deny',
  pickBot: 'session.pick_bot',
} as const;

export const VIEW = {
  bot: 'bot_modal',
  connection: 'connection_modal',
  addKey: 'add_key_modal',
  ask: 'ask_agent_modal',
  proposal: 'proposal_modal',
  assign: 'assign_modal',
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
