import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { formatUsd } from '../../src/domain/channel-settings';
import { parseDollars } from '../../src/settings/channel-form';
import { monthName, monthStart } from '../../src/settings/month';
import { escapeMrkdwn } from '../../src/views/blocks';
import { buildSpendReport } from '../../src/views/spend-report';
import type { Actor } from '../context';
import type { HandlerDeps } from '../deps';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/baton spend` (admins): this month's spend per channel and per bot, and the costliest sessions. */
export const onSpendCommand =
  (deps: HandlerDeps) =>
  async ({ respond, client }: CommandArgs, actor: Actor): Promise<void> => {
    if (!(await deps.access.canConfigure(client, actor.teamId, actor.userId))) {
      return void (await respond({ response_type: 'ephemeral', text: await deps.access.denial(actor.teamId) }));
    }
    const now = new Date();
    const report = await deps.spend.report(actor.teamId, monthStart(now));
    const costliest = await Promise.all(
      report.costliest.map(async (s) => ({
        ...s,
        link: await client.chat
          .getPermalink({ channel: s.channelId, message_ts: s.threadTs })
          .then((r) => r.permalink ?? null)
          .catch(() => null),
      })),
    );
    await respond({
      response_type: 'ephemeral',
      text: `Spend in ${monthName(now)}`,
      blocks: buildSpendReport({ month: monthName(now), ...report, costliest }),
    });
  };

const BUDGET_USAGE =
  '`/baton budget <amount|none>` sets the workspace’s spending limit per session; `/baton budget <bot name> ' +
  '<amount|none>` sets a bot’s. Channels override both in `/baton channel`.';

/** `/baton budget` (admins): the workspace's and a bot's default spending limit per session. */
export const onBudgetCommand =
  (deps: HandlerDeps) =>
  async ({ respond, command, client }: CommandArgs, actor: Actor): Promise<void> => {
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    const words = command.text.trim().split(/\s+/).slice(1);
    if (words.length === 0) {
      const workspace = await deps.spend.workspaceBudgetCents(actor.teamId);
      return void (await say(
        `*Workspace spending limit per session:* ${workspace == null ? "Baton's default" : formatUsd(workspace)}\n${BUDGET_USAGE}`,
      ));
    }
    if (!(await deps.access.canConfigure(client, actor.teamId, actor.userId))) {
      return void (await say(await deps.access.denial(actor.teamId)));
    }
    const amountText = words[words.length - 1]!;
    const botName = words.slice(0, -1).join(' ');
    const cents = amountText.toLowerCase() === 'none' ? null : parseDollars(amountText);
    if (cents === undefined) return void (await say(`Enter an amount in dollars, like 5 or 12.50. ${BUDGET_USAGE}`));
    const shown = cents == null ? 'no limit of its own' : formatUsd(cents);
    if (!botName) {
      const before = await deps.spend.workspaceBudgetCents(actor.teamId);
      await deps.spend.setWorkspaceBudget(actor.teamId, cents);
      await deps.stores.audit.record({
        teamId: actor.teamId,
        actorId: actor.userId,
        action: 'workspace.budget',
        target: actor.teamId,
        details: { before: { sessionBudgetCents: before }, after: { sessionBudgetCents: cents } },
      });
      return void (await say(
        `Saved: sessions in this workspace have ${shown} per session unless a bot or channel sets one.`,
      ));
    }
    const bot = await deps.stores.bots.findByName(actor.teamId, botName);
    if (!bot) return void (await say(`There is no bot named *${escapeMrkdwn(botName)}*. \`/baton bots\` lists them.`));
    await deps.stores.bots.setSessionBudget(actor.teamId, bot.id, cents);
    await deps.stores.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'bot.budget',
      target: bot.name,
      details: { before: { sessionBudgetCents: bot.sessionBudgetCents }, after: { sessionBudgetCents: cents } },
    });
    await say(`Saved: *${escapeMrkdwn(bot.name)}* sessions have ${shown} per session unless a channel sets one.`);
  };
