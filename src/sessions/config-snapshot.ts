import { z } from 'zod';
import type { SessionConfig } from './resolve-config';

const source = z.enum(['bot', 'channel', 'rule', 'workspace']);
const resolved = <T extends z.ZodTypeAny>(value: T) => z.object({ value, source, detail: z.string().optional() });

const snapshot = z.object({
  botId: z.string(),
  botName: z.string(),
  model: resolved(z.object({ id: z.string(), name: z.string() }).nullable()),
  guidance: resolved(z.string()),
  repositories: resolved(z.array(z.object({ fullName: z.string(), branch: z.string().nullable() }))),
  toolMode: resolved(z.enum(['basic', 'full'])),
  skills: resolved(z.array(z.string())),
  mcpServers: resolved(z.array(z.object({ name: z.string(), approval: z.enum(['ask', 'trusted']) }))),
  budgetCents: resolved(z.number().int()),
  starters: resolved(
    z.object({ mode: z.enum(['anyone', 'named']), users: z.array(z.string()), groups: z.array(z.string()) }),
  ),
  repliesWithoutMention: resolved(z.boolean()),
  monthlyCapCents: z.number().int().nullable(),
});

/** The configuration a session started with, as stored beside it; undefined when the stored value is not one. */
export function parseConfigSnapshot(stored: unknown): SessionConfig | undefined {
  const parsed = snapshot.safeParse(stored);
  return parsed.success ? (parsed.data as SessionConfig) : undefined;
}
