import { charLength, Checker, isObject, type Json } from './block-kit-checker';

// Slack's Block Kit limits (slack-platform.md §4), as a pure walker. The fake Slack server rejects payloads with
// these, and unit tests can run Baton's view builders through them directly.

export type Surface = 'message' | 'modal' | 'home';

export const BLOCK_KIT_LIMITS = {
  blocks: { message: 50, modal: 100, home: 100 } satisfies Record<Surface, number>,
  messageText: 40_000,
  /** Undocumented cumulative cap behind `msg_blocks_too_long` (bolt-js #2509, #2867); Slack's is ~12-13k. */
  messageBlockText: 12_000,
  viewTitle: 24,
  privateMetadata: 3000,
} as const;

export type MessageError =
  'no_text' | 'msg_too_long' | 'invalid_blocks_format' | 'invalid_blocks' | 'msg_blocks_too_long';

export interface MessageViolation {
  error: MessageError;
  messages: string[];
}

// Newer blocks (plan, task_card, card, ...) are accepted without checking their insides.
const UNCHECKED_BLOCKS = [
  'divider',
  'rich_text',
  'file',
  'video',
  'call',
  'plan',
  'task_card',
  'context_actions',
  'alert',
  'card',
  'carousel',
  'container',
  'data_table',
];

type BlockCheck = (c: Checker, block: Json, pointer: string) => void;

const BLOCK_CHECKS: Record<string, BlockCheck> = {
  section(c, block, at) {
    if (block.text === undefined && block.fields === undefined) c.fail(at, 'must provide either text or fields');
    c.textObject(block.text, { max: 3000 }, `${at}/text`);
    c.maxItems(block.fields, 10, `${at}/fields`);
    if (Array.isArray(block.fields)) {
      block.fields.forEach((field, i) => c.textObject(field, { max: 2000, isRequired: true }, `${at}/fields/${i}`));
    }
    if (block.accessory !== undefined) c.element(block.accessory, `${at}/accessory`);
  },
  header(c, block, at) {
    c.textObject(block.text, { max: 150, isRequired: true, isPlainOnly: true }, `${at}/text`);
  },
  context(c, block, at) {
    if (!Array.isArray(block.elements) || block.elements.length === 0) return c.fail(`${at}/elements`, 'is required');
    c.maxItems(block.elements, 10, `${at}/elements`);
    block.elements.forEach((element: unknown, i) => {
      if (isObject(element) && element.type === 'image') c.element(element, `${at}/elements/${i}`);
      else c.textObject(element, { max: 3000, isRequired: true }, `${at}/elements/${i}`);
    });
  },
  actions(c, block, at) {
    if (!Array.isArray(block.elements) || block.elements.length === 0) return c.fail(`${at}/elements`, 'is required');
    c.maxItems(block.elements, 25, `${at}/elements`);
    const actionIds = new Set<unknown>();
    block.elements.forEach((element: unknown, i) => {
      c.element(element, `${at}/elements/${i}`);
      const actionId = isObject(element) ? element.action_id : undefined;
      if (actionId === undefined) return;
      if (actionIds.has(actionId)) c.fail(`${at}/elements/${i}/action_id`, 'action_id must be unique in its block');
      actionIds.add(actionId);
    });
  },
  input(c, block, at) {
    c.textObject(block.label, { max: 2000, isRequired: true, isPlainOnly: true }, `${at}/label`);
    c.textObject(block.hint, { max: 2000, isPlainOnly: true }, `${at}/hint`);
    if (block.element === undefined) c.fail(`${at}/element`, 'is required');
    else c.element(block.element, `${at}/element`);
  },
  image(c, block, at) {
    if (block.image_url === undefined && block.slack_file === undefined)
      c.fail(at, 'must provide image_url or slack_file');
    c.maxLength(block.image_url, 3000, `${at}/image_url`);
    if (typeof block.alt_text !== 'string') c.fail(`${at}/alt_text`, 'is required');
    c.maxLength(block.alt_text, 2000, `${at}/alt_text`);
    c.textObject(block.title, { max: 2000, isPlainOnly: true }, `${at}/title`);
  },
  markdown(c, block, at) {
    if (typeof block.text !== 'string') c.fail(`${at}/text`, 'is required');
    c.maxLength(block.text, 12_000, `${at}/text`);
  },
  table(c, block, at) {
    c.maxItems(block.rows, 100, `${at}/rows`);
    if (Array.isArray(block.rows)) block.rows.forEach((row, i) => c.maxItems(row, 20, `${at}/rows/${i}`));
  },
};

