import { UnrecoverableError } from 'bullmq';
import { ClaudeApiError } from '../src/ports/claude';
import { createJob, deleteSkillJob, resyncSkill } from './definitions';
import type { JobAttempt, ProcessorDeps } from './deps';
import { runSyncBot } from './sync-bot';

/** A skill changed: every managed bot that selects it gets its own sync job (and shows Syncing… meanwhile). */
export async function runResyncSkill(data: unknown, deps: ProcessorDeps): Promise<void> {
  const job = resyncSkill.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid resync-skill payload');
  const { teamId, skillId, actorId } = job.data;
  const skill = await deps.stores.skills.get(teamId, skillId);
  if (!skill) return;
  for (const user of await deps.stores.skills.usedBy(skill.id)) {
    await deps.stores.bots.setStatus(user.botId, 'syncing', `updating skill ${skill.skillId}`);
    await deps.queue.enqueue(createJob('sync-bot', { ...job.data, botId: user.botId, actorId }, user.botId));
  }
}

/**
 * Deletes a skill: detached from every bot's agent first (each bot synced without it, in this job, so the order
 * holds), then removed from each Anthropic account it was uploaded to, then forgotten.
 */
export async function runDeleteSkill(data: unknown, deps: ProcessorDeps, attempt: JobAttempt): Promise<void> {
  const job = deleteSkillJob.safeParse(data);
  if (!job.success) throw new UnrecoverableError('invalid delete-skill payload');
  const { teamId, skillId, actorId } = job.data;
  const { skills, keys, audit } = deps.stores;
  const skill = await skills.get(teamId, skillId);
  if (!skill) return;
  for (const user of await skills.detachEverywhere(skill.id)) {
    await deps.stores.bots.setStatus(user.botId, 'syncing', `removing skill ${skill.skillId}`);
    await runSyncBot({ ...job.data, botId: user.botId, v: 1 }, deps, { ...attempt, isFinal: true });
  }
  for (const upload of await skills.uploadsOf(skill.id)) {
    const apiKey = await keys.reveal(teamId, upload.keyId);
    if (apiKey === undefined) continue;
    try {
      await deps.claude.deleteSkill(apiKey, upload.anthropicSkillId);
      await skills.forgetUpload(skill.id, upload.keyId);
    } catch (error) {
      if (!(error instanceof ClaudeApiError) || !attempt.isFinal) throw error;
      deps.log.warn({ event: 'skill.remote_delete_failed', skillId: skill.id, keyId: upload.keyId, err: error });
    }
  }
  await skills.delete(teamId, skill.id);
  await audit.record({ teamId, actorId, action: 'skill.deleted', target: skill.skillId });
}
