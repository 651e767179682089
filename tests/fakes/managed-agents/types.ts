import type { IncomingHttpHeaders } from 'node:http';
import type {
  BetaManagedAgentsAgent,
  BetaManagedAgentsAgentToolset20260401,
  BetaManagedAgentsCustomTool,
  BetaManagedAgentsMCPToolset,
} from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import type { BetaManagedAgentsCredential } from '@anthropic-ai/sdk/resources/beta/vaults/credentials';
import type { BetaManagedAgentsVault } from '@anthropic-ai/sdk/resources/beta/vaults/vaults';
import type {
  BetaManagedAgentsSession,
  BetaManagedAgentsSessionAgent,
} from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';

export type Agent = BetaManagedAgentsAgent;
export type AgentTool =
  BetaManagedAgentsAgentToolset20260401 | BetaManagedAgentsMCPToolset | BetaManagedAgentsCustomTool;
export type Environment = BetaEnvironment;
export type Vault = BetaManagedAgentsVault;
export type Credential = BetaManagedAgentsCredential;
export type Session = BetaManagedAgentsSession;
export type SessionAgent = BetaManagedAgentsSessionAgent;
export type SessionEvent = BetaManagedAgentsSessionEvent;
export type FakeModelInfo = ModelInfo & { allowed_fallback_models?: string[] | null };

export type JsonObject = Record<string, unknown>;

/** A credential as stored: the public shape plus the secrets the API never returns. */
export interface StoredCredential {
  credential: Credential;
  /** The `auth` object exactly as sent on create (and patched by update), secrets included. */
  secretAuth: JsonObject;
  /** Set by a test to make MCP calls with this credential fail authentication. */
  isRejected: boolean;
}

/** A session resource with its secret (the repo token) kept beside it. */
export interface StoredResource {
  resource: JsonObject & { id: string; type: string };
  authorizationToken?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Request headers minus `authorization` and `x-api-key`. */
  headers: IncomingHttpHeaders;
  /** How the caller authenticated, without the key itself. */
  authScheme: 'bearer' | 'x-api-key' | 'none';
  body: unknown;
  status?: number;
  requestId: string;
}

/** `valid`: full access. `no_managed_agents`: 403 on Managed Agents paths. `not_enrolled`: 400 organization_not_enrolled_in_beta there. */
export type KeyAccess = 'valid' | 'no_managed_agents' | 'not_enrolled';
