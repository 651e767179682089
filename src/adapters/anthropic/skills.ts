import type Anthropic from '@anthropic-ai/sdk';
import { toFile } from '@anthropic-ai/sdk';
import type { NamedResource } from '../../domain/claude';
import type { SkillFile } from '../../ports/claude';
import { isNotFound } from './errors';

// The SDK adds no beta header to skills calls; the API documents this one for them.
const SKILLS_BETA = { betas: ['skills-2025-10-02' as const] };
const ONCE = { maxRetries: 0 } as const;

export async function listBuiltinSkills(client: Anthropic): Promise<NamedResource[]> {
  const out: NamedResource[] = [];
  for await (const skill of client.beta.skills.list({ source: 'anthropic', ...SKILLS_BETA }))
    out.push({ id: skill.id, name: skill.display_name || skill.id });
  return out;
}

// One directory named after the skill, with SKILL.md at its root: the shape Anthropic requires.
const files = async (file: SkillFile) => [await toFile(Buffer.from(file.markdown, 'utf8'), `${file.name}/SKILL.md`)];

/** A new version of the skill when it still exists, else a new skill (deleted in the Console, or never uploaded). */
export async function uploadSkill(
  client: Anthropic,
  file: SkillFile,
  anthropicSkillId: string | null,
): Promise<{ anthropicSkillId: string; version: string }> {
  if (anthropicSkillId) {
    try {
      const version = await client.beta.skills.versions.create(
        anthropicSkillId,
        { files: await files(file), ...SKILLS_BETA },
        ONCE,
      );
      return { anthropicSkillId, version: version.id };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const skill = await client.beta.skills.create(
    { files: await files(file), display_name: file.title, ...SKILLS_BETA },
    ONCE,
  );
  return { anthropicSkillId: skill.id, version: skill.latest_version_id };
}

/** Anthropic deletes a skill only once it has no versions left. */
export async function deleteSkill(client: Anthropic, anthropicSkillId: string): Promise<void> {
  try {
    const versions: string[] = [];
    for await (const v of client.beta.skills.versions.list(anthropicSkillId, SKILLS_BETA)) versions.push(v.id);
    for (const version of versions)
      await client.beta.skills.versions.delete(version, { skill_id: anthropicSkillId, ...SKILLS_BETA });
    await client.beta.skills.delete(anthropicSkillId, SKILLS_BETA);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
