import type { ModalView, PlainTextOption } from '@slack/types';
import type { ChosenRepository, GitHubConnection, GitHubRepository } from '../domain/github';
import { clip, context, escapeMrkdwn, section, type Blocks } from './blocks';
import { modal, plainInput, plainText } from './elements';
import { INPUT, VALUE, VIEW } from './ids';

export interface GitHubReposMetadata {
  botId: string;
  /** The Agent connection modal under this one, redrawn after saving. */
  parentViewId: string;
}

export const BRANCH_BLOCK_PREFIX = 'branch:';
const MAX_OPTIONS = 100;
const MAX_GROUPS = 100;

const repoOption = (r: GitHubRepository | ChosenRepository): PlainTextOption => ({
  text: plainText(clip(r.fullName, 75)),
  value: r.fullName,
});

/** The picker: every repository the installation reaches (Slack searches as you type), each chosen one with a branch. */
export function buildGitHubReposModal(input: {
  botName: string;
  connection: GitHubConnection;
  selected: ChosenRepository[];
  metadata: GitHubReposMetadata;
}): ModalView {
  const { connection, selected } = input;
  const available = [...connection.available].sort((a, b) => a.fullName.localeCompare(b.fullName));
  const blocks: Blocks = [
    section(`*${escapeMrkdwn(input.botName)}* · repositories on *${escapeMrkdwn(connection.account)}*`),
  ];
  if (available.length === 0) {
    blocks.push(
      section(
        'The GitHub App reaches no repositories on this account yet. Add some in GitHub (the app’s *Configure* page), then press *Reconnect GitHub*.',
      ),
    );
    return modal(VIEW.githubRepos, 'GitHub repositories', blocks, { close: 'Back' });
  }
  // Slack allows 100 options per list; past that, the same list in groups of 100 (up to 10,000).
  const choices =
    available.length <= MAX_OPTIONS
      ? { options: available.map(repoOption) }
      : {
          option_groups: Array.from(
            { length: Math.min(Math.ceil(available.length / MAX_OPTIONS), MAX_GROUPS) },
            (_, i) => {
              const slice = available.slice(i * MAX_OPTIONS, (i + 1) * MAX_OPTIONS);
              return {
                label: plainText(clip(`${slice[0]!.fullName} …`, 75)),
                options: slice.map(repoOption),
              };
            },
          ),
        };
  const initial = selected.filter((s) => available.some((a) => a.fullName === s.fullName));
  blocks.push({
    type: 'input',
    block_id: INPUT.repositories,
    label: plainText('Repositories'),
    optional: true,
    dispatch_action: true,
    hint: plainText('Type to search. Every session of this bot gets these repositories.'),
    element: {
      type: 'multi_static_select',
      action_id: VALUE,
      placeholder: plainText('Choose repositories'),
      ...choices,
      ...(initial.length ? { initial_options: initial.map(repoOption) } : {}),
    },
  });
  for (const repo of initial.slice(0, 40)) {
    const fallback = available.find((a) => a.fullName === repo.fullName)?.defaultBranch;
    blocks.push(
      plainInput(`${BRANCH_BLOCK_PREFIX}${repo.fullName}`, `Branch for ${repo.fullName}`, {
        initial: repo.branch ?? undefined,
        optional: true,
        maxLength: 250,
        placeholder: fallback ? `${fallback} (default)` : 'default branch',
      }),
    );
  }
  blocks.push(context('Leave a branch empty to use the repository’s default branch.'));
  return modal(VIEW.githubRepos, 'GitHub repositories', blocks, {
    submit: 'Save',
    close: 'Back',
    privateMetadata: JSON.stringify(input.metadata),
  });
}

// git check-ref-format, the parts people trip over.
const BAD_BRANCH = /(^[-/.])|([/.]$)|\.\.|[\s~^:?*[\\]|@\{|\/\/|\.lock$/;
export const isValidBranch = (branch: string): boolean => branch.length > 0 && !BAD_BRANCH.test(branch);
