import type { MarkdownSegment } from './markdown-parse';

// Placeholders cannot occur in agent text: they use characters of Unicode's private use area.
const HOLD = '\uE000';
const BOLD = '\uE001';
const held = new RegExp(`${HOLD}(\\d+)${HOLD}`, 'g');

/** `&`, `<` and `>` as Slack wants them in mrkdwn, so nothing the agent wrote becomes a Slack control sequence. */
export const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One line of Markdown prose as mrkdwn: code spans, links, bold, italics and strike-through. */
export function inlineToMrkdwn(line: string): string {
  const kept: string[] = [];
  const hold = (mrkdwn: string) => `${HOLD}${kept.push(mrkdwn) - 1}${HOLD}`;
  let text = line
    .replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) =>
      hold(`\`${escapeText(code)}\``),
    )
    // Slack's own user, channel and link tokens the agent may have written on purpose.
    .replace(/<([@#][A-Z0-9]+(\|[^<>]*)?)>/g, (_, token: string) => hold(`<${token}>`))
    .replace(/<(https?:\/\/[^\s<>|]+)(\|([^<>]*))?>/g, (_, url: string, _l, label?: string) => hold(link(url, label)))
    .replace(/!?\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, label: string, url: string) =>
      hold(link(url, label)),
    );
  text = escapeText(text)
    .replace(/\*\*\*(?=\S)([\s\S]*?\S)\*\*\*/g, `${BOLD}_$1_${BOLD}`)
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, (_, _m, inner: string) => `${BOLD}${inner}${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '~$1~')
    .replaceAll(BOLD, '*');
  return text.replace(held, (_, i: string) => kept[Number(i)]!);
}

function link(url: string, label?: string): string {
  const text = label?.trim() ? label.trim().replace(/[<>|]/g, ' ') : '';
  const safeUrl = url.replace(/[<>|]/g, encodeURIComponent);
  return text && text !== url ? `<${safeUrl}|${escapeText(text)}>` : `<${safeUrl}>`;
}

/** Prose as mrkdwn: headings become bold lines, lists get bullets, quotes and rules stay readable. */
export function proseToMrkdwn(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading) return `*${inlineToMrkdwn(heading[1]!.replace(/\*\*|__/g, ''))}*`;
      if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return '──────────';
      const quote = /^ {0,3}>\s?(.*)$/.exec(line);
      if (quote) return `> ${proseToMrkdwn(quote[1]!)}`;
      const task = /^(\s*)[-*+]\s+\[([ xX])\]\s+(.*)$/.exec(line);
      if (task) return `${indent(task[1]!)}${task[2] === ' ' ? '☐' : '☑'} ${inlineToMrkdwn(task[3]!)}`;
      const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
      if (bullet) return `${indent(bullet[1]!)}• ${inlineToMrkdwn(bullet[2]!)}`;
      const numbered = /^(\s*)(\d{1,9})[.)]\s+(.*)$/.exec(line);
      if (numbered) return `${indent(numbered[1]!)}${numbered[2]}. ${inlineToMrkdwn(numbered[3]!)}`;
      return inlineToMrkdwn(line);
    })
    .join('\n');
}

// Slack collapses leading spaces; nested list items keep their depth with em spaces instead.
const indent = (spaces: string): string => '\u2003'.repeat(Math.floor(spaces.replace(/\t/g, '    ').length / 2));

/** A table as aligned monospace text, for where Slack cannot draw a table. */
export function tableAsText(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => [...(row[i] ?? '')].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function segmentToMrkdwn(segment: MarkdownSegment): string {
  if (segment.kind === 'text') return proseToMrkdwn(segment.source);
  const body = segment.kind === 'code' ? segment.body : tableAsText(segment.header, segment.rows);
  return `\`\`\`\n${escapeText(body)}\n\`\`\``;
}
