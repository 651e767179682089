import fc from 'fast-check';
import { storableJson, storableText } from '../../models/storable';

// What PostgreSQL stores of a string: a lone surrogate and NUL become U+FFFD (written here without storable.ts's
// regular expression, to check it).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const stored = (s: string) => s.replace(LONE_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd');
function storedValue(value: unknown): unknown {
  if (typeof value === 'string') return stored(value);
  if (Array.isArray(value)) return value.map(storedValue);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stored(k), storedValue(v)]));
  return value;
}

// Strings built from the characters that matter, so that pairs, lone halves, NUL and backslashes meet often.
const tricky = fc.string({
  unit: fc.constantFrom('\u0000', '\ud83d', '\ude42', '\ud83d\ude42', '\\', 'u', '0', 'd', '8', 'a', '"', '\n', 'é'),
});
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value')),
    fc.dictionary(tricky, tie('value')),
  ),
})).value;

describe('storable', () => {
  it('writes JSON that parses back to the value with NUL and lone surrogates as U+FFFD, and nothing else changed', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = storableJson(value);
        expect(text).not.toMatch(/(^|[^\\])(\\\\)*\\u(0000|d[89a-f])/i);
        expect(JSON.parse(text)).toEqual(storedValue(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves JSON without those escapes as JSON.stringify wrote it', () => {
    const value = { text: 'a written \\u0000, a pair 🙂, a tab\t', n: [1, 2] };
    expect(storableJson(value)).toBe(JSON.stringify(value));
  });

  it('writes NUL in text as U+FFFD and leaves other text alone', () => {
    expect(storableText('a\u0000b\u0000')).toBe('a\ufffdb\ufffd');
    const plain = 'plain 🙂 \ud800';
    expect(storableText(plain)).toBe(plain);
  });
});
