export const BOT_TYPES = ['claude', 'cursor', 'self_hosted'] as const;
export type BotType = (typeof BOT_TYPES)[number];

export const BOT_TYPE_LABEL: Record<BotType, string> = {
  claude: 'Claude Agent',
  cursor: 'Cursor Cloud',
  self_hosted: 'Self-hosted',
};

/** `not_configured` until a connection is saved; `syncing`/`ready`/`failed` follow the provider sync. */
export type BotStatus = 'not_configured' | 'syncing' | 'ready' | 'failed';
export type ToolMode = 'basic' | 'full';

export interface Bot {
  id: string;
  teamId: string;
  name: string;
  displayName: string;
  /** `:emoji:` or an https image URL; every message the bot posts uses it. */
  icon: string | null;
  type: BotType;
  description: string;
  status: BotStatus;
  /** Why the last sync failed, in words a person can act on. */
  statusDetail: string | null;
  toolMode: ToolMode;
  allowDirectApi: boolean;
  /** Default spending limit per session, in cents; null inherits the workspace's. */
  sessionBudgetCents: number | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewBot = Pick<Bot, 'teamId' | 'name' | 'displayName' | 'icon' | 'type' | 'description' | 'createdBy'>;
export type BotIdentityChanges = Partial<Pick<Bot, 'name' | 'displayName' | 'icon' | 'type' | 'description'>>;
