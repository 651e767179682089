import type { ChatPostMessageArguments } from '@slack/web-api';
import { createJob } from '../../jobs/definitions';
import { escapeMrkdwn, section } from '../views/blocks';
import { button } from '../views/elements';
import { ACTION } from '../views/ids';
import type { SessionDeps } from './deps';
import { personaOf } from './persona';
import type { PendingConfirmation } from './reduce';
import type { RunContext } from './run-context';

/** Approve / Deny buttons in the thread for a tool call that needs a person's yes; posted once per tool use. */
export async function postConfirmation(
  deps: SessionDeps,
  ctx: RunContext,
  pending: PendingConfirmation,
): Promise<void> {
  const { session, bot, team } = ctx;
  const key = `confirm-${pending.stepId}`;
  if (!(await deps.sessions.claimPost(session.id, key))) return;
  const value = JSON.stringify({ s: session.id, t: pending.stepId });
  const persona = personaOf(bot);
  const client = await deps.slack.forTeam(team);
  const text = `${bot.displayName} wants to run \`${pending.name}\`. Approve?`;
  const posted = await client.chat.postMessage(<ChatPostMessageArguments>{
    channel: session.channelId,
    thread_ts: session.threadTs,
    text,
    username: persona.username,
    ...(persona.iconEmoji ? { icon_emoji: persona.iconEmoji } : {}),
    ...(persona.iconUrl ? { icon_url: persona.iconUrl } : {}),
    blocks: [
      section(
        `*${escapeMrkdwn(bot.displayName)}* wants to run \`${escapeMrkdwn(pending.name)}\`\n${escapeMrkdwn(pending.summary)}`,
      ),
      {
        type: 'actions',
        block_id: 'confirm',
        elements: [
          button('Approve', ACTION.approveTool, value, { style: 'primary' }),
          button('Deny', ACTION.denyTool, value, { style: 'danger' }),
        ],
      },
    ],
  });
  if (posted.ts) await deps.sessions.recordPost(session.id, key, posted.ts);
  // Nobody answering means no: the timeout denies the call unless someone answered first.
  const deny = { type: 'confirm' as const, toolUseId: pending.stepId, allow: false, isTimeout: true };
  await deps.queue.enqueue({
    ...createJob('control-session', { traceId: 'timeout', sessionId: session.id, userId: 'baton', action: deny }, key),
    delayMs: deps.confirmTimeoutMs,
  });
}
