import type { HomeView } from '@slack/types';
import { context, divider, header, section } from './blocks';
import { HELP_SUMMARY } from './help';

export function buildHome(): HomeView {
  return {
    type: 'home',
    blocks: [
      header('Baton'),
      section(
        `${HELP_SUMMARY} Mention a bot in a thread (or assign a message to it) and Baton runs an agent session ` +
          'with the thread as its task: a live card shows the steps, and the answer lands in the thread.',
      ),
      divider(),
      section('*Getting started*\n• Type `/baton help` in any channel to see the commands.\n• Try `@Baton ping`.'),
      context('Baton is open source. Admins configure bots and keys from Slack.'),
    ],
  };
}
