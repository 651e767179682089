import { createHash } from 'node:crypto';

/** A workspace skill as admins write it in Slack; uploaded to each Anthropic account that needs it. */
export interface Skill {
  id: string;
  teamId: string;
  /** Kebab-case name, unique in the workspace, fixed after creation; the `name` in SKILL.md. */
  skillId: string;
  title: string;
  description: string;
  instructions: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type SkillFields = Pick<Skill, 'skillId' | 'title' | 'description' | 'instructions'>;

/** What the agent may use: one of Anthropic's built-in skills, or a workspace skill by Baton's id. */
export type SkillRef = `anthropic:${string}` | `custom:${string}`;

export const anthropicRef = (skillId: string): SkillRef => `anthropic:${skillId}`;
export const customRef = (id: string): SkillRef => `custom:${id}`;

export function parseSkillRef(ref: string): { type: 'anthropic' | 'custom'; id: string } | undefined {
  const at = ref.indexOf(':');
  const type = ref.slice(0, at);
  const id = ref.slice(at + 1);
  if ((type !== 'anthropic' && type !== 'custom') || !id) return undefined;
  return { type, id };
}

/** Anthropic allows at most this many skills in one session, counted across the agents in it. */
export const MAX_SKILLS_PER_SESSION = 20;

// Anthropic's rules for SKILL.md (name shape, reserved words, lengths, no XML tags); Slack caps the body at 3000.
export const SKILL_LIMITS = { name: 64, title: 64, description: 1024, instructions: 3000, instructionLines: 500 };
const NAME_SHAPE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const RESERVED = ['anthropic', 'claude'];
const XML_TAG = /<\/?[A-Za-z][^>]*>/;

export type SkillField = keyof SkillFields;

/** Every rule a skill breaks, by field, worded for the person typing it. Empty when the skill is fine. */
export function checkSkill(fields: SkillFields): Partial<Record<SkillField, string>> {
  const errors: Partial<Record<SkillField, string>> = {};
  const { skillId, title, description, instructions } = fields;
  if (!skillId) errors.skillId = 'Give the skill an ID, e.g. release-notes.';
  else if (skillId.length > SKILL_LIMITS.name) errors.skillId = `Use at most ${SKILL_LIMITS.name} characters.`;
  else if (!NAME_SHAPE.test(skillId))
    errors.skillId = 'Use lowercase letters, digits and single hyphens only (kebab-case), e.g. release-notes.';
  else if (RESERVED.some((word) => skillId.includes(word)))
    errors.skillId = 'Anthropic reserves the words "anthropic" and "claude" in skill names.';
  if (!title.trim()) errors.title = 'Give the skill a title.';
  else if (title.length > SKILL_LIMITS.title) errors.title = `Use at most ${SKILL_LIMITS.title} characters.`;
  else if (/[\r\n]/.test(title)) errors.title = 'Keep the title on one line.';
  if (!description.trim()) errors.description = 'Say when the agent should use this skill.';
  else if (description.length > SKILL_LIMITS.description)
    errors.description = `Use at most ${SKILL_LIMITS.description} characters.`;
  else if (XML_TAG.test(description)) errors.description = 'Anthropic does not allow XML tags in a description.';
  if (!instructions.trim()) errors.instructions = 'Write the instructions the agent follows.';
  else if (instructions.length > SKILL_LIMITS.instructions)
    errors.instructions = `Use at most ${SKILL_LIMITS.instructions} characters.`;
  else if (instructions.split('\n').length > SKILL_LIMITS.instructionLines)
    errors.instructions = `Keep the instructions under ${SKILL_LIMITS.instructionLines} lines.`;
  else if (/^\s*---\s*$/m.test(instructions.split('\n')[0] ?? ''))
    errors.instructions = 'Leave out the --- frontmatter: Baton writes it from the ID and description.';
  return errors;
}

/** SKILL.md with frontmatter built from the fields; JSON strings are valid YAML scalars, so quotes stay safe. */
export function skillMarkdown(fields: SkillFields): string {
  const body = fields.instructions.trim();
  return `---\nname: ${fields.skillId}\ndescription: ${JSON.stringify(fields.description.trim())}\n---\n\n# ${fields.title.trim()}\n\n${body}\n`;
}

/** Identifies an upload's content: a new version is uploaded only when this changes. */
export const skillContentHash = (fields: SkillFields): string =>
  createHash('sha256').update(skillMarkdown(fields)).digest('hex');
