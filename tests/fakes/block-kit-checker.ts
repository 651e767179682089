// The low-level checks behind block-kit-limits.ts: text objects, interactive elements and options.
// Limits are from slack-platform.md §4; lengths are counted in characters (code points), not bytes.

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function charLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

interface TextRule {
  max: number;
  isRequired?: boolean;
  isPlainOnly?: boolean;
}

const SELECT_TYPES = ['static_select', 'multi_static_select'];
const PICKER_TYPES = [
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'workflow_button',
  'feedback_buttons',
  'icon_button',
];
const OPTION_LIST_MAX: Record<string, number> = { overflow: 5, checkboxes: 10, radio_buttons: 10 };

/** Collects Slack-style error strings: `[ERROR] <what> [json-pointer:/blocks/0/text/text]`. */
export class Checker {
  readonly errors: string[] = [];

  fail(pointer: string, message: string): void {
    this.errors.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }

  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && charLength(value) > max) {
      this.fail(pointer, `must be less than ${max + 1} characters`);
    }
  }

  maxItems(value: unknown, max: number, pointer: string): void {
    if (Array.isArray(value) && value.length > max) this.fail(pointer, `must provide no more than ${max} items`);
  }

  textObject(value: unknown, rule: TextRule, pointer: string): void {
    if (value === undefined) {
      if (rule.isRequired) this.fail(pointer, 'is required');
      return;
    }
    if (!isObject(value) || typeof value.text !== 'string') return this.fail(pointer, 'must be a text object');
    const allowed = rule.isPlainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!allowed.includes(value.type as string)) this.fail(`${pointer}/type`, `must be one of ${allowed.join(', ')}`);
    if (value.text.length === 0) this.fail(`${pointer}/text`, 'must be more than 0 characters');
    this.maxLength(value.text, rule.max, `${pointer}/text`);
  }

  element(value: unknown, pointer: string): void {
    if (!isObject(value) || typeof value.type !== 'string') return this.fail(pointer, 'must be an element object');
    const type = value.type;
    this.maxLength(value.action_id, 255, `${pointer}/action_id`);
    this.textObject(value.placeholder, { max: 150, isPlainOnly: true }, `${pointer}/placeholder`);
    this.confirm(value.confirm, `${pointer}/confirm`);
    if (type === 'button') return this.button(value, pointer);
    if (type === 'image') return this.maxLength(value.alt_text, 2000, `${pointer}/alt_text`);
    if (SELECT_TYPES.includes(type)) return this.staticSelect(value, pointer);
    const listMax = OPTION_LIST_MAX[type];
    if (listMax !== undefined) {
      this.maxItems(value.options, listMax, `${pointer}/options`);
      return this.options(value.options, `${pointer}/options`);
    }
    if (PICKER_TYPES.includes(type)) return this.initialOptions(value, pointer);
    this.fail(`${pointer}/type`, `unsupported element type ${type}`);
  }

  private button(value: Json, pointer: string): void {
    this.textObject(value.text, { max: 75, isRequired: true, isPlainOnly: true }, `${pointer}/text`);
    this.maxLength(value.value, 2000, `${pointer}/value`);
    this.maxLength(value.url, 3000, `${pointer}/url`);
    this.maxLength(value.accessibility_label, 75, `${pointer}/accessibility_label`);
  }

  private staticSelect(value: Json, pointer: string): void {
    if (value.options === undefined && value.option_groups === undefined) {
      this.fail(pointer, 'must provide either options or option_groups');
    }
    this.maxItems(value.options, 100, `${pointer}/options`);
    this.options(value.options, `${pointer}/options`);
    this.maxItems(value.option_groups, 100, `${pointer}/option_groups`);
    if (Array.isArray(value.option_groups)) {
      value.option_groups.forEach((group: unknown, i) => {
        const at = `${pointer}/option_groups/${i}`;
        if (!isObject(group)) return this.fail(at, 'must be an option group');
        this.textObject(group.label, { max: 75, isRequired: true, isPlainOnly: true }, `${at}/label`);
        this.maxItems(group.options, 100, `${at}/options`);
        this.options(group.options, `${at}/options`);
      });
    }
    this.initialOptions(value, pointer);
  }

  private initialOptions(value: Json, pointer: string): void {
    if (value.initial_option !== undefined) this.option(value.initial_option, `${pointer}/initial_option`);
    this.options(value.initial_options, `${pointer}/initial_options`);
  }

  options(list: unknown, pointer: string): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) return this.fail(pointer, 'must be an array');
    list.forEach((option, i) => this.option(option, `${pointer}/${i}`));
  }

  private option(value: unknown, pointer: string): void {
    if (!isObject(value)) return this.fail(pointer, 'must be an option object');
    this.textObject(value.text, { max: 75, isRequired: true }, `${pointer}/text`);
    this.textObject(value.description, { max: 75 }, `${pointer}/description`);
    this.maxLength(value.value, 75, `${pointer}/value`);
    this.maxLength(value.url, 3000, `${pointer}/url`);
  }

  private confirm(value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.fail(pointer, 'must be a confirmation dialog object');
    this.textObject(value.title, { max: 100, isPlainOnly: true }, `${pointer}/title`);
    this.textObject(value.text, { max: 300 }, `${pointer}/text`);
    this.textObject(value.confirm, { max: 30, isPlainOnly: true }, `${pointer}/confirm`);
    this.textObject(value.deny, { max: 30, isPlainOnly: true }, `${pointer}/deny`);
  }
}
