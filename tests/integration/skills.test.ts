import { eq } from 'drizzle-orm';
import { skills as skillsTable, skillUploads } from '../../models/schema';
import { ACTION, INPUT, VALUE, VIEW } from '../../src/views/ids';
import { ANTHROPIC_KEY, startHarness, type Harness } from '../support/harness';
import { blockActions, slashCommand, textInput, viewSubmission } from '../support/slack-requests';
import { botsQuery } from './bots-helpers';
import { json, managedBot, saveManaged } from './agent-tools-helpers';

// A second Anthropic account (another key): one Baton skill then lives in two accounts.
const SECOND_KEY = 'sk-ant-api03-test0second0account000e5F6';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.anthropic.setApiKey(SECOND_KEY, 'valid');
});
afterAll(() => h.stop());
beforeEach(() => h.slack.reset());

const submitSkill = (fields: { id?: string; title?: string; description?: string; body?: string }, meta = '{}') =>
  h.send.interaction(
    viewSubmission({
      callback_id: VIEW.skill,
      private_metadata: meta,
      values: {
        ...(fields.id !== undefined ? { [INPUT.skillId]: { [VALUE]: textInput(fields.id) } } : {}),
        [INPUT.skillTitle]: { [VALUE]: textInput(fields.title ?? 'Release notes') },
        [INPUT.skillDescription]: {
          [VALUE]: textInput(fields.description ?? 'Use when asked to write release notes.'),
        },
        [INPUT.skillInstructions]: { [VALUE]: textInput(fields.body ?? '## Steps\n1. Read the merged PRs.') },
      },
    }),
  );

const skillRow = async (skillId: string) =>
  (await h.db.db.select().from(skillsTable).where(eq(skillsTable.skillId, skillId)))[0];

const agentOf = async (botId: string) => h.anthropic.agents.get((await botsQuery(h).connection(botId))!.agentId!)!;

