import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn, section } from '../../src/views/blocks';
import { buildHelp } from '../../src/views/help';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/baton <subcommand>`: answers are ephemeral, and help goes straight into the ack. */
export const onBatonCommand =
  () =>
  async ({ ack, command }: CommandArgs): Promise<void> => {
    const [subcommand = 'help'] = command.text.trim().split(/\s+/).filter(Boolean);
    if (subcommand.toLowerCase() === 'help') {
      await ack({ response_type: 'ephemeral', text: 'Baton help', blocks: buildHelp() });
      return;
    }
    await ack({
      response_type: 'ephemeral',
      text: `Unknown command: ${subcommand}`,
      blocks: [section(`I don't know \`${escapeMrkdwn(subcommand)}\`. Here is what I can do:`), ...buildHelp()],
    });
  };
