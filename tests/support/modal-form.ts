// Fills a modal the way a person does: finds inputs by their visible labels and answers with the values Slack
// would send in `view.state.values` for that element type.
type Json = Record<string, unknown>;

interface InputBlock {
  type: 'input';
  block_id: string;
  label: { text: string };
  element: Json & { type: string; options?: Array<{ text: { text: string }; value: string }> };
}

const inputs = (view: Json): InputBlock[] =>
  ((view.blocks as Json[]) ?? []).filter((b): b is InputBlock & Json => b.type === 'input') as InputBlock[];

/** Every visible label of the view's inputs, in order. */
export const labelsOf = (view: Json): string[] => inputs(view).map((b) => b.label.text);

/** The nth (0-based) input with this exact label. */
export function inputByLabel(view: Json, label: string, nth = 0): InputBlock {
  const found = inputs(view).filter((b) => b.label.text === label)[nth];
  if (!found) throw new Error(`no input labelled "${label}" in: ${labelsOf(view).join(' | ')}`);
  return found;
}

const optionByText = (block: InputBlock, text: string) => {
  const option = block.element.options?.find((o) => o.text.text === text);
  if (!option) throw new Error(`no option "${text}" in "${block.label.text}"`);
  return option;
};

/** The values Slack sends back for a view's inputs: their initial values, with `answers` (by label) applied. */
export function formValues(view: Json, answers: Record<string, unknown> = {}, nth = 0): Json {
  const values: Json = {};
  const seen = new Map<string, number>();
  for (const block of inputs(view)) {
    const index = seen.get(block.label.text) ?? 0;
    seen.set(block.label.text, index + 1);
    const answer = index === nth && block.label.text in answers ? answers[block.label.text] : undefined;
    const el = block.element;
    const action = (value: Json) => (values[block.block_id] = { value: { type: el.type, ...value } });
    switch (el.type) {
      case 'plain_text_input':
        action({ value: answer !== undefined ? (answer as string) : ((el.initial_value as string) ?? null) });
        break;
      case 'rich_text_input':
        action({
          rich_text_value:
            answer !== undefined
              ? {
                  type: 'rich_text',
                  elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: answer as string }] }],
                }
              : (el.initial_value ?? null),
        });
        break;
      case 'radio_buttons':
      case 'static_select': {
        const chosen = answer !== undefined ? optionByText(block, answer as string) : el.initial_option;
        action({ selected_option: chosen ?? null });
        break;
      }
      case 'multi_static_select':
      case 'checkboxes': {
        const chosen =
          answer !== undefined
            ? (answer as string[]).map((text) => optionByText(block, text))
            : ((el.initial_options as unknown[]) ?? []);
        action({ selected_options: chosen });
        break;
      }
      case 'multi_users_select':
        action({ selected_users: answer !== undefined ? answer : (el.initial_users ?? []) });
        break;
      default:
        throw new Error(`formValues does not know ${el.type}`);
    }
  }
  return values;
}
