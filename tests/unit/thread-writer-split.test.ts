import { splitText } from '../../src/adapters/slack/writer/split-text';

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '' && w !== '```');
const paragraph = (i: number, length: number) => `Paragraph ${i} ${'lorem ipsum '.repeat(length / 12)}`.trim();
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('splitText', () => {
  it('leaves text that fits alone', () => {
    expect(splitText('short answer', 3_500)).toEqual(['short answer']);
  });

  it('cuts at paragraph breaks and loses no words', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => paragraph(i, 1_000));
    const text = paragraphs.join('\n\n');
    const parts = splitText(text, 3_500);
    expect(parts.length).toBeGreaterThan(8);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(3_500);
      expect(part.split('\n\n').every((p) => paragraphs.includes(p))).toBe(true);
    }
    expect(words(parts.join('\n'))).toEqual(words(text));
  });

  it('falls back to line breaks, then spaces', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const lineParts = splitText(lines, 1_000);
    expect(lineParts.every((p) => p.length <= 1_000 && /^line \d+ x+$/.test(p.split('\n').at(-1) ?? ''))).toBe(true);
    const spaced = 'word '.repeat(2_000);
    const spaceParts = splitText(spaced, 1_000);
    expect(spaceParts.every((p) => p.length <= 1_000 && !p.endsWith('wor'))).toBe(true);
    expect(words(spaceParts.join(' '))).toEqual(words(spaced));
  });

  it('cuts text without spaces anywhere except inside a surrogate pair', () => {
    const text = `a${'😀'.repeat(3_000)}`;
    const parts = splitText(text, 1_001);
    expect(parts.every((p) => p.length <= 1_001 && !hasLoneSurrogate(p))).toBe(true);
    expect(parts.join('')).toBe(text);
  });

  it('closes a code block at the cut and reopens it in the next part', () => {
    const code = Array.from({ length: 300 }, (_, i) => `const value${i} = ${i};`).join('\n');
    const text = `Here is the file:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.`;
    const parts = splitText(text, 2_000);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000);
      expect(part.split('```').length % 2).toBe(1);
    }
  });
});
