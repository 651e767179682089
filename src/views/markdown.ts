import type { KnownBlock, TableBlock } from '@slack/types';
import { splitText } from '../adapters/slack/writer/split-text';
import { clip } from './blocks';
import { segmentToMrkdwn, tableAsText } from './markdown-mrkdwn';
import { parseMarkdown, type MarkdownSegment } from './markdown-parse';

/** One Slack message of an answer: blocks to show, and the text Slack uses for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack counts up to 12,000 characters of `markdown` block text per message; leave room for the rest. */
export const MARKDOWN_CHARS_PER_MESSAGE = 10_000;
const FALLBACK_TEXT_CHARS = 3_000;
const TABLE_MAX_ROWS = 100;
const TABLE_MAX_COLUMNS = 20;
// A zero-width space after the @ keeps the word readable and stops Slack from reading it as a ping.
const ZWSP = '\u200B';

/**
 * Agent text never notifies anyone: `<!here>`, `<!channel>`, `<!everyone>`, user-group pings (`<!subteam^…>`) and
 * the bare `@here`/`@channel`/`@everyone` become plain words. Person mentions (`<@U…>`) are left alone.
 */
export function neutralizePings(text: string): string {
  return text
    .replace(/<!(channel|here|everyone)(\|[^>]*)?>/gi, (_, word: string) => `@${ZWSP}${word.toLowerCase()}`)
    .replace(/<!subteam\^[^|>]*(?:\|@?([^>]*))?>/gi, (_, label?: string) => `@${ZWSP}${label?.trim() || 'group'}`)
    .replace(/(^|[^\w])@(channel|here|everyone)\b/gi, (_, before: string, word: string) => `${before}@${ZWSP}${word}`);
}

/** Agent Markdown as one mrkdwn string (for places that take no blocks, like a file's comment). */
export function markdownToMrkdwn(markdown: string): string {
  return parseMarkdown(neutralizePings(markdown)).map(segmentToMrkdwn).join('\n\n');
}

/**
 * Agent Markdown as Slack messages: prose and code go into Slack's own `markdown` block, which renders headings,
 * lists, links, quotes and code as people wrote them; one table per message becomes a `table` block (Slack allows
 * one); other tables, and tables too big for the block, are aligned monospace. Long answers are split into
 * several messages, each within Slack's limits, never inside a code block without closing and reopening it.
 */
export function markdownToSlack(markdown: string): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let blocks: KnownBlock[] = [];
  let mrkdwn: string[] = [];
  let used = 0;
  let hasTable = false;
  const finish = () => {
    if (blocks.length > 0) messages.push({ text: clip(mrkdwn.join('\n\n'), FALLBACK_TEXT_CHARS), blocks });
    blocks = [];
    mrkdwn = [];
    used = 0;
    hasTable = false;
  };
  const addMarkdown = (text: string, fallback: string) => {
    for (const part of text.length > MARKDOWN_CHARS_PER_MESSAGE
      ? splitText(text, MARKDOWN_CHARS_PER_MESSAGE)
      : [text]) {
      if (used + part.length > MARKDOWN_CHARS_PER_MESSAGE) finish();
      const last = blocks.at(-1);
      if (last?.type === 'markdown') last.text = `${last.text}\n\n${part}`;
      else blocks.push({ type: 'markdown', text: part });
      used += part.length + 2;
    }
    mrkdwn.push(fallback);
  };

  for (const segment of parseMarkdown(neutralizePings(markdown))) {
    const table = segment.kind === 'table' ? tableBlock(segment) : undefined;
    if (segment.kind === 'table' && table) {
      if (hasTable || used + table.chars > MARKDOWN_CHARS_PER_MESSAGE) finish();
      blocks.push(table.block);
      mrkdwn.push(segmentToMrkdwn(segment));
      used += table.chars;
      hasTable = true;
      continue;
    }
    addMarkdown(asMarkdown(segment), segmentToMrkdwn(segment));
  }
  finish();
  return messages;
}

function asMarkdown(segment: MarkdownSegment): string {
  if (segment.kind === 'text') return segment.source;
  const body = segment.kind === 'code' ? segment.body : tableAsText(segment.header, segment.rows);
  // A fence longer than any run of backticks inside, so the code cannot close it early.
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${segment.kind === 'code' ? segment.lang : ''}\n${body}\n${fence}`;
}

/** A `table` block when Slack can show the table (≤ 100 rows, ≤ 20 columns, within the text budget). */
function tableBlock(segment: Extract<MarkdownSegment, { kind: 'table' }>) {
  const rows = [segment.header, ...segment.rows];
  const chars = rows.flat().reduce((sum, cell) => sum + cell.length, 0);
  if (rows.length > TABLE_MAX_ROWS || segment.header.length > TABLE_MAX_COLUMNS) return undefined;
  if (chars > MARKDOWN_CHARS_PER_MESSAGE) return undefined;
  // Cells are plain text in a table block: Markdown emphasis would show as stars, and Slack rejects empty text.
  const block: TableBlock = {
    type: 'table',
    rows: rows.map((row) => row.map((cell) => ({ type: 'raw_text', text: cell.replace(/\*\*|__|`/g, '') || ' ' }))),
  };
  return { block, chars };
}
