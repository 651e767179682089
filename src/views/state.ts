import { VALUE } from './ids';

/** A view's `state.values`: block id → action id → the element's value. */
export type ViewStateValues = Record<string, Record<string, ViewStateValue | undefined> | undefined>;

interface ViewStateValue {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
  rich_text_value?: { type: 'rich_text'; elements: unknown[] } | null;
}

const read = (values: ViewStateValues, blockId: string) => values[blockId]?.[VALUE];

export const textValue = (values: ViewStateValues, blockId: string): string => read(values, blockId)?.value ?? '';

export const selectedValue = (values: ViewStateValues, blockId: string): string | undefined =>
  read(values, blockId)?.selected_option?.value ?? undefined;

export const selectedValues = (values: ViewStateValues, blockId: string): string[] =>
  (read(values, blockId)?.selected_options ?? []).map((option) => option.value);

export const richTextValue = (values: ViewStateValues, blockId: string) =>
  read(values, blockId)?.rich_text_value ?? undefined;
