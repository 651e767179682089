import { findMessageViolations } from '../fakes/block-kit-limits';
import {
  MARKDOWN_CHARS_PER_MESSAGE,
  markdownToMrkdwn,
  markdownToSlack,
  neutralizePings,
} from '../../src/views/markdown';

const ZWSP = '\u200B';
const blockTypes = (markdown: string) => markdownToSlack(markdown).map((m) => m.blocks.map((b) => b.type));
const markdownText = (markdown: string) =>
  markdownToSlack(markdown)
    .flatMap((m) => m.blocks)
    .map((b) => (b.type === 'markdown' ? b.text : ''))
    .join('\n');

describe('markdownToMrkdwn: each construct as Slack formatting', () => {
  it.each([
    ['## Heading', '*Heading*'],
    ['# **Bold** heading', '*Bold heading*'],
    ['**bold** and __also__', '*bold* and *also*'],
    ['*italic* and _italic_', '_italic_ and _italic_'],
    ['***both***', '*_both_*'],
    ['~~gone~~', '~gone~'],
    ['[the docs](https://example.com/a?b=1)', '<https://example.com/a?b=1|the docs>'],
    ['see <https://example.com>', 'see <https://example.com>'],
    ['run `npm test` now', 'run `npm test` now'],
    ['`a <b> & **c**`', '`a &lt;b&gt; &amp; **c**`'],
    ['- one\n- two', '• one\n• two'],
    ['* one\n  * nested', '• one\n\u2003• nested'],
    ['1. first\n2) second', '1. first\n2. second'],
    ['- [ ] todo\n- [x] done', '☐ todo\n☑ done'],
    ['> quoted **text**', '> quoted *text*'],
    ['---', '──────────'],
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['ask <@U123> in <#C456>', 'ask <@U123> in <#C456>'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['snake_case_name', 'snake_case_name'],
  ])('%j → %j', (markdown, mrkdwn) => {
    expect(markdownToMrkdwn(markdown)).toBe(mrkdwn);
  });

  it('keeps fenced code verbatim (escaped) without the language tag', () => {
    expect(markdownToMrkdwn('```ts\nconst a = b < c && **d**;\n```')).toBe(
      '```\nconst a = b &lt; c &amp;&amp; **d**;\n```',
    );
  });

  it('shows a table as aligned monospace text', () => {
    expect(markdownToMrkdwn('| Name | Age |\n|---|--:|\n| Ann | 7 |\n| Bo | 12 |')).toBe(
      '```\nName | Age\n-----|----\nAnn  | 7\nBo   | 12\n```',
    );
  });

  it('does not let a link label or URL break out of the link', () => {
    expect(markdownToMrkdwn('[a|b>c](https://x.example/y)')).toBe('<https://x.example/y|a b c>');
  });
});

describe('neutralizePings: agent text never notifies anyone', () => {
  it.each([
    ['<!channel> look', `@${ZWSP}channel look`],
    ['<!here|here> now', `@${ZWSP}here now`],
    ['<!everyone>', `@${ZWSP}everyone`],
    ['<!subteam^S0123|@oncall> help', `@${ZWSP}oncall help`],
    ['<!subteam^S0123>', `@${ZWSP}group`],
    ['hey @here and @Channel, @everyone!', `hey @${ZWSP}here and @${ZWSP}Channel, @${ZWSP}everyone!`],
  ])('%j', (text, expected) => {
    expect(neutralizePings(text)).toBe(expected);
  });

  it('leaves e-mail addresses and person mentions alone', () => {
    expect(neutralizePings('mail ops@here.com or ask <@U123>')).toBe('mail ops@here.com or ask <@U123>');
  });

  it('applies to every output, code and tables included', () => {
    const markdown = '<!here> hi\n\n```\n@channel\n```\n\n| a |\n|---|\n| <!everyone> |';
    const out = JSON.stringify(markdownToSlack(markdown));
    expect(out).not.toMatch(/<!(here|channel|everyone)/);
    expect(out).not.toMatch(/@(here|channel|everyone)/);
    expect(markdownToMrkdwn(markdown)).not.toMatch(/<!|@(here|channel|everyone)/);
  });
});

describe("markdownToSlack: Slack's markdown block where it fits", () => {
  it('sends prose and code as one markdown block, as written', () => {
    const markdown = '## Plan\n\n1. **Fix** the test\n2. Ship\n\n```ts\nconst x = 1;\n```';
    const [message] = markdownToSlack(markdown);
    expect(message!.blocks).toEqual([{ type: 'markdown', text: markdown }]);
    expect(message!.text).toContain('*Plan*');
  });

  it('keeps plain answers plain in the notification text', () => {
    expect(markdownToSlack('Here is the answer.')).toEqual([
      { text: 'Here is the answer.', blocks: [{ type: 'markdown', text: 'Here is the answer.' }] },
    ]);
  });

  it('turns a table into a table block, and a second table in the same message into text', () => {
    const table = '| Name | Age |\n|---|---|\n| **Ann** | |';
    expect(blockTypes(`Intro\n\n${table}\n\nOutro`)).toEqual([['markdown', 'table', 'markdown']]);
    const [message] = markdownToSlack(table);
    expect(message!.blocks[0]).toEqual({
      type: 'table',
      rows: [
        [
          { type: 'raw_text', text: 'Name' },
          { type: 'raw_text', text: 'Age' },
        ],
        [
          { type: 'raw_text', text: 'Ann' },
          { type: 'raw_text', text: ' ' },
        ],
      ],
    });
    expect(blockTypes(`${table}\n\n${table}`)).toEqual([['table'], ['table']]);
  });

  it('shows a table too large for a table block as monospace text', () => {
    const wide = `|${' c |'.repeat(21)}\n|${'---|'.repeat(21)}\n|${' 1 |'.repeat(21)}`;
    expect(blockTypes(wide)).toEqual([['markdown']]);
    expect(markdownText(wide)).toMatch(/^```\nc {3}\| c/);
    const long = `| n |\n|---|\n${Array.from({ length: 120 }, (_, i) => `| ${i} |`).join('\n')}`;
    expect(blockTypes(long)).toEqual([['markdown']]);
  });

  it('fences code that itself contains backticks so it cannot end early', () => {
    const text = markdownText('````\nuse ``` to fence\n````');
    expect(text).toBe('````\nuse ``` to fence\n````');
  });

  it('splits a long answer into messages Slack accepts, keeping every word', () => {
    const paragraph = `${'word '.repeat(199)}end.`;
    const markdown = Array.from({ length: 40 }, (_, i) => `### Part ${i}\n\n${paragraph}`).join('\n\n');
    const messages = markdownToSlack(markdown);
    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) {
      expect(findMessageViolations(message)).toBeUndefined();
      const chars = message.blocks.reduce((n, b) => n + (b.type === 'markdown' ? b.text.length : 0), 0);
      expect(chars).toBeLessThanOrEqual(MARKDOWN_CHARS_PER_MESSAGE);
      expect(message.text.length).toBeLessThanOrEqual(3000);
    }
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(markdownText(markdown))).toEqual(words(markdown));
  });

  it('closes and reopens a code block cut across messages', () => {
    const code = Array.from({ length: 600 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const messages = markdownToSlack(`\`\`\`\n${code}\n\`\`\``);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      const text = message.blocks.map((b) => (b.type === 'markdown' ? b.text : '')).join('');
      expect(text.startsWith('```')).toBe(true);
      expect(text.trimEnd().endsWith('```')).toBe(true);
    }
  });

  it('returns nothing for an empty answer', () => {
    expect(markdownToSlack('  \n\n ')).toEqual([]);
  });
});

describe('the fake Slack knows the table limit the converter relies on', () => {
  it('rejects two tables in one message', () => {
    const table = { type: 'table', rows: [[{ type: 'raw_text', text: 'a' }]] };
    expect(findMessageViolations({ text: 't', blocks: [table, table] })?.error).toBe('invalid_blocks');
  });
});
