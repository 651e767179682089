import type { AuditLog } from '../../models/audit-log';
import type { BotRepository } from '../../models/bots';
import type { ClaudeConnectionRepository } from '../../models/claude-connections';
import type { McpServerRepository } from '../../models/mcp-servers';
import type { ProviderKeyRepository } from '../../models/provider-keys';
import type { SkillRepository } from '../../models/skills';
import type { CursorConnectionRepository } from '../../models/cursor-connections';
import type { GitHubRepositoryStore } from '../../models/github';
import type { RuntimeEventRepository } from '../../models/runtime-events';
import type { SelfHostedConnectionRepository } from '../../models/self-hosted-connections';
import type { WebhookDeliveryRepository } from '../../models/webhook-deliveries';
import type { WorkspaceAdminRepository } from '../../models/workspace-admins';
import type { GitHubLinks } from '../github/links';

/** The stores behind bot configuration, shared by handlers (reads, quick writes) and jobs. */
export interface BotStores {
  bots: BotRepository;
  keys: ProviderKeyRepository;
  connections: ClaudeConnectionRepository;
  cursor: CursorConnectionRepository;
  selfHosted: SelfHostedConnectionRepository;
  /** Self-hosted bots: every webhook attempt, and each session's inbox of runtime events. */
  deliveries: WebhookDeliveryRepository;
  inbox: RuntimeEventRepository;
  admins: WorkspaceAdminRepository;
  skills: SkillRepository;
  mcpServers: McpServerRepository;
  audit: AuditLog;
  github: GitHubRepositoryStore;
  /** Unset when Baton's GitHub App is not configured. */
  githubLinks: GitHubLinks | undefined;
}
