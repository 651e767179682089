import type { CursorRepositoryOption } from '../../domain/cursor';
import type { ModelOption } from '../../domain/claude';
import type { CursorApi } from './cursor-api';
import { CursorApiError, explainCursorError } from './errors';

/** A Cursor key that failed one of the checks, with the step and what to do, in words for an admin. */
export class CursorKeyProblem extends Error {
  override readonly name = 'CursorKeyProblem';
}

const STEPS = ['Key', 'Models', 'Repositories'] as const;

/**
 * Checks a Cursor key in three steps (the key itself, Cloud Agents on its plan, the repositories it can reach) and
 * returns what the settings offer. Each failure names its step, so an admin knows which part to fix.
 */
export async function validateCursorKey(
  api: CursorApi,
  key: string,
): Promise<{ models: ModelOption[]; repositories: CursorRepositoryOption[] }> {
  let step = 0;
  try {
    await api.me(key);
    step = 1;
    const models = await api.models(key);
    step = 2;
    const repositories = await api.repositories(key);
    return { models, repositories };
  } catch (error) {
    if (!(error instanceof CursorApiError)) throw error;
    throw new CursorKeyProblem(`Step ${step + 1} of 3 (${STEPS[step]}) failed: ${explainCursorError(error)}`, {
      cause: error,
    });
  }
}
