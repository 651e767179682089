import { formatUsd } from '../domain/channel-settings';
import { SOURCE_LABEL, type Resolved, type SessionConfig } from './resolve-config';

export interface ConfigRow {
  label: string;
  value: string;
  /** "bot default", "channel override (added to the bot's guidance)", … */
  source: string;
}

const TOOL_MODE = { basic: 'Basic task mode', full: 'Full Baton mode' } as const;

const sourceOf = (resolved: Resolved<unknown>) =>
  `${SOURCE_LABEL[resolved.source]}${resolved.detail ? ` (${resolved.detail})` : ''}`;

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const list = (items: string[], none: string) => (items.length > 0 ? items.join(', ') : none);

/** Each resolved setting, its value in words and where it came from: the Details view and `/baton explain`. */
export function configRows(config: SessionConfig): ConfigRow[] {
  const guidance = config.guidance.value;
  const starters = config.starters.value;
  return [
    { label: 'Model', value: config.model.value?.name ?? "the agent's own model", source: sourceOf(config.model) },
    {
      label: 'Guidance',
      value: guidance ? `${count(guidance.split('\n').filter(Boolean).length, 'line')}: ${guidance}` : 'none',
      source: sourceOf(config.guidance),
    },
    {
      label: 'Repositories',
      value: list(
        config.repositories.value.map((repo) => (repo.branch ? `${repo.fullName} (${repo.branch})` : repo.fullName)),
        'none',
      ),
      source: sourceOf(config.repositories),
    },
    { label: 'Tool mode', value: TOOL_MODE[config.toolMode.value], source: sourceOf(config.toolMode) },
    { label: 'Skills', value: list(config.skills.value, 'none'), source: sourceOf(config.skills) },
    {
      label: 'MCP servers',
      value: list(
        config.mcpServers.value.map((s) => `${s.name} (${s.approval === 'ask' ? 'asks first' : 'trusted'})`),
        'none',
      ),
      source: sourceOf(config.mcpServers),
    },
    {
      label: 'Budget',
      value: `${formatUsd(config.budgetCents.value)} per session`,
      source: sourceOf(config.budgetCents),
    },
    {
      label: 'Who may start',
      value:
        starters.mode === 'anyone'
          ? 'anyone in the channel'
          : list([...starters.users.map((u) => `<@${u}>`), ...starters.groups.map((g) => `<!subteam^${g}>`)], 'nobody'),
      source: sourceOf(config.starters),
    },
    {
      label: 'Thread replies',
      value: config.repliesWithoutMention.value ? 'reach the session without a mention' : 'need a mention',
      source: sourceOf(config.repliesWithoutMention),
    },
  ];
}

/** The card's compact line: model, repositories, tool mode, budget, and what the channel changed. */
export function runsWithLine(config: SessionConfig): string {
  const parts = [config.model.value?.name ?? "agent's model"];
  const repos = config.repositories.value;
  if (repos.length === 1) parts.push(repos[0]!.fullName);
  else if (repos.length > 1) parts.push(count(repos.length, 'repository', 'repositories'));
  parts.push(config.toolMode.value === 'full' ? 'Full tools' : 'Basic tools');
  if (config.skills.value.length > 0) parts.push(count(config.skills.value.length, 'skill'));
  if (config.mcpServers.value.length > 0) parts.push(count(config.mcpServers.value.length, 'MCP server'));
  parts.push(`${formatUsd(config.budgetCents.value)} limit`);
  const changed = (['guidance', 'repositories', 'toolMode', 'mcpServers', 'budgetCents'] as const).filter(
    (key) => config[key].source === 'channel' || config[key].source === 'rule',
  );
  const names = {
    guidance: 'guidance',
    repositories: 'repositories',
    toolMode: 'tool mode',
    mcpServers: 'MCP approval',
    budgetCents: 'budget',
  };
  if (changed.length > 0) parts.push(`channel sets ${changed.map((key) => names[key]).join(', ')}`);
  return `Runs with ${parts.join(' · ')}`;
}

/** What the audit line of a session start keeps: values and sources, never guidance text. */
export function auditOf(config: SessionConfig): Record<string, unknown> {
  return {
    bot: config.botName,
    model: config.model.value?.id ?? null,
    guidance: { length: config.guidance.value.length, source: config.guidance.source },
    repositories: { value: config.repositories.value.map((r) => r.fullName), source: config.repositories.source },
    toolMode: { value: config.toolMode.value, source: config.toolMode.source },
    skills: config.skills.value,
    mcpServers: { value: config.mcpServers.value, source: config.mcpServers.source },
    budgetCents: { value: config.budgetCents.value, source: config.budgetCents.source },
  };
}
