import type { ProviderKey } from '../domain/provider-keys';
import { clip, context, escapeMrkdwn, header, section, type Blocks } from './blocks';
import { button, plainText } from './elements';
import { ACTION } from './ids';

export interface KeyListItem extends ProviderKey {
  usedBy: string[];
}

/** `/baton keys`: saved Anthropic keys, masked, each deletable after a confirmation naming its bots. */
export function buildKeysList(keys: KeyListItem[]): Blocks {
  const blocks: Blocks = [header('Anthropic API keys')];
  if (keys.length === 0) blocks.push(section('No saved keys. Add one from a bot’s *Agent connection*.'));
  for (const key of keys.slice(0, 40)) {
    const users = key.usedBy.length
      ? `Used by ${key.usedBy.map((n) => `*${escapeMrkdwn(n)}*`).join(', ')}`
      : 'Not used by any bot';
    const state = key.validatedAt ? 'Valid' : key.validationError ? 'Invalid' : 'Not validated';
    const warning = key.usedBy.length
      ? `${key.usedBy.join(', ')} will lose ${key.usedBy.length === 1 ? 'its' : 'their'} connection until you choose another key.`
      : 'No bot uses it.';
    blocks.push(
      section(
        `*${escapeMrkdwn(key.label)}* \`${escapeMrkdwn(key.hint)}\`\n${state} · ${users}`,
        button('Delete', ACTION.deleteKey, key.id, {
          style: 'danger',
          confirm: {
            title: plainText('Delete this key?'),
            text: { type: 'plain_text', text: clip(`“${key.label}” will be deleted. ${warning}`, 300) },
            confirm: plainText('Delete'),
            deny: plainText('Keep it'),
            style: 'danger',
          },
        }),
      ),
    );
  }
  blocks.push(context('Keys are stored encrypted and only ever shown masked.'));
  return blocks;
}
