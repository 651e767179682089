const FENCE = '```';
const REOPEN = `${FENCE}\n`;
const CLOSE = `\n${FENCE}`;
// Room for closing a code block at the end of a part and reopening it at the start of the next.
const FENCE_ROOM = REOPEN.length + CLOSE.length;
const MIN_PART_CHARS = 100;

/**
 * Splits text into parts of at most `maxChars`, cutting at a paragraph break if one is in the second half of the
 * part, else a line break, else a space, else anywhere but inside a surrogate pair. A code block cut in two is
 * closed and reopened so both parts render. Lengths are UTF-16 units, which never undercount characters.
 */
export function splitText(text: string, maxChars: number): string[] {
  if (maxChars < MIN_PART_CHARS) throw new RangeError(`maxChars must be at least ${MIN_PART_CHARS}`);
  const parts: string[] = [];
  let rest = text;
  let isInFence = false;
  while (rest.length > 0) {
    const prefix = isInFence ? REOPEN : '';
    if (prefix.length + rest.length <= maxChars) {
      parts.push(prefix + rest);
      break;
    }
    const { end, next } = cutPoint(rest, maxChars - FENCE_ROOM);
    const chunk = rest.slice(0, end);
    rest = rest.slice(next).replace(/^\n+/, '');
    if (fenceCount(chunk) % 2 === 1) isInFence = !isInFence;
    if (chunk.trim() === '') continue;
    parts.push(prefix + chunk + (isInFence ? CLOSE : ''));
  }
  return parts;
}

function cutPoint(text: string, budget: number): { end: number; next: number } {
  const earliest = Math.floor(budget / 2);
  const paragraph = text.lastIndexOf('\n\n', budget);
  if (paragraph >= earliest) return { end: paragraph, next: paragraph + 2 };
  const line = text.lastIndexOf('\n', budget);
  if (line >= earliest) return { end: line, next: line + 1 };
  const space = Math.max(text.lastIndexOf(' ', budget), text.lastIndexOf('\t', budget));
  if (space >= earliest) return { end: space, next: space + 1 };
  const end = isHighSurrogate(text.charCodeAt(budget - 1)) ? budget - 1 : budget;
  return { end, next: end };
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

const fenceCount = (text: string): number => text.split(FENCE).length - 1;
