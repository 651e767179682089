import type { HomeView } from '@slack/types';
import { context, divider, header, section } from './blocks';
import { buildBotsList, type BotListItem } from './bots-list';
import { HELP_SUMMARY } from './help';

export function buildHome(bots: BotListItem[], { canConfigure }: { canConfigure: boolean }): HomeView {
  return {
    type: 'home',
    blocks: [
      header('Baton'),
      section(
        `${HELP_SUMMARY} Mention a bot in a thread (or assign a message to it) and Baton runs an agent session ` +
          'with the thread as its task: a live card shows the steps, and the answer lands in the thread.',
      ),
      context('Type `/baton help` in any channel for the commands, or try `@Baton ping`.'),
      divider(),
      ...buildBotsList(bots, { canConfigure }),
    ],
  };
}
