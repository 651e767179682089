import type { Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';

const SECTION_TEXT_MAX = 3000;
const HEADER_TEXT_MAX = 150;

/** Escapes the three characters mrkdwn treats as markup, so user text cannot form links or mentions. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Cuts text to `max` characters (not bytes), never splitting a surrogate pair, ending with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, HEADER_TEXT_MAX), emoji: true },
});

export const section = (mrkdwn: string, accessory?: Button): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(mrkdwn, SECTION_TEXT_MAX) },
  ...(accessory ? { accessory } : {}),
});

export const context = (...mrkdwn: string[]): ContextBlock => ({
  type: 'context',
  elements: mrkdwn.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: clip(text, SECTION_TEXT_MAX) })),
});

export const divider = (): DividerBlock => ({ type: 'divider' });

export type Blocks = KnownBlock[];
