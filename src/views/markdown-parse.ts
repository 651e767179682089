/** One piece of agent Markdown: prose (paragraphs, headings, lists, quotes), a fenced code block, or a table. */
export type MarkdownSegment =
  | { kind: 'text'; source: string }
  | { kind: 'code'; lang: string; body: string }
  | { kind: 'table'; header: string[]; rows: string[][] };

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Splits Markdown into prose, fenced code and GitHub-style tables, the three things Slack renders differently.
 * Everything else stays prose for the caller to render; an unclosed fence runs to the end, as in CommonMark.
 */
export function parseMarkdown(markdown: string): MarkdownSegment[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const segments: MarkdownSegment[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    const source = prose.join('\n').replace(/^\n+|\n+$/g, '');
    if (source.trim()) segments.push({ kind: 'text', source });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j]!)) body.push(lines[j++]!);
      flushProse();
      segments.push({ kind: 'code', lang: fence[2] ?? '', body: body.join('\n') });
      i = j;
      continue;
    }
    if (line.includes('|') && TABLE_DELIMITER.test(lines[i + 1] ?? '') && lines[i + 1]!.includes('-')) {
      const header = cells(line);
      const rows: string[][] = [];
      let j = i + 2;
      while (j < lines.length && lines[j]!.includes('|') && lines[j]!.trim()) rows.push(cells(lines[j++]!));
      flushProse();
      segments.push({ kind: 'table', header, rows: rows.map((row) => fit(row, header.length)) });
      i = j - 1;
      continue;
    }
    prose.push(line);
  }
  flushProse();
  return segments;
}

/** The cells of a table row: pipes split, except escaped ones (`\|`) and the optional outer ones. */
function cells(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** GitHub pads short rows with empty cells and drops the extra cells of long ones. */
const fit = (row: string[], width: number): string[] => Array.from({ length: width }, (_, i) => row[i] ?? '');