function checkBlocks(c: Checker, blocks: unknown, surface: Surface, pointer: string): void {
  if (!Array.isArray(blocks)) return c.fail(pointer, 'must be an array');
  const max = BLOCK_KIT_LIMITS.blocks[surface];
  if (blocks.length > max) c.fail(pointer, `must provide no more than ${max} items`);
  const blockIds = new Set<unknown>();
  // Slack draws one table per message and rejects a second one.
  const tables = blocks.filter((block: unknown) => isObject(block) && block.type === 'table').length;
  if (surface === 'message' && tables > 1) c.fail(pointer, 'only_one_table_allowed');
  blocks.forEach((block: unknown, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') return c.fail(at, 'must be a block object');
    if (block.block_id !== undefined) {
      c.maxLength(block.block_id, 255, `${at}/block_id`);
      if (blockIds.has(block.block_id)) c.fail(`${at}/block_id`, `duplicate block_id ${String(block.block_id)}`);
      blockIds.add(block.block_id);
    }
    const check = BLOCK_CHECKS[block.type];
    if (check) check(c, block, at);
    else if (!UNCHECKED_BLOCKS.includes(block.type)) c.fail(`${at}/type`, `unsupported block type ${block.type}`);
  });
}

/** Every per-block limit (counts, lengths, ids) for one surface; `[]` when Slack would accept the blocks. */
export function findBlockKitViolations(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const checker = new Checker();
  checkBlocks(checker, blocks, surface, pointer);
  return checker.errors;
}

/** Limits of a `modal` or `home` view as passed to `views.open`/`push`/`update`/`publish`. */
export function findViewViolations(view: unknown): string[] {
  const c = new Checker();
  if (!isObject(view)) {
    c.fail('/view', 'must be a view object');
    return c.errors;
  }
  if (view.type !== 'modal' && view.type !== 'home') c.fail('/view/type', 'must be modal or home');
  const isModal = view.type === 'modal';
  const title = { max: BLOCK_KIT_LIMITS.viewTitle, isPlainOnly: true };
  c.textObject(view.title, { ...title, isRequired: isModal }, '/view/title');
  c.textObject(view.submit, title, '/view/submit');
  c.textObject(view.close, title, '/view/close');
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isObject(b) && b.type === 'input');
  if (isModal && hasInput && view.submit === undefined)
    c.fail('/view/submit', 'is required when the view has input blocks');
  c.maxLength(view.private_metadata, BLOCK_KIT_LIMITS.privateMetadata, '/view/private_metadata');
  c.maxLength(view.callback_id, 255, '/view/callback_id');
  c.maxLength(view.external_id, 255, '/view/external_id');
  checkBlocks(c, view.blocks, isModal ? 'modal' : 'home', '/view/blocks');
  return c.errors;
}

/** Characters of text across all text objects in the blocks: what `msg_blocks_too_long` appears to count. */
export function totalBlockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + totalBlockTextLength(item), 0);
  if (!isObject(value)) return 0;
  return Object.entries(value).reduce(
    (sum, [key, child]) =>
      sum + (key === 'text' && typeof child === 'string' ? charLength(child) : totalBlockTextLength(child)),
    0,
  );
}

/** How Slack would reject a message body (`chat.postMessage`, `chat.update`, a response_url post), if it would. */
export function findMessageViolations(message: {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
  markdown_text?: unknown;
}): MessageViolation | undefined {
  const { text, blocks, attachments, markdown_text: markdownText } = message;
  const isEmpty = (v: unknown) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  if ([text, blocks, attachments, markdownText].every(isEmpty)) return { error: 'no_text', messages: [] };
  const textLength = typeof text === 'string' ? charLength(text) : 0;
  if (textLength > BLOCK_KIT_LIMITS.messageText) return { error: 'msg_too_long', messages: [] };
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', messages: ['[ERROR] must be an array'] };
  const violations = findBlockKitViolations(blocks, 'message');
  if (violations.length > 0) return { error: 'invalid_blocks', messages: violations };
  const blockText = totalBlockTextLength(blocks);
  if (blockText > BLOCK_KIT_LIMITS.messageBlockText) {
    return { error: 'msg_blocks_too_long', messages: [`[ERROR] ${blockText} characters of text across blocks`] };
  }
  return undefined;
}
