import type { KnownBlock } from '@slack/types';
import { clip, context, escapeMrkdwn, header, section } from './blocks';

export interface SpendView {
  month: string;
  channels: Array<{ channelId: string; costUsd: number; sessions: number; tokens: number }>;
  bots: Array<{ botName: string; costUsd: number; sessions: number; tokens: number }>;
  costliest: Array<{ channelId: string; botName: string; costUsd: number; link: string | null }>;
  uncostedTokens: number;
}

const usd = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const tokens = (n: number) => `${n.toLocaleString('en-US')} tokens`;
const sessions = (n: number) => `${n} ${n === 1 ? 'session' : 'sessions'}`;
// A provider that reports no cost shows its tokens, never a dollar figure Baton made up.
const spent = (row: { costUsd: number; tokens: number }) => (row.costUsd > 0 ? usd(row.costUsd) : tokens(row.tokens));

/** `/baton spend`: this month's spend per channel and per bot, and the sessions that cost most. */
export function buildSpendReport(view: SpendView): KnownBlock[] {
  if (view.channels.length === 0) {
    return [section(`*Spend in ${view.month}*\nNo sessions have started this month.`)];
  }
  const list = (lines: string[]) => clip(lines.slice(0, 25).join('\n'), 2900);
  const blocks: KnownBlock[] = [
    header(`Spend in ${view.month}`),
    section(
      `*Per channel*\n${list(view.channels.map((c) => `<#${c.channelId}>: ${spent(c)} · ${sessions(c.sessions)}`))}`,
    ),
    section(
      `*Per bot*\n${list(view.bots.map((b) => `*${escapeMrkdwn(b.botName)}*: ${spent(b)} · ${sessions(b.sessions)}`))}`,
    ),
  ];
  if (view.costliest.length > 0) {
    blocks.push(
      section(
        `*Costliest sessions*\n${list(
          view.costliest.map(
            (s, i) =>
              `${i + 1}. ${usd(s.costUsd)} · *${escapeMrkdwn(s.botName)}* in <#${s.channelId}>${s.link ? ` · <${s.link}|thread>` : ''}`,
          ),
        )}`,
      ),
    );
  }
  if (view.uncostedTokens > 0) {
    blocks.push(context(`Sessions whose provider reports no cost used ${tokens(view.uncostedTokens)}.`));
  }
  return blocks;
}
