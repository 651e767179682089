import type { ModalView } from '@slack/types';
import { SKILL_LIMITS, type Skill } from '../domain/skills';
import { context, escapeMrkdwn, section, type Blocks } from './blocks';
import { modal, plainInput } from './elements';
import { INPUT, VIEW } from './ids';

export interface SkillModalMetadata {
  /** Baton's id of the skill being edited; absent when creating one. */
  id?: string;
}

/** Create or edit a workspace skill. The skill ID is fixed once created, so editing shows it as text. */
export function buildSkillModal(skill?: Skill): ModalView {
  const blocks: Blocks = [];
  if (skill) blocks.push(section(`*Skill ID*\n\`${escapeMrkdwn(skill.skillId)}\` (fixed after creation)`));
  else
    blocks.push(
      plainInput(INPUT.skillId, 'Skill ID', {
        maxLength: SKILL_LIMITS.name,
        placeholder: 'release-notes',
        hint: 'Kebab-case, unique in this workspace; it cannot change later.',
      }),
    );
  blocks.push(
    plainInput(INPUT.skillTitle, 'Title', { initial: skill?.title, maxLength: SKILL_LIMITS.title }),
    plainInput(INPUT.skillDescription, 'Description', {
      initial: skill?.description,
      multiline: true,
      maxLength: SKILL_LIMITS.description,
      hint: 'When the agent should use this skill; Claude reads it to decide.',
    }),
    plainInput(INPUT.skillInstructions, 'Instructions', {
      initial: skill?.instructions,
      multiline: true,
      maxLength: SKILL_LIMITS.instructions,
      hint: 'Markdown: when to use it, API patterns, examples, guardrails.',
    }),
    context('Saved as SKILL.md in the Anthropic account of every managed bot that selects the skill.'),
  );
  return modal(VIEW.skill, skill ? 'Edit skill' : 'Create skill', blocks, {
    submit: 'Save',
    privateMetadata: JSON.stringify((skill ? { id: skill.id } : {}) satisfies SkillModalMetadata),
  });
}
