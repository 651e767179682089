import type { KnownBlock } from '@slack/types';
import type { ConfigRow } from '../sessions/describe-config';
import { clip, context, escapeMrkdwn, section } from './blocks';

/**
 * Each resolved setting with where it came from: the session card's Details and `/baton explain`. Values that
 * people wrote (guidance, names) are escaped; mentions of the starters stay as Slack renders them.
 */
export function buildConfigDetails(intro: string, rows: ConfigRow[], footer?: string): KnownBlock[] {
  const line = (row: ConfigRow) => {
    const value = row.label === 'Who may start' ? row.value : escapeMrkdwn(clip(row.value, 600));
    return `*${row.label}:* ${value}\n_${escapeMrkdwn(row.source)}_`;
  };
  const blocks: KnownBlock[] = [section(intro), ...rows.map((row) => section(line(row)))];
  if (footer) blocks.push(context(footer));
  return blocks;
}
