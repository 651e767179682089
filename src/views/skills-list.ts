import type { Skill } from '../domain/skills';
import { clip, context, escapeMrkdwn, header, section, type Blocks } from './blocks';
import { button, plainText } from './elements';
import { ACTION } from './ids';

export interface SkillListItem extends Skill {
  /** Names of the bots that select this skill. */
  usedBy: string[];
}

const MAX_LISTED = 20;

/** Deleting asks first, naming the bots that lose the skill. */
function deleteConfirm(skill: SkillListItem) {
  const users = skill.usedBy.length
    ? `It is detached from ${skill.usedBy.map((n) => `*${escapeMrkdwn(n)}*`).join(', ')} first, and removed from their Anthropic accounts.`
    : 'No bot uses it.';
  return {
    title: plainText('Delete skill?'),
    text: {
      type: 'mrkdwn' as const,
      text: clip(`Delete *${escapeMrkdwn(skill.title)}* (\`${skill.skillId}\`)? ${users}`, 300),
    },
    confirm: plainText('Delete'),
    deny: plainText('Cancel'),
    style: 'danger' as const,
  };
}

/** `/baton skills`: the workspace's skills with Create, Edit and Delete (admins only reach it). */
export function buildSkillsList(skills: SkillListItem[]): Blocks {
  const blocks: Blocks = [header('Skills')];
  if (skills.length === 0)
    blocks.push(
      section(
        'No workspace skills yet. A skill teaches managed bots a procedure: when to use it, API patterns, examples, guardrails.',
      ),
    );
  for (const skill of skills.slice(0, MAX_LISTED)) {
    const used = skill.usedBy.length ? `Used by ${skill.usedBy.map(escapeMrkdwn).join(', ')}` : 'Not used by any bot';
    blocks.push(
      section(
        `*${escapeMrkdwn(skill.title)}* · \`${skill.skillId}\`\n${escapeMrkdwn(clip(skill.description, 200))}\n_${used}_`,
      ),
      {
        type: 'actions',
        elements: [
          button('Edit', ACTION.editSkill, skill.id),
          button('Delete', ACTION.deleteSkill, skill.id, { style: 'danger', confirm: deleteConfirm(skill) }),
        ],
      },
    );
  }
  if (skills.length > MAX_LISTED) blocks.push(context(`…and ${skills.length - MAX_LISTED} more.`));
  blocks.push({
    type: 'actions',
    block_id: 'skills_list_actions',
    elements: [button('Create skill', ACTION.createSkill, undefined, { style: 'primary' })],
  });
  return blocks;
}
