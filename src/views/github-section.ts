import type { Button } from '@slack/types';
import type { GitHubConnection } from '../domain/github';
import { connectionProblem } from '../domain/github';
import { context, escapeMrkdwn, section, type Blocks } from './blocks';
import { button, plainText } from './elements';
import { ACTION } from './ids';

export interface GitHubSectionInput {
  botId: string;
  botName: string;
  /** Unset when the operator has not configured Baton's GitHub App. */
  connectLink: { url: string; nonce: string } | undefined;
  connection: GitHubConnection | undefined;
}

const linkButton = (
  text: string,
  actionId: string,
  link: { url: string; nonce: string },
  isPrimary = false,
): Button => ({
  ...button(text, actionId, link.nonce, isPrimary ? { style: 'primary' } : {}),
  url: link.url,
});

export const describeRepositories = (connection: GitHubConnection): string =>
  connection.chosen.length === 0
    ? 'No repositories chosen yet: sessions start without code.'
    : connection.chosen
        .map((r) => `\`${escapeMrkdwn(r.fullName)}\`${r.branch ? ` (${escapeMrkdwn(r.branch)})` : ''}`)
        .join(', ');

/** The GitHub part of a Claude bot's Agent connection: connect, choose repositories, reconnect, disconnect. */
export function buildGitHubSection({ botId, botName, connectLink, connection }: GitHubSectionInput): Blocks {
  if (!connectLink) {
    return [
      section('*GitHub*\nGitHub is not enabled on this Baton.'),
      context(
        'To let bots work on repositories, the Baton operator registers a GitHub App and sets GITHUB_APP_ID, ' +
          'GITHUB_APP_PRIVATE_KEY, GITHUB_APP_SLUG and GITHUB_WEBHOOK_SECRET (see the README, “GitHub”).',
      ),
    ];
  }
  if (!connection) {
    return [
      section(
        `*GitHub*\nNot connected. Connect GitHub to let *${escapeMrkdwn(botName)}* clone repositories, push branches and open pull requests.`,
      ),
      {
        type: 'actions',
        block_id: 'github_actions',
        elements: [linkButton('Connect GitHub', ACTION.githubConnect, connectLink, true)],
      },
    ];
  }
  const problem = connectionProblem(connection);
  const blocks: Blocks = [
    section(
      `*GitHub* · connected to *${escapeMrkdwn(connection.account)}*\nRepositories: ${describeRepositories(connection)}`,
    ),
  ];
  if (problem) blocks.push(section(`:warning: ${escapeMrkdwn(problem)}`));
  blocks.push({
    type: 'actions',
    block_id: 'github_actions',
    elements: [
      ...(connection.state === 'active' ? [button('Choose repositories', ACTION.githubChooseRepos, botId)] : []),
      linkButton('Reconnect GitHub', ACTION.githubReconnect, connectLink, connection.state !== 'active'),
      button('Disconnect', ACTION.githubDisconnect, botId, {
        style: 'danger',
        confirm: {
          title: plainText('Disconnect GitHub?'),
          text: plainText(
            `New sessions of ${botName} start without repositories. Sessions already running keep their access until they end.`,
          ),
          confirm: plainText('Disconnect'),
          deny: plainText('Cancel'),
        },
      }),
    ],
  });
  return blocks;
}

/** One line for the bot list and Home. */
export function githubSummary(connection: GitHubConnection | undefined): string | undefined {
  if (!connection) return undefined;
  const problem = connectionProblem(connection);
  if (problem) return `:warning: GitHub: ${problem}`;
  const n = connection.chosen.length;
  return `GitHub: ${connection.account} · ${n} ${n === 1 ? 'repository' : 'repositories'}`;
}
