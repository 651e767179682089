import { section as batonSection } from '../../src/views/blocks';
import { buildHelp } from '../../src/views/help';
import { buildHome } from '../../src/views/home';
import {
  findBlockKitViolations,
  findMessageViolations,
  findViewViolations,
  totalBlockTextLength,
} from '../fakes/block-kit-limits';

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'button', text: plain(text), ...extra });
const option = (text: string, value = 'v', extra: Record<string, unknown> = {}) => ({
  text: plain(text),
  value,
  ...extra,
});
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const modal = (extra: Record<string, unknown>) => ({ type: 'modal', title: plain('Settings'), blocks: [], ...extra });

/** Violations of a message made of these blocks. */
const check = (...blocks: unknown[]) => findBlockKitViolations(blocks, 'message');

describe('findBlockKitViolations', () => {
  it('accepts a typical status message', () => {
    const blocks = [
      { type: 'header', text: plain('Session') },
      section('*Running*'),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'step 2 of 5' }] },
      { type: 'actions', elements: [button('Stop', { action_id: 'stop', style: 'danger' })] },
      { type: 'divider' },
    ];
    expect(check(...blocks)).toEqual([]);
  });

  it('allows 50 blocks in a message and 100 in a modal or Home tab, no more', () => {
    expect(
      findBlockKitViolations(
        many(50, () => section('x')),
        'message',
      ),
    ).toEqual([]);
    expect(
      findBlockKitViolations(
        many(51, () => section('x')),
        'message',
      ),
    ).toEqual([expect.stringContaining('no more than 50 items [json-pointer:/blocks]')]);
    expect(
      findBlockKitViolations(
        many(100, () => section('x')),
        'home',
      ),
    ).toEqual([]);
    expect(
      findBlockKitViolations(
        many(101, () => section('x')),
        'modal',
      ),
    ).toHaveLength(1);
  });

  it('enforces text limits on sections, fields, headers and context', () => {
    expect(check(section('a'.repeat(3000)))).toEqual([]);
    expect(check(section('a'.repeat(3001)))).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(check({ type: 'section', fields: many(11, () => plain('f')) })).toHaveLength(1);
    expect(check({ type: 'section', fields: [plain('f'.repeat(2001))] })).toHaveLength(1);
    expect(check({ type: 'header', text: plain('h'.repeat(151)) })).toHaveLength(1);
    expect(check({ type: 'header', text: { type: 'mrkdwn', text: 'h' } })).toHaveLength(1);
    expect(check({ type: 'context', elements: many(11, () => plain('c')) })).toHaveLength(1);
  });

  it('counts characters, not UTF-16 code units', () => {
    expect(check({ type: 'header', text: plain('🚀'.repeat(150)) })).toEqual([]);
  });

  it('enforces element limits on buttons, actions and selects', () => {
    expect(check({ type: 'actions', elements: many(26, (i) => button('b', { action_id: `a${i}` })) })).toHaveLength(1);
    expect(check({ type: 'actions', elements: [button('b'.repeat(76))] })).toHaveLength(1);
    expect(check({ type: 'actions', elements: [button('b', { value: 'v'.repeat(2001) })] })).toHaveLength(1);
    expect(check({ type: 'actions', elements: [button('b', { action_id: 'x'.repeat(256) })] })).toHaveLength(1);
    expect(
      check({ type: 'actions', elements: [button('b', { action_id: 'x' }), button('c', { action_id: 'x' })] }),
    ).toEqual([expect.stringContaining('action_id must be unique')]);
    const select = (options: unknown[]) => ({ type: 'actions', elements: [{ type: 'static_select', options }] });
    expect(check(select(many(100, (i) => option(`o${i}`))))).toEqual([]);
    expect(check(select(many(101, (i) => option(`o${i}`))))).toHaveLength(1);
    expect(check(select([option('o'.repeat(76))]))).toHaveLength(1);
    expect(check(select([option('o', 'v'.repeat(76))]))).toHaveLength(1);
    expect(check(select([option('o', 'v', { description: plain('d'.repeat(76)) })]))).toHaveLength(1);
    expect(
      check({ type: 'actions', elements: [{ type: 'overflow', options: many(6, () => option('o')) }] }),
    ).toHaveLength(1);
  });

  it('rejects long or duplicate block ids and unknown types', () => {
    expect(check({ ...section('a'), block_id: 'b'.repeat(256) })).toHaveLength(1);
    expect(check({ ...section('a'), block_id: 'same' }, { ...section('b'), block_id: 'same' })).toEqual([
      expect.stringContaining('duplicate block_id same'),
    ]);
    expect(check({ type: 'sectoin', text: plain('typo') })).toEqual([
      expect.stringContaining('unsupported block type'),
    ]);
  });
});

describe('findViewViolations', () => {
  it('limits modal title, submit and close to 24 characters', () => {
    expect(findViewViolations(modal({ title: plain('t'.repeat(24)) }))).toEqual([]);
    expect(findViewViolations(modal({ title: plain('t'.repeat(25)) }))).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    expect(findViewViolations(modal({ submit: plain('s'.repeat(25)), close: plain('c'.repeat(25)) }))).toHaveLength(2);
  });

  it('requires a submit button when the modal has inputs', () => {
    const input = { type: 'input', block_id: 'name', label: plain('Name'), element: { type: 'plain_text_input' } };
    expect(findViewViolations(modal({ blocks: [input] }))).toEqual([expect.stringContaining('/view/submit')]);
    expect(findViewViolations(modal({ blocks: [input], submit: plain('Save') }))).toEqual([]);
  });

  it('limits private_metadata to 3000 characters and checks the blocks', () => {
    expect(findViewViolations(modal({ private_metadata: 'm'.repeat(3001) }))).toHaveLength(1);
    expect(findViewViolations(modal({ blocks: [section('a'.repeat(3001))] }))).toEqual([
      expect.stringContaining('/view/blocks/0/text/text'),
    ]);
    expect(findViewViolations({ type: 'home', blocks: many(100, () => section('x')) })).toEqual([]);
  });
});

describe('findMessageViolations', () => {
  it('names the error code Slack would answer with', () => {
    expect(findMessageViolations({})?.error).toBe('no_text');
    expect(findMessageViolations({ text: 'x'.repeat(40_001) })?.error).toBe('msg_too_long');
    expect(findMessageViolations({ text: 't', blocks: '[' })?.error).toBe('invalid_blocks_format');
    expect(findMessageViolations({ text: 't', blocks: many(51, () => section('x')) })?.error).toBe('invalid_blocks');
    expect(findMessageViolations({ text: 't', blocks: many(5, () => section('y'.repeat(2500))) })?.error).toBe(
      'msg_blocks_too_long',
    );
    expect(findMessageViolations({ text: 't', blocks: many(4, () => section('y'.repeat(2500))) })).toBeUndefined();
  });

  it('sums text across nested text objects', () => {
    expect(totalBlockTextLength([section('abc'), { type: 'actions', elements: [button('de')] }])).toBe(5);
  });
});

describe("Baton's own views", () => {
  it('stay within the message and Home tab limits', () => {
    expect(findMessageViolations({ text: 'help', blocks: buildHelp() })).toBeUndefined();
    expect(findViewViolations(buildHome([], { canConfigure: true }))).toEqual([]);
  });

  it('clip section text to a length Slack accepts', () => {
    expect(check(batonSection('x'.repeat(10_000)))).toEqual([]);
  });
});
