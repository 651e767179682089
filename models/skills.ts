import { and, asc, eq, sql } from 'drizzle-orm';
import type { Skill, SkillFields } from '../src/domain/skills';
import { customRef } from '../src/domain/skills';
import type { Database } from './database';
import { isUniqueViolation } from './errors';
import { newId } from './ids';
import { bots, claudeConnections, skills, skillUploads } from './schema';

export class DuplicateSkillIdError extends Error {
  override readonly name = 'DuplicateSkillIdError';
}

/** Where one workspace skill lives in one Anthropic account. */
export interface SkillUpload {
  skillId: string;
  keyId: string;
  anthropicSkillId: string;
  version: string;
  contentHash: string;
}

export interface SkillUser {
  botId: string;
  name: string;
}

/** Workspace skills, their uploads per Anthropic account, and the bots that select them. */
export class SkillRepository {
  constructor(private readonly db: Database) {}

  async create(teamId: string, fields: SkillFields, createdBy: string): Promise<Skill> {
    try {
      const [row] = await this.db
        .insert(skills)
        .values({ ...fields, id: newId('skill'), teamId, createdBy })
        .returning();
      return row as Skill;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateSkillIdError(fields.skillId, { cause: error });
      throw error;
    }
  }

  /** The skill ID is fixed after creation, so only the other fields change. */
  async update(teamId: string, id: string, fields: Omit<SkillFields, 'skillId'>): Promise<Skill | undefined> {
    const [row] = await this.db
      .update(skills)
      .set({ ...fields, updatedAt: new Date() })
      .where(and(eq(skills.teamId, teamId), eq(skills.id, id)))
      .returning();
    return row as Skill | undefined;
  }

  async get(teamId: string, id: string): Promise<Skill | undefined> {
    const [row] = await this.db
      .select()
      .from(skills)
      .where(and(eq(skills.teamId, teamId), eq(skills.id, id)));
    return row as Skill | undefined;
  }

  async list(teamId: string): Promise<Skill[]> {
    return (await this.db
      .select()
      .from(skills)
      .where(eq(skills.teamId, teamId))
      .orderBy(asc(skills.skillId))) as Skill[];
  }

  async delete(teamId: string, id: string): Promise<void> {
    await this.db.delete(skills).where(and(eq(skills.teamId, teamId), eq(skills.id, id)));
  }

  /** Bots whose connection selects this skill, by name. */
  async usedBy(id: string): Promise<SkillUser[]> {
    return this.db
      .select({ botId: bots.id, name: bots.name })
      .from(claudeConnections)
      .innerJoin(bots, eq(bots.id, claudeConnections.botId))
      .where(sql`${customRef(id)} = any(${claudeConnections.skills})`)
      .orderBy(asc(bots.name));
  }

  /** Drops the skill from every bot's selection, returning the bots that had it. */
  async detachEverywhere(id: string): Promise<SkillUser[]> {
    const users = await this.usedBy(id);
    await this.db
      .update(claudeConnections)
      .set({ skills: sql`array_remove(${claudeConnections.skills}, ${customRef(id)})` })
      .where(sql`${customRef(id)} = any(${claudeConnections.skills})`);
    return users;
  }

  async upload(skillId: string, keyId: string): Promise<SkillUpload | undefined> {
    const [row] = await this.db
      .select()
      .from(skillUploads)
      .where(and(eq(skillUploads.skillId, skillId), eq(skillUploads.keyId, keyId)));
    return row;
  }

  async uploadsOf(skillId: string): Promise<SkillUpload[]> {
    return this.db.select().from(skillUploads).where(eq(skillUploads.skillId, skillId));
  }

  async recordUpload(upload: SkillUpload): Promise<void> {
    const { skillId: _skill, keyId: _key, ...rest } = upload;
    await this.db
      .insert(skillUploads)
      .values({ ...upload, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: [skillUploads.skillId, skillUploads.keyId],
        set: { ...rest, updatedAt: new Date() },
      });
  }

  async forgetUpload(skillId: string, keyId: string): Promise<void> {
    await this.db.delete(skillUploads).where(and(eq(skillUploads.skillId, skillId), eq(skillUploads.keyId, keyId)));
  }
}
