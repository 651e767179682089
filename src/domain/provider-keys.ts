import type { ClaudeResources, ModelOption, NamedResource } from './claude';
import type { CursorRepositoryOption } from './cursor';

export type Provider = 'anthropic' | 'cursor';

/** A saved workspace key as people see it: never the secret, only a masked hint. */
export interface ProviderKey {
  id: string;
  teamId: string;
  provider: Provider;
  label: string;
  hint: string;
  validatedAt: Date | null;
  validationError: string | null;
  models: ModelOption[];
  resources: ClaudeResources | null;
  /** Anthropic's built-in skills the key lists (id and display name). */
  builtinSkills: NamedResource[];
  /** Cursor keys: the repositories the key can work on. */
  repositories: CursorRepositoryOption[];
  createdBy: string;
  createdAt: Date;
}
