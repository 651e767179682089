import { defaultBotSettings, type ChannelBotSettings } from '../../src/domain/channel-settings';
import { configRows, runsWithLine } from '../../src/sessions/describe-config';
import {
  BUILT_IN_SESSION_BUDGET_CENTS,
  mayStart,
  resolveSessionConfig,
  type BotDefaults,
  type ResolveInput,
  type SessionConfig,
} from '../../src/sessions/resolve-config';

const rich = (text: string) => ({
  type: 'rich_text' as const,
  elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
});

const bot: BotDefaults = {
  id: 'bot_1',
  name: 'reviewer',
  displayName: 'Reviewer',
  type: 'claude',
  toolMode: 'full',
  sessionBudgetCents: null,
  model: { id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5' },
  guidance: 'Be brief.',
  repositories: [
    { fullName: 'acme/api', branch: 'main' },
    { fullName: 'acme/web', branch: null },
  ],
  skills: ['changelog'],
  mcpServers: [
    { name: 'Linear', isTrusted: true },
    { name: 'Sentry', isTrusted: false },
  ],
};

const section = (changes: Partial<ChannelBotSettings>): ChannelBotSettings => ({
  ...defaultBotSettings('bot_1'),
  ...changes,
});

const input = (changes: {
  bot?: BotDefaults | null;
  guidance?: string;
  section?: ChannelBotSettings | null;
  workspaceBudget?: number | null;
}): ResolveInput => ({
  bot: changes.bot === undefined ? bot : changes.bot,
  channel: { guidance: changes.guidance ?? '', monthlyCapCents: null, section: changes.section ?? null },
  workspace: { sessionBudgetCents: changes.workspaceBudget ?? null },
});

const resolved = (i: ResolveInput): SessionConfig => {
  const result = resolveSessionConfig(i);
  if (!result.ok) throw new Error(result.problem);
  return result.config;
};

type Pick = (c: SessionConfig) => unknown;
const guidance: Pick = (c) => [c.guidance.value, c.guidance.source];
const repos: Pick = (c) => [c.repositories.value.map((r) => r.fullName), c.repositories.source];
const toolMode: Pick = (c) => [c.toolMode.value, c.toolMode.source];
const mcp: Pick = (c) => [c.mcpServers.value.map((s) => `${s.name}:${s.approval}`), c.mcpServers.source];
const budget: Pick = (c) => [c.budgetCents.value, c.budgetCents.source];

describe('resolveSessionConfig', () => {
  it.each<[string, ResolveInput, Pick, unknown]>([
    ['no channel settings: guidance inherited', input({}), guidance, ['Be brief.', 'bot']],
    [
      'inherit with channel-wide guidance adds it',
      input({ guidance: 'Reply in French.' }),
      guidance,
      ['Be brief.\n\nReply in French.', 'channel'],
    ],
    [
      'append adds the section to the bot guidance',
      input({ section: section({ guidanceMode: 'append', guidance: rich('Cite tickets.') }) }),
      guidance,
      ['Be brief.\n\nCite tickets.', 'channel'],
    ],
    [
      'override replaces the bot and channel guidance',
      input({
        guidance: 'Reply in French.',
        section: section({ guidanceMode: 'override', guidance: rich('Only this.') }),
      }),
      guidance,
      ['Only this.', 'channel'],
    ],
    ['repositories inherited', input({}), repos, [['acme/api', 'acme/web'], 'bot']],
    [
      'repositories overridden with a subset',
      input({ section: section({ repositoriesMode: 'override', repositories: ['acme/web'] }) }),
      repos,
      [['acme/web'], 'channel'],
    ],
    [
      'a repository removed from the bot is left out of the override',
      input({ section: section({ repositoriesMode: 'override', repositories: ['acme/old', 'ACME/API'] }) }),
      repos,
      [['acme/api'], 'channel'],
    ],
    ['tool mode from the bot', input({}), toolMode, ['full', 'bot']],
    [
      'a Full bot is held to Basic by the channel rule',
      input({ section: section({ maxToolMode: 'basic' }) }),
      toolMode,
      ['basic', 'rule'],
    ],
    [
      'a Basic bot stays Basic under a Full ceiling',
      input({ bot: { ...bot, toolMode: 'basic' }, section: section({ maxToolMode: 'full' }) }),
      toolMode,
      ['basic', 'bot'],
    ],
    ["MCP approval follows the bot's setting", input({}), mcp, [['Linear:trusted', 'Sentry:ask'], 'bot']],
    [
      'the always-ask rule makes trusted servers ask',
      input({ section: section({ mcpApproval: 'always' }) }),
      mcp,
      [['Linear:ask', 'Sentry:ask'], 'rule'],
    ],
    ['budget: built-in default', input({}), budget, [BUILT_IN_SESSION_BUDGET_CENTS, 'workspace']],
    ['budget: workspace default', input({ workspaceBudget: 300 }), budget, [300, 'workspace']],
    [
      'budget: bot default beats the workspace',
      input({ bot: { ...bot, sessionBudgetCents: 500 }, workspaceBudget: 300 }),
      budget,
      [500, 'bot'],
    ],
    [
      'budget: channel override beats the bot',
      input({ bot: { ...bot, sessionBudgetCents: 500 }, section: section({ sessionBudgetCents: 150 }) }),
      budget,
      [150, 'channel'],
    ],
  ])('%s', (_name, given, pick, expected) => {
    expect(pick(resolved(given))).toEqual(expected);
  });

  it('refuses a deleted bot with a sentence people can act on', () => {
    expect(resolveSessionConfig(input({ bot: null }))).toEqual({
      ok: false,
      problem: expect.stringContaining('The bot was deleted'),
    });
  });

  it('names a repository left out because it is no longer on the bot', () => {
    const c = resolved(input({ section: section({ repositoriesMode: 'override', repositories: ['acme/old'] }) }));
    expect(c.repositories.detail).toContain('acme/old');
    expect(configRows(c).find((r) => r.label === 'Repositories')).toMatchObject({
      value: 'none',
      source: expect.stringContaining('acme/old'),
    });
  });

  it('lets only named people or group members start sessions under the rule', () => {
    const open = resolved(input({}));
    const named = resolved(
      input({ section: section({ startersMode: 'named', starterUsers: ['U1'], starterGroups: ['S1'] }) }),
    );
    expect(mayStart(open, 'U9', [])).toBe(true);
    expect(mayStart(named, 'U1', [])).toBe(true);
    expect(mayStart(named, 'U2', ['S1'])).toBe(true);
    expect(mayStart(named, 'U3', ['S2'])).toBe(false);
  });

  it('says on the Runs with line what the channel changed', () => {
    const c = resolved(input({ section: section({ maxToolMode: 'basic', sessionBudgetCents: 250 }) }));
    expect(runsWithLine(c)).toBe(
      'Runs with Claude Sonnet 4.5 · 2 repositories · Basic tools · 1 skill · 2 MCP servers · $2.50 limit · channel sets tool mode, budget',
    );
  });
});
