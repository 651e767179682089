// `<!here>`, `<!channel>`, `<!everyone>` (with or without a label) and user groups `<!subteam^S…>`.
const SPECIAL_MENTION = /<!(here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/gi;
// Plain words Slack turns into the same pings when a message is posted with link_names.
const PLAIN_MENTION = /(^|[^\w`])@(here|channel|everyone)\b/gi;

/**
 * Agent text as Slack should show it without pinging anyone in bulk: `@here`, `@channel`, `@everyone` and user
 * group mentions become plain code text. Mentions of single people stay as they are.
 */
export function defusePings(text: string): string {
  return text
    .replace(SPECIAL_MENTION, (_m, word: string | undefined, group: string | undefined) =>
      word ? `\`@${word.toLowerCase()}\`` : `\`${group ?? '@group'}\``,
    )
    .replace(PLAIN_MENTION, (_m, before: string, word: string) => `${before}\`@${word.toLowerCase()}\``);
}
