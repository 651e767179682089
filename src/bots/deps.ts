import type { AuditLog } from '../../models/audit-log';
import type { BotRepository } from '../../models/bots';
import type { ClaudeConnectionRepository } from '../../models/claude-connections';
import type { McpServerRepository } from '../../models/mcp-servers';
import type { ProviderKeyRepository } from '../../models/provider-keys';
import type { SkillRepository } from '../../models/skills';
import type { WorkspaceAdminRepository } from '../../models/workspace-admins';

/** The stores behind bot configuration, shared by handlers (reads, quick writes) and jobs. */
export interface BotStores {
  bots: BotRepository;
  keys: ProviderKeyRepository;
  connections: ClaudeConnectionRepository;
  admins: WorkspaceAdminRepository;
  skills: SkillRepository;
  mcpServers: McpServerRepository;
  audit: AuditLog;
}