describe('workspace skills', () => {
  it('lists skills for admins only, with Create skill', async () => {
    await h.send.command(slashCommand({ text: 'skills', user_id: 'U0002' }));
    expect(json((await h.slack.waitFor('response_url')).args)).not.toContain(ACTION.createSkill);
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'skills' }));
    const list = json((await h.slack.waitFor('response_url')).args);
    expect(list).toContain('Create skill');
    await h.send.interaction(blockActions({ action_id: ACTION.createSkill }));
    expect(json((await h.slack.waitFor('views.open')).args.view)).toContain('Skill ID');
  });

  it('checks every rule Anthropic enforces inline, and skill IDs are unique', async () => {
    const errorsOf = async (fields: Parameters<typeof submitSkill>[0]) =>
      ((await submitSkill(fields)).body as { errors?: Record<string, string> }).errors ?? {};
    expect(await errorsOf({ id: 'Release Notes' })).toHaveProperty(INPUT.skillId);
    expect((await errorsOf({ id: 'claude-helper' }))[INPUT.skillId]).toContain('reserves');
    expect(await errorsOf({ id: 'x'.repeat(65) })).toHaveProperty(INPUT.skillId);
    expect(await errorsOf({ id: 'ok', description: 'Use <b>this</b>' })).toHaveProperty(INPUT.skillDescription);
    expect(await errorsOf({ id: 'ok', description: 'd'.repeat(1025) })).toHaveProperty(INPUT.skillDescription);
    expect(await errorsOf({ id: 'ok', body: '---\nname: x\n---\nbody' })).toHaveProperty(INPUT.skillInstructions);
    expect(await errorsOf({ id: 'ok', body: 'line\n'.repeat(501) })).toHaveProperty(INPUT.skillInstructions);
    expect(await errorsOf({ id: 'ok', title: '' })).toHaveProperty(INPUT.skillTitle);

    expect((await submitSkill({ id: 'release-notes' })).status).toBe(200);
    expect(await errorsOf({ id: 'release-notes' })).toEqual({
      [INPUT.skillId]: 'Another skill in this workspace has this ID.',
    });
  });

  it('puts built-in and custom skills on each agent, one upload per account, re-synced on edit, detached on delete', async () => {
    const skill = (await skillRow('release-notes'))!;
    const one = await managedBot(h, 'writer', ANTHROPIC_KEY);
    const two = await managedBot(h, 'editor', SECOND_KEY);

    // The picker offers the key's built-in skills and the workspace's.
    const picker = await h.slack.waitFor('views.update', (c) => json(c.args.view).includes('Custom MCP servers'));
    expect(json(picker.args.view)).toContain('anthropic:xlsx');
    expect(json(picker.args.view)).toContain(`custom:${skill.id}`);
    const connectionIndex = (text: string) => json(picker.args.view).indexOf(text);
    expect(connectionIndex('*Skills*')).toBeLessThan(connectionIndex('*Custom MCP servers*'));

    await saveManaged(h, one.bot.id, one.keyId, ['anthropic:xlsx', `custom:${skill.id}`]);
    await saveManaged(h, two.bot.id, two.keyId, [`custom:${skill.id}`]);
    const uploads = await h.db.db.select().from(skillUploads).where(eq(skillUploads.skillId, skill.id));
    expect(uploads).toHaveLength(2);
    const [first] = uploads;
    const stored = h.anthropic.state.skills.byId.get(first!.anthropicSkillId)!;
    const markdown = Object.entries(stored.versions[0]!.files);
    expect(markdown).toEqual([['release-notes/SKILL.md', expect.stringContaining('name: release-notes')]]);
    expect(markdown[0]![1]).toContain('description: "Use when asked to write release notes."');
    expect((await agentOf(one.bot.id)).skills).toEqual([
      { type: 'anthropic', skill_id: 'xlsx', version: expect.any(String) },
      { type: 'custom', skill_id: first!.anthropicSkillId, version: first!.version },
    ]);

    // Saving again without changes uploads nothing new.
    await saveManaged(h, one.bot.id, one.keyId, ['anthropic:xlsx', `custom:${skill.id}`]);
    expect(stored.versions).toHaveLength(1);

    // Editing: a new version in each account, and both agents pinned to it.
    expect(
      (await submitSkill({ title: 'Release notes', body: '## Steps\n1. Read the tags.' }, json({ id: skill.id })))
        .status,
    ).toBe(200);
    await waitUntil(async () => {
      const rows = await h.db.db.select().from(skillUploads).where(eq(skillUploads.skillId, skill.id));
      return rows.every((r) => r.version !== uploads.find((u) => u.keyId === r.keyId)!.version);
    });
    await botsQuery(h).waitForStatus(one.bot.id, 'ready');
    await botsQuery(h).waitForStatus(two.bot.id, 'ready');
    const after = await h.db.db.select().from(skillUploads).where(eq(skillUploads.skillId, skill.id));
    for (const bot of [one.bot, two.bot]) {
      const custom = (await agentOf(bot.id)).skills.find((s) => s.type === 'custom')!;
      expect(after.map((u) => u.version)).toContain(custom.version);
    }
    expect(h.anthropic.state.skills.byId.get(first!.anthropicSkillId)!.versions).toHaveLength(2);

    // Deleting asks first, naming the bots, then detaches everywhere and removes it from both accounts.
    h.slack.reset();
    await h.send.command(slashCommand({ text: 'skills' }));
    const list = json((await h.slack.waitFor('response_url')).args);
    expect(list).toContain('Delete skill?');
    expect(list).toMatch(/detached from \*editor\*, \*writer\*/);
    await h.send.interaction(blockActions({ action_id: ACTION.deleteSkill, value: skill.id }));
    await waitUntil(async () => (await skillRow('release-notes')) === undefined);
    expect((await agentOf(one.bot.id)).skills).toEqual([
      { type: 'anthropic', skill_id: 'xlsx', version: expect.any(String) },
    ]);
    expect((await agentOf(two.bot.id)).skills).toEqual([]);
    for (const upload of after) expect(h.anthropic.state.skills.byId.has(upload.anthropicSkillId)).toBe(false);
    expect((await botsQuery(h).connection(one.bot.id))!.skills).toEqual(['anthropic:xlsx']);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
