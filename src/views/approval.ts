import type { Bot } from '../domain/bots';
import type { CardContent } from '../ports/session-chat';
import { escapeMrkdwn, section } from './blocks';
import { button } from './elements';
import { ACTION } from './ids';

/** Approve / Deny for one step that needs a person's yes; the buttons carry the session and the step. */
export function buildApprovalPrompt(
  bot: Pick<Bot, 'displayName'>,
  sessionId: string,
  step: { stepId: string; name: string; summary: string },
): CardContent {
  const value = JSON.stringify({ s: sessionId, t: step.stepId });
  return {
    text: `${bot.displayName} wants to run \`${step.name}\`. Approve?`,
    blocks: [
      section(
        `*${escapeMrkdwn(bot.displayName)}* wants to run \`${escapeMrkdwn(step.name)}\`\n${escapeMrkdwn(step.summary)}`,
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
  };
}

/** The prompt once answered: who decided, and no buttons left to press. */
export function buildApprovalVerdict(bot: Pick<Bot, 'displayName'>, verdict: string): CardContent {
  const text = `${escapeMrkdwn(bot.displayName)} asked to run a tool. ${verdict}`;
  return { text, blocks: [section(text)] };
}
