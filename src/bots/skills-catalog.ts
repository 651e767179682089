import type { SkillListItem } from '../views/skills-list';
import type { BotStores } from './deps';

/** The workspace's skills with the names of the bots using each. */
export async function listSkillItems(stores: Pick<BotStores, 'skills'>, teamId: string): Promise<SkillListItem[]> {
  const skills = await stores.skills.list(teamId);
  return Promise.all(
    skills.map(async (skill) => ({ ...skill, usedBy: (await stores.skills.usedBy(skill.id)).map((u) => u.name) })),
  );
}
