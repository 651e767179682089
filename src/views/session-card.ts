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
  /** A one-line note, e.g. "Follow-up sent to the running session." */
  note?: string;
}

const STATUS: Record<SessionStatus, string> = {
  queued: ':hourglass_flowing_sand: Queued',
  starting: ':hourglass_flowing_sand: Starting',
  running: ':gear: Working',
  awaiting_input: ':raised_hand: Waiting for approval',
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
export function buildSessionCard({ session, bot, uses, progress, note }: CardInput): {
  text: string;
  blocks: KnownBlock[];
} {
  const status = STATUS[session.status];
  const blocks: KnownBlock[] = [
    section(`*${escapeMrkdwn(bot.displayName)}* · ${status}\nRequested by <@${session.requesterId}>`),
    context(`${escapeMrkdwn(uses)} · Tools: ${bot.toolMode === 'full' ? 'Full Baton mode' : 'Basic task mode'}`),
  ];
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
  if (inputTokens + outputTokens > 0) {
    blocks.push(
      context(`Tokens: ${inputTokens.toLocaleString('en-US')} in · ${outputTokens.toLocaleString('en-US')} out`),
    );
  }
  const isLive = !['done', 'failed', 'stopped'].includes(session.status);
  blocks.push({
    type: 'actions',
    block_id: 'session_actions',
    elements: [
      ...(isLive ? [button('Stop', ACTION.stopSession, session.id, { style: 'danger' })] : []),
      ...(session.status === 'failed' ? [button('Retry', ACTION.retrySession, session.id, { style: 'primary' })] : []),
      button('View log', ACTION.viewLog, session.id),
      button('Open session page', ACTION.openPage, session.id),
    ],
  });
  return { text: `${bot.displayName}: ${status.replace(/^:[a-z_]+: /, '')}`, blocks };
}
