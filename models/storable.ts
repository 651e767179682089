// PostgreSQL stores neither NUL (in text or jsonb) nor a lone UTF-16 surrogate (in jsonb), and one such character
// fails the whole statement, which for the event batcher is a group of several sessions' events. Agents' tool
// output, self-hosted runtimes and pasted text can carry both, so they are stored as U+FFFD, the replacement
// character, the way a UTF-8 encoder already stores a lone surrogate in a text column.

/**
 * Escapes `JSON.stringify` writes for what PostgreSQL refuses: NUL (`\u0000`) and a lone surrogate (`\udXXX`; a
 * paired one is written as the character itself). An escaped backslash (`\\`) is matched too, so that the
 * `u0000` of the text `\u0000` is never mistaken for an escape.
 */
const REFUSED_ESCAPE = /\\(\\|u0000|ud[89a-f][0-9a-f]{2})/gi;

/** `JSON.stringify(value)`, with what jsonb refuses written as U+FFFD. */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\u')) return json;
  return json.replace(REFUSED_ESCAPE, (escape, what: string) => (what === '\\' ? escape : '\\ufffd'));
}

/** The text with each NUL written as U+FFFD. */
export function storableText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\ufffd') : text;
}
