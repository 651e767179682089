import { context, section, type Blocks } from './blocks';

export const COMMANDS: ReadonlyArray<{ usage: string; summary: string }> = [
  { usage: '/baton help', summary: 'What Baton can do and the commands (this message).' },
  { usage: '/baton bots', summary: "The workspace's bots; admins create and edit them here." },
  { usage: '/baton keys', summary: 'Saved Anthropic API keys, masked (admins).' },
  { usage: '/baton skills', summary: 'Workspace skills for managed bots: create, edit, delete (admins).' },
  { usage: '/baton admins', summary: 'Who may configure Baton besides workspace admins.' },
  { usage: '/baton audit', summary: 'Recent configuration changes (admins).' },
  { usage: '/baton channel', summary: "This channel's settings: default bot, guidance, repositories, rules, budgets." },
  { usage: '/baton explain <bot>', summary: 'What a session with the bot would run with here, and why.' },
  { usage: '/baton spend', summary: "This month's spend per channel and bot, and the costliest sessions (admins)." },
  { usage: '/baton budget [bot] <amount|none>', summary: 'Default spending limit per session (admins).' },
  { usage: '/baton tokens <bot>', summary: "A bot's API tokens: create and revoke them (admins)." },
];

export const HELP_SUMMARY = 'Baton hands Slack threads to AI agents.';

export function buildHelp(): Blocks {
  const commands = COMMANDS.map((c) => `• \`${c.usage}\`: ${c.summary}`).join('\n');
  return [
    section(
      `*${HELP_SUMMARY}*\nTeams configure *bots* (Claude Agent, Cursor Cloud or Self-hosted) and hand work to them: ` +
        'mention a bot in a thread, or assign a message to it, and Baton runs a session with the thread as its task, ' +
        'posting live progress and the final answer in the thread.',
    ),
    section(`*Commands*\n${commands}`),
    section('*Mentions*\n• `@Baton ping`: checks that Baton is up; it answers `pong` in the thread.'),
    context('Open the *Home* tab of the Baton app for an overview.'),
  ];
}
