import { resolveSessionConfig, type SessionConfig } from '../../src/sessions/resolve-config';

/** A resolved configuration for adapter tests: the bot's defaults, no channel settings, `budgetCents` as given. */
export function testSessionConfig(budgetCents = 1000): SessionConfig {
  const resolution = resolveSessionConfig({
    bot: {
      id: 'bot_abc123',
      name: 'reviewer',
      displayName: 'Reviewer',
      type: 'claude',
      toolMode: 'basic',
      sessionBudgetCents: budgetCents,
      model: null,
      guidance: '',
      repositories: [],
      skills: [],
      mcpServers: [],
    },
    channel: { guidance: '', monthlyCapCents: null, section: null },
    workspace: { sessionBudgetCents: null },
  });
  if (!resolution.ok) throw new Error(resolution.problem);
  return resolution.config;
}
