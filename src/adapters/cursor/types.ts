import { z } from 'zod';

/** The parts of Cursor's Cloud Agents API (v1) Baton reads; unknown fields pass through untouched. */
export const cursorRun = z.looseObject({
  id: z.string(),
  agentId: z.string(),
  status: z.enum(['CREATING', 'RUNNING', 'FINISHED', 'ERROR', 'CANCELLED', 'EXPIRED']),
  result: z.string().nullish(),
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).nullish(),
  git: z
    .looseObject({
      branches: z.array(
        z.looseObject({ repoUrl: z.string(), branch: z.string().nullish(), prUrl: z.string().nullish() }),
      ),
    })
    .nullish(),
});
export type CursorRun = z.infer<typeof cursorRun>;

export const cursorAgent = z.looseObject({
  id: z.string(),
  status: z.string(),
  url: z.string().nullish(),
  latestRunId: z.string().nullish(),
});
export type CursorAgent = z.infer<typeof cursorAgent>;

export const TERMINAL_RUN_STATUSES: ReadonlySet<CursorRun['status']> = new Set([
  'FINISHED',
  'ERROR',
  'CANCELLED',
  'EXPIRED',
]);

export interface CursorModel {
  id: string;
  displayName: string;
}

export interface CursorRepository {
  /** `https://github.com/acme/api` */
  url: string;
  /** `acme/api` */
  name: string;
  defaultBranch: string | null;
}

export interface CursorMcpServer {
  name: string;
  type: 'http';
  url: string;
  headers: Record<string, string>;
}

export interface CreateAgentRequest {
  agentId: string;
  name: string;
  prompt: { text: string };
  model?: { id: string };
  repos: { url: string; startingRef?: string }[];
  autoCreatePR: boolean;
  mcpServers?: CursorMcpServer[];
}

/** One server-sent event of a run's stream. */
export interface CursorStreamEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}
