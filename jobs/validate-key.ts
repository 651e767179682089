import { UnrecoverableError } from 'bullmq';
import { connectionView } from '../src/bots/catalog';
import { CursorKeyProblem, validateCursorKey } from '../src/adapters/cursor/validate-key';
import { ClaudeApiError } from '../src/ports/claude';
import { validateKey } from './definitions';
import type { ProcessorDeps } from './deps';

/**
 * "Validate connection": checks the key against Anthropic or Cursor, remembers the outcome and the models it offers, and
 * unlocks (or explains) the Agent connection modal. A failure is an answer, not a job error.
 */
export async function runValidateKey(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = validateKey.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid validate-key payload');
  const { teamId, keyId, view } = job.data;
  const { keys, audit } = deps.stores;
  const [secret, key] = await Promise.all([keys.reveal(teamId, keyId), keys.get(teamId, keyId)]);
  if (secret === undefined || !key) return;
  try {
    if (key.provider === 'cursor') {
      const { models, repositories } = await validateCursorKey(deps.cursor, secret);
      await keys.markValid(keyId, models, repositories);
    } else {
      await keys.markValid(keyId, await deps.claude.validateKey(secret));
      // Anthropic's built-in skills for the Skills picker; listed from the key, never hard-coded.
      await keys.saveBuiltinSkills(keyId, await deps.claude.listBuiltinSkills(secret));
    }
    await audit.record({ teamId, actorId: job.data.userId, action: 'key.validated', target: keyId });
  } catch (error) {
    if (!(error instanceof ClaudeApiError) && !(error instanceof CursorKeyProblem)) throw error;
    await keys.markInvalid(keyId, error.message);
    deps.log.info({ event: 'key.invalid', keyId, provider: key.provider, traceId: job.data.traceId });
  }
  if (!view) return;
  const modal = await connectionView(deps.stores, { teamId, userId: job.data.userId }, view.botId, {
    selectedKeyId: keyId,
    mode: view.mode,
  });
  if (!modal) return;
  const client = await deps.slack.forTeam(job.data);
  await client.views.update({ view_id: view.viewId, view: modal });
}
