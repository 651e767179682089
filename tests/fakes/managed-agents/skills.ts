import { parse as parseYaml } from 'yaml';
import { badRequest, notFound } from './errors';
import type { IdGenerator } from './ids';

export interface FakeSkill {
  id: string;
  type: 'skill';
  display_name: string;
  latest_version_id: string;
  source: { type: 'custom' | 'anthropic' };
  created_at: string;
  updated_at: string;
}

export interface FakeSkillVersion {
  id: string;
  type: 'skill_version';
  skill_id: string;
  name: string;
  description: string;
  created_at: string;
}

/** A stored skill with its versions (oldest first) and each version's files, as uploaded. */
export interface StoredSkill {
  skill: FakeSkill;
  versions: Array<{ version: FakeSkillVersion; files: Record<string, string> }>;
}

const BUILT_IN: Array<[string, string]> = [
  ['pptx', 'PowerPoint'],
  ['xlsx', 'Excel'],
  ['docx', 'Word'],
  ['pdf', 'PDF'],
];

const NAME_SHAPE = /^[a-z0-9-]+$/;
const XML_TAG = /<\/?[A-Za-z][^>]*>/;

/**
 * What Anthropic checks on an upload: one top-level directory, SKILL.md at its root, YAML frontmatter with a
 * kebab-case `name` (≤64, no reserved words) and a `description` (≤1024, no XML tags).
 */
export function checkSkillFiles(files: Record<string, string>): { name: string; description: string } {
  const paths = Object.keys(files);
  if (paths.length === 0) throw badRequest('files: at least one file is required');
  const tops = new Set(paths.map((p) => p.split('/')[0]));
  if (tops.size !== 1 || paths.some((p) => !p.includes('/')))
    throw badRequest('files: all files must be in the same top-level directory');
  const [top] = [...tops];
  const skillMd = files[`${top}/SKILL.md`];
  if (skillMd === undefined) throw badRequest('files: SKILL.md must be at the root of the top-level directory');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(skillMd);
  if (!match) throw badRequest('SKILL.md: YAML frontmatter is required');
  let front: unknown;
  try {
    front = parseYaml(match[1] ?? '');
  } catch {
    throw badRequest('SKILL.md: the frontmatter is not valid YAML');
  }
  const { name, description } = (front ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string' || !name) throw badRequest('SKILL.md: frontmatter field name is required');
  if (name.length > 64) throw badRequest('SKILL.md: name must be at most 64 characters');
  if (!NAME_SHAPE.test(name))
    throw badRequest('SKILL.md: name may contain only lowercase letters, numbers and hyphens');
  if (/anthropic|claude/.test(name)) throw badRequest('SKILL.md: name cannot contain reserved words');
  if (typeof description !== 'string' || !description.trim())
    throw badRequest('SKILL.md: frontmatter field description is required');
  if (description.length > 1024) throw badRequest('SKILL.md: description must be at most 1024 characters');
  if (XML_TAG.test(description) || XML_TAG.test(name)) throw badRequest('SKILL.md: XML tags are not allowed');
  return { name, description };
}

export class FakeSkills {
  readonly byId = new Map<string, StoredSkill>();

  constructor(
    private readonly ids: IdGenerator,
    private readonly now: () => string,
  ) {
    for (const [id, name] of BUILT_IN) {
      const at = '2025-10-01T00:00:00Z';
      const version: FakeSkillVersion = {
        id: '20251001',
        type: 'skill_version',
        skill_id: id,
        name: id,
        description: name,
        created_at: at,
      };
      this.byId.set(id, {
        skill: {
          id,
          type: 'skill',
          display_name: name,
          latest_version_id: version.id,
          source: { type: 'anthropic' },
          created_at: at,
          updated_at: at,
        },
        versions: [{ version, files: {} }],
      });
    }
  }

  get(id: string): StoredSkill {
    const stored = this.byId.get(id);
    if (!stored) throw notFound(`Skill ${id} not found.`);
    return stored;
  }

  create(files: Record<string, string>, displayName: string | undefined): FakeSkill {
    const { name, description } = checkSkillFiles(files);
    if (displayName !== undefined && (displayName.length > 255 || /[\r\n]/.test(displayName)))
      throw badRequest('display_name: a single line of at most 255 characters');
    const id = this.ids.next('skill');
    const at = this.now();
    const version = this.newVersion(id, name, description);
    const skill: FakeSkill = {
      id,
      type: 'skill',
      display_name: displayName ?? name,
      latest_version_id: version.id,
      source: { type: 'custom' },
      created_at: at,
      updated_at: at,
    };
    this.byId.set(id, { skill, versions: [{ version, files }] });
    return skill;
  }

  addVersion(id: string, files: Record<string, string>): FakeSkillVersion {
    const stored = this.get(id);
    if (stored.skill.source.type !== 'custom') throw badRequest(`Skill ${id} is not a custom skill.`);
    const { name, description } = checkSkillFiles(files);
    const current = stored.versions.at(-1)?.version.name;
    if (current && current !== name) throw badRequest(`SKILL.md: name cannot change (it is "${current}")`);
    const version = this.newVersion(id, name, description);
    stored.versions.push({ version, files });
    stored.skill.latest_version_id = version.id;
    stored.skill.updated_at = this.now();
    return version;
  }

  deleteVersion(id: string, versionId: string): void {
    const stored = this.get(id);
    const index = stored.versions.findIndex((v) => v.version.id === versionId);
    if (index < 0) throw notFound(`Skill ${id} has no version ${versionId}.`);
    stored.versions.splice(index, 1);
  }

  delete(id: string): void {
    const stored = this.get(id);
    if (stored.skill.source.type !== 'custom') throw badRequest(`Skill ${id} cannot be deleted.`);
    if (stored.versions.length > 0)
      throw badRequest('Cannot delete a skill that still has versions: delete them first.');
    this.byId.delete(id);
  }

  /** The version an agent pins: the given one, which must exist, or the latest. */
  resolveVersion(type: 'anthropic' | 'custom', id: string, version: string | undefined, path: string): string {
    const stored = this.byId.get(id);
    if (!stored || stored.skill.source.type !== type) throw badRequest(`${path}.skill_id: no ${type} skill ${id}`);
    if (version === undefined || version === 'latest') return stored.skill.latest_version_id;
    if (!stored.versions.some((v) => v.version.id === version))
      throw badRequest(`${path}.version: skill ${id} has no version ${version}`);
    return version;
  }

  private newVersion(skillId: string, name: string, description: string): FakeSkillVersion {
    // Real version ids are microsecond timestamps; a counter-based id keeps them unique and ordered here.
    return {
      id: this.ids.next('skillver'),
      type: 'skill_version',
      skill_id: skillId,
      name,
      description,
      created_at: this.now(),
    };
  }
}
