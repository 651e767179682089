import type { RichTextBlock } from './claude';

type Element = { type?: string; [key: string]: unknown };

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function inline(element: Element): string {
  switch (element.type) {
    case 'text':
      return escapeText(String(element.text ?? ''));
    case 'link':
      return element.text
        ? `${escapeText(String(element.text))} (${escapeText(String(element.url))})`
        : escapeText(String(element.url));
    case 'emoji':
      return `:${String(element.name)}:`;
    // Mentions become inert words: no Slack markup, no way to ping anyone from an agent prompt.
    case 'user':
      return `@${String(element.user_id)}`;
    case 'usergroup':
      return `@${String(element.usergroup_id)}`;
    case 'channel':
      return `#${String(element.channel_id)}`;
    case 'broadcast':
      return `@${String(element.range)}`;
    case 'date':
      return escapeText(String(element.fallback ?? ''));
    default:
      return '';
  }
}

function block(element: Element): string {
  const children = Array.isArray(element.elements) ? (element.elements as Element[]) : [];
  switch (element.type) {
    case 'rich_text_section':
      return children.map(inline).join('');
    case 'rich_text_preformatted':
      return children.map(inline).join('');
    case 'rich_text_quote':
      return children
        .map(inline)
        .join('')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'rich_text_list': {
      const ordered = element.style === 'ordered';
      return children.map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${block(item)}`).join('\n');
    }
    default:
      return inline(element);
  }
}

/**
 * Rich text from a Slack input as plain text for an agent prompt. `&`, `<` and `>` are escaped and mentions
 * are written as plain words, so neither Slack markup nor prompt tags can be smuggled in.
 */
export function richTextToPlain(richText: RichTextBlock | null | undefined): string {
  if (!richText) return '';
  return (richText.elements as Element[]).map(block).join('\n').trim();
}
