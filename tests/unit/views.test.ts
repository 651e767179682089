import type { Bot } from '../../src/domain/bots';
import type { ProviderKey } from '../../src/domain/provider-keys';
import { buildAuditList } from '../../src/views/audit-list';
import { buildBotModal } from '../../src/views/bot-modal';
import { buildBotsList, type BotListItem } from '../../src/views/bots-list';
import { buildConnectionModal } from '../../src/views/connection-modal';
import { ACTION } from '../../src/views/ids';
import { buildKeysList } from '../../src/views/keys-list';
import { buildProposalModal } from '../../src/views/proposal-modal';
import { findBlockKitViolations, findMessageViolations, findViewViolations } from '../fakes/block-kit-limits';

const bot = (over: Partial<Bot> = {}): Bot => ({
  id: 'bot_1',
  teamId: 'T1',
  name: 'reviewer',
  displayName: 'Code <Reviewer>',
  icon: ':eyes:',
  type: 'claude',
  description: '',
  status: 'ready',
  statusDetail: null,
  toolMode: 'basic',
  allowDirectApi: false,
  sessionBudgetCents: null,
  createdBy: 'U1',
  createdAt: new Date(),
  updatedAt: new Date(),
  ...over,
});
const key = (over: Partial<ProviderKey> = {}): ProviderKey => ({
  id: 'key_1',
  teamId: 'T1',
  provider: 'anthropic',
  label: 'Prod',
  hint: 'sk-ant-…a1B2',
  validatedAt: null,
  validationError: null,
  models: [
    { id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8' },
    { id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6' },
  ],
  resources: null,
  builtinSkills: [],
  repositories: [],
  createdBy: 'U1',
  createdAt: new Date(),
  ...over,
});
const actionIds = (value: unknown) => [...JSON.stringify(value).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

describe('bots list', () => {
  const item = (i: number, over: Partial<Bot> = {}): BotListItem => ({
    ...bot({ id: `bot_${i}`, name: `bot${i}`, ...over }),
    sessionCount: i,
    model: 'claude-sonnet-4-6',
    connection: 'Agent managed in Baton',
  });

  it('offers New bot, Edit and Retry only to admins, and escapes names', () => {
    const blocks = buildBotsList([item(1, { status: 'failed', statusDetail: 'Bad <key>' })], { canConfigure: true });
    expect(actionIds(blocks)).toEqual([ACTION.editBot, ACTION.retrySync, ACTION.newBot]);
    expect(JSON.stringify(blocks)).toContain('Code &lt;Reviewer&gt;');
    expect(JSON.stringify(blocks)).toContain('Failed: Bad &lt;key&gt;');
    expect(actionIds(buildBotsList([item(1)], { canConfigure: false }))).toEqual([]);
  });

  it('stays within a message’s limits with many bots', () => {
    const many = Array.from({ length: 60 }, (_, i) => item(i, { status: 'failed', statusDetail: 'x'.repeat(500) }));
    expect(
      findMessageViolations({ text: 'Bots', blocks: buildBotsList(many, { canConfigure: true }) }),
    ).toBeUndefined();
  });
});

describe('bot modal', () => {
  it('asks for the type only when creating, and warns before delete', () => {
    expect(JSON.stringify(buildBotModal({}))).toContain('radio_buttons');
    const edit = buildBotModal({ bot: bot(), usage: { sessions: 3, channels: 1 } });
    expect(JSON.stringify(edit)).not.toContain('radio_buttons');
    expect(JSON.stringify(edit)).toContain('It has run 3 sessions in 1 channel');
    expect(actionIds(edit)).toEqual(expect.arrayContaining([ACTION.openConnection, ACTION.askAgent, ACTION.deleteBot]));
    expect(findViewViolations(edit)).toEqual([]);
  });
});

describe('connection modal', () => {
  const input = { bot: bot(), connection: undefined, selectedKeyId: 'key_1', mode: 'managed' as const };

  it('keeps agent, environment and model locked until the key validates', () => {
    const locked = buildConnectionModal({ ...input, keys: [key()] });
    expect(JSON.stringify(locked)).toContain('are locked');
    expect(JSON.stringify(locked)).not.toContain('"block_id":"model"');
    const unlocked = buildConnectionModal({ ...input, keys: [key({ validatedAt: new Date() })] });
    expect(JSON.stringify(unlocked)).toContain('"block_id":"model"');
    expect(JSON.stringify(unlocked)).toMatch(/"initial_option":\{[^}]*"text":"Claude Sonnet 4\.6"/);
  });

  it('shows friendly names with provider ids for existing resources, within modal limits', () => {
    const resources = {
      agents: Array.from({ length: 150 }, (_, i) => ({ id: `agent_${i}`, name: `Agent ${'n'.repeat(100)} ${i}` })),
      environments: [{ id: 'env_1', name: 'Prod' }],
      vaults: [],
      refreshedAt: new Date().toISOString(),
    };
    const view = buildConnectionModal({
      ...input,
      mode: 'existing',
      keys: [key({ validatedAt: new Date(), resources })],
    });
    expect(JSON.stringify(view)).toContain('"description":{"type":"plain_text","text":"env_1"');
    expect(findViewViolations(view)).toEqual([]);
  });
});

describe('lists and proposals', () => {
  it('never shows more than the masked key, and fits Slack', () => {
    const keys = Array.from({ length: 60 }, (_, i) => ({
      ...key({ id: `k${i}`, label: `Key ${i}` }),
      usedBy: ['a', 'b'],
    }));
    const blocks = buildKeysList(keys);
    expect(findMessageViolations({ text: 'keys', blocks })).toBeUndefined();
    const audit = buildAuditList(
      Array.from({ length: 25 }, (_, i) => ({
        actorId: 'U1',
        action: 'bot.updated',
        target: `bot${i}`,
        createdAt: new Date(),
      })),
    );
    expect(findMessageViolations({ text: 'audit', blocks: audit })).toBeUndefined();
  });

  it('shows each proposed change with its reason and fits a modal even when long', () => {
    const view = buildProposalModal({
      botName: 'reviewer',
      current: { instructions: 'i'.repeat(5000), model: 'claude-opus-4-8', toolMode: 'basic', guidance: '' },
      proposal: {
        instructions: { value: 'p'.repeat(5000), reason: 'Shorter is clearer.' },
        model: { value: 'claude-sonnet-4-6', reason: 'Faster for reviews.' },
      },
      proposalId: 'p1',
    });
    expect(JSON.stringify(view)).toContain('Faster for reviews.');
    expect(findBlockKitViolations(view.blocks, 'modal')).toEqual([]);
  });
});
