import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { listBotItems } from '../../src/bots/catalog';
import { escapeMrkdwn, section } from '../../src/views/blocks';
import { buildAdminsList } from '../../src/views/admins-list';
import { buildAuditList } from '../../src/views/audit-list';
import { buildBotsList } from '../../src/views/bots-list';
import { buildHelp } from '../../src/views/help';
import { buildKeysList } from '../../src/views/keys-list';
import { listSkillItems } from '../../src/bots/skills-catalog';
import { buildSkillsList } from '../../src/views/skills-list';
import { actorOf, type Actor } from '../context';
import type { HandlerDeps } from '../deps';
import { onChannelCommand } from './channel';
import { onExplainCommand } from './explain';
import { onBudgetCommand, onSpendCommand } from './spend';
import { onTokensCommand } from './tokens';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Subcommand = (args: CommandArgs, actor: Actor) => Promise<void>;

const AUDIT_ROWS = 25;

/**
 * `/baton <subcommand>`, answered ephemerally. Help goes straight into the ack; the others ack at once and
 * answer through `respond` after a quick read.
 */
export function onBatonCommand(deps: HandlerDeps) {
  const { stores, access } = deps;
  const ephemeral = (text: string, blocks: ReturnType<typeof buildHelp>) => ({
    response_type: 'ephemeral' as const,
    text,
    blocks,
  });
  const denied = async ({ respond }: CommandArgs, actor: Actor): Promise<void> => {
    await respond({ response_type: 'ephemeral', text: await access.denial(actor.teamId) });
  };

  const subcommands: Record<string, Subcommand> = {
    bots: async (args, actor) => {
      const [bots, canConfigure] = await Promise.all([
        listBotItems(stores, actor.teamId),
        access.canConfigure(args.client, actor.teamId, actor.userId),
      ]);
      await args.respond(ephemeral('Bots', buildBotsList(bots, { canConfigure })));
    },
    keys: async (args, actor) => {
      if (!(await access.canConfigure(args.client, actor.teamId, actor.userId))) return denied(args, actor);
      const keys = await stores.keys.list(actor.teamId, 'anthropic');
      const items = await Promise.all(keys.map(async (key) => ({ ...key, usedBy: await stores.keys.usedBy(key.id) })));
      await args.respond(ephemeral('Anthropic API keys', buildKeysList(items)));
    },
    admins: async (args, actor) => {
      const [admins, canConfigure] = await Promise.all([
        stores.admins.list(actor.teamId),
        access.canConfigure(args.client, actor.teamId, actor.userId),
      ]);
      await args.respond(ephemeral('Baton admins', buildAdminsList(admins, { canConfigure })));
    },
    audit: async (args, actor) => {
      if (!(await access.canConfigure(args.client, actor.teamId, actor.userId))) return denied(args, actor);
      await args.respond(
        ephemeral(
          'Recent changes',
          buildAuditList(await stores.audit.recent(actor.teamId, AUDIT_ROWS, { changesOnly: true })),
        ),
      );
    },
    skills: async (args, actor) => {
      if (!(await access.canConfigure(args.client, actor.teamId, actor.userId))) return denied(args, actor);
      await args.respond(ephemeral('Skills', buildSkillsList(await listSkillItems(stores, actor.teamId))));
    },
    tokens: onTokensCommand(deps),
    channel: onChannelCommand(deps),
    explain: onExplainCommand(deps),
    spend: onSpendCommand(deps),
    budget: onBudgetCommand(deps),
  };

  return async (args: CommandArgs): Promise<void> => {
    const { ack, command } = args;
    const [word = 'help'] = command.text.trim().split(/\s+/).filter(Boolean);
    const subcommand = word.toLowerCase();
    if (subcommand === 'help') {
      await ack(ephemeral('Baton help', buildHelp()));
      return;
    }
    const run = subcommands[subcommand];
    if (!run) {
      await ack(
        ephemeral(`Unknown command: ${word}`, [
          section(`I don't know \`${escapeMrkdwn(word)}\`. Here is what I can do:`),
          ...buildHelp(),
        ]),
      );
      return;
    }
    await ack();
    await run(args, actorOf(args.context, command));
  };
}
