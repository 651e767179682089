import type { AuditLog } from '../../models/audit-log';
import type { BotRepository } from '../../models/bots';
import type { ClaudeConnectionRepository } from '../../models/claude-connections';
import type { GitHubRepositoryStore } from '../../models/github';
import type { ProviderKeyRepository } from '../../models/provider-keys';
import type { WorkspaceAdminRepository } from '../../models/workspace-admins';
import type { GitHubLinks } from '../github/links';

/** The stores behind bot configuration, shared by handlers (reads, quick writes) and jobs. */
export interface BotStores {
  bots: BotRepository;
  keys: ProviderKeyRepository;
  connections: ClaudeConnectionRepository;
  admins: WorkspaceAdminRepository;
  audit: AuditLog;
  github: GitHubRepositoryStore;
  /** Unset when Baton's GitHub App is not configured. */
  githubLinks: GitHubLinks | undefined;
}
