import type { KnownBlock } from '@slack/types';
import type { Bot } from '../domain/bots';
import type { Session, SessionStatus } from '../domain/sessions';
import type { SessionProgress, StepState } from '../sessions/reduce';
import { clip, context, escapeMrkdwn, section } from './blocks';
import { button } from './elements';
import { ACTION } from './ids';

export interface CardInput {
  session: Pick<Session, 'id' | 'status' | 'statusReason' | 'requesterId' | 'agentStatus' | 'agentStatusReason'>;
  bot: Pick<Bot, 'name' | 'displayName' | 'toolMode'>;
  /** What the session uses, e.g. `Agent: Reviewer · Environment: prod`. */
  uses: string;
  progress: SessionProgress;
  /** The repositories mounted into the session, by name (with their branch), e.g. `acme/api (develop)`. */
  repositories?: string[];
  /** A one-line note, e.g. "Follow-up sent to the running session." */
  note?: string;
  /** The resolved configuration in one line ("Runs with …"), with a Details button beside it. */
  runsWith?: string;
  /** The session's limit and, from the provider, what it spent (null when the provider reports no cost). */
  budget?: { limitCents: number | null; costUsd: number | null; continueCents: number };
}

const STATUS: Record<SessionStatus, string> = {
  queued: ':hourglass_flowing_sand: Queued',
  starting: ':hourglass_flowing_sand: Starting',
  running: ':gear: Working',
  awaiting_input: ':raised_hand: Waiting for approval',
  paused: ':double_vertical_bar: Paused at its spending limit',
  done: ':white_check_mark: Done',
  failed: ':x: Failed',
  stopped: ':black_square_for_stop: Stopped',
};

const STEP_ICON: Record<StepState, string> = {
  running: ':hourglass_flowing_sand:',
  done: ':white_check_mark:',
  failed: ':x:',
  waiting: ':raised_hand:',
};

const MAX_STEPS = 12;

/** The live session card: status, what it uses, the steps so far, usage, and Stop / View log. */
const DOLLARS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd = (value: number) => `$${DOLLARS.format(value)}`;

/** "Spent $0.42 of $2.50": from the provider's cost only; without one, tokens show instead (below). */
function spendLine(budget: CardInput['budget']): string | undefined {
  if (!budget || budget.costUsd === null) return undefined;
  return budget.limitCents === null
    ? `Spent ${usd(budget.costUsd)}`
    : `Spent ${usd(budget.costUsd)} of ${usd(budget.limitCents / 100)}`;
}

/** The thread's status line while the session works (what it is doing now, as plain text); none otherwise. */
export function liveStatus(
  session: Pick<Session, 'status'>,
  bot: Pick<Bot, 'displayName'>,
  progress: SessionProgress,
): string | undefined {
  if (session.status !== 'running') return undefined;
  const count = progress.earlierSteps + progress.steps.length;
  const step = progress.steps.at(-1);
  const now = step ? ` step ${count}: ${clip(step.name, 40)}` : '';
  return `${bot.displayName} is working…${now}`;
}

export function buildSessionCard({ session, bot, uses, progress, note, runsWith, budget, repositories }: CardInput): {
  text: string;
  blocks: KnownBlock[];
  status?: string;
} {
  const status = STATUS[session.status];
  const blocks: KnownBlock[] = [
    section(`*${escapeMrkdwn(bot.displayName)}* · ${status}\nRequested by <@${session.requesterId}>`),
    runsWith
      ? context(`${escapeMrkdwn(uses)}`, escapeMrkdwn(runsWith))
      : context(`${escapeMrkdwn(uses)} · Tools: ${bot.toolMode === 'full' ? 'Full Baton mode' : 'Basic task mode'}`),
  ];
  if (repositories && repositories.length > 0) {
    const failed = new Set(progress.cloneFailures);
    const names = repositories.map((r) => {
      const label = `\`${escapeMrkdwn(clip(r, 100))}\``;
      return failed.has(r.replace(/ \(.*\)$/, '')) ? `~${label}~ (not mounted)` : label;
    });
    blocks.push(context(clip(`:file_folder: Repositories: ${names.join(', ')}`, 2900)));
  }
  if (session.status === 'paused' && budget) {
    blocks.push(
      section(
        `:double_vertical_bar: Paused: this session reached its ${usd((budget.limitCents ?? 0) / 100)} spending limit. ` +
          `<@${session.requesterId}> or a Baton admin can let it continue.`,
      ),
    );
  }
  if (session.agentStatus) {
    blocks.push(
      context(
        `Agent status: *${session.agentStatus.replace('_', ' ')}*${session.agentStatusReason ? ` · ${escapeMrkdwn(clip(session.agentStatusReason, 300))}` : ''}`,
      ),
    );
  }
  const steps = progress.steps.slice(-MAX_STEPS);
  if (steps.length > 0) {
    const hidden = progress.earlierSteps + progress.steps.length - steps.length;
    const lines = steps.map(
      (step) =>
        `${STEP_ICON[step.state]} \`${escapeMrkdwn(clip(step.name, 60))}\` ${escapeMrkdwn(clip(step.summary, 100))}`,
    );
    blocks.push(section(`${hidden > 0 ? `_${hidden} earlier steps_\n` : ''}${lines.join('\n')}`));
  }
  if (session.status === 'failed' && (session.statusReason || progress.error)) {
    blocks.push(section(`:warning: ${escapeMrkdwn(clip(session.statusReason ?? progress.error ?? '', 500))}`));
  }
  if (progress.artifacts.length > 0) {
    // What the agent left behind (a branch, a pull request), as links people can follow.
    const links = progress.artifacts.slice(-5).map((a) => {
      const label = `${a.type === 'pull_request' ? ':twisted_rightwards_arrows:' : ':seedling:'} ${escapeMrkdwn(clip(a.name, 80))}`;
      return a.url ? `<${a.url}|${label}>` : label;
    });
    blocks.push(context(links.join(' · ')));
  }
  if (note) blocks.push(context(escapeMrkdwn(note)));
  const { inputTokens, outputTokens } = progress.usage;
  const spent = spendLine(budget);
  const tokens =
    inputTokens + outputTokens > 0
      ? `Tokens: ${inputTokens.toLocaleString('en-US')} in · ${outputTokens.toLocaleString('en-US')} out`
      : undefined;
  if (spent || tokens) blocks.push(context([tokens, spent].filter(Boolean).join(' · ')));
  const isLive = !['done', 'failed', 'stopped'].includes(session.status);
  blocks.push({
    type: 'actions',
    block_id: 'session_actions',
    elements: [
      ...(isLive ? [button('Stop', ACTION.stopSession, session.id, { style: 'danger' })] : []),
      ...(session.status === 'paused' && budget
        ? [
            button(`Continue for ${usd(budget.continueCents / 100)} more`, ACTION.continueBudget, session.id, {
              style: 'primary',
            }),
          ]
        : []),
      ...(session.status === 'failed' ? [button('Retry', ACTION.retrySession, session.id, { style: 'primary' })] : []),
      button('View log', ACTION.viewLog, session.id),
      button('Open session page', ACTION.openPage, session.id),
      ...(runsWith ? [button('Details', ACTION.sessionDetails, session.id)] : []),
    ],
  });
  const text = `${bot.displayName}: ${status.replace(/^:[a-z_]+: /, '')}`;
  const working = liveStatus(session, bot, progress);
  return working ? { text, blocks, status: working } : { text, blocks };
}
