import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { Bot } from '../../src/domain/bots';
import { buildTokensList, parseTokenChoice } from '../../src/views/tokens-list';
import { actorOf, mayConfigureHere, type Actor } from '../context';
import type { HandlerDeps } from '../deps';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

const DAY_MS = 86_400_000;

/** Shows (or redraws in place) a bot's token list; `created` appears in this one response only. */
export async function respondWithTokens(
  deps: HandlerDeps,
  respond: RespondFn,
  bot: Bot,
  options: { replace: boolean; created?: { token: string; label: string } },
): Promise<void> {
  const tokens = await deps.tokens.list(bot.id);
  await respond({
    response_type: 'ephemeral',
    replace_original: options.replace,
    text: `API tokens for ${bot.name}`,
    blocks: buildTokensList(bot, tokens, {
      apiUrl: deps.apiUrl,
      ...(options.created ? { created: options.created } : {}),
    }),
  });
}

async function admitted(deps: HandlerDeps, args: ButtonArgs | SelectArgs): Promise<Actor | undefined> {
  await args.ack();
  const actor = actorOf(args.context, args.body);
  return (await mayConfigureHere(deps, args.client, actor, args.respond)) ? actor : undefined;
}

/**
 * Creates an API token for the bot, working for the lifetime chosen in the menu, and shows it once; the audit names
 * the token by id and hint only.
 */
export const onCreateToken = (deps: HandlerDeps) => async (args: SelectArgs) => {
  const actor = await admitted(deps, args);
  if (!actor) return;
  const choice = parseTokenChoice(args.action.selected_option?.value ?? '');
  const bot = choice ? await deps.stores.bots.get(actor.teamId, choice.botId) : undefined;
  if (!bot || !choice) {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text: 'That bot no longer exists.' });
    return;
  }
  const expiresAt = choice.days === null ? null : new Date(Date.now() + choice.days * DAY_MS);
  const label = `Token of ${new Date().toISOString().slice(0, 10)}`;
  const { token, record } = await deps.tokens.create({
    kind: 'api',
    teamId: actor.teamId,
    botId: bot.id,
    scope: bot.toolMode,
    label,
    createdBy: actor.userId,
    expiresAt,
  });
  await deps.audit.record({
    teamId: actor.teamId,
    actorId: actor.userId,
    action: 'token.created',
    target: bot.name,
    details: { botId: bot.id, tokenId: record.id, hint: record.hint, expiresAt: expiresAt?.toISOString() ?? null },
  });
  await respondWithTokens(deps, args.respond, bot, { replace: true, created: { token, label } });
};

export const onRevokeToken = (deps: HandlerDeps) => async (args: ButtonArgs) => {
  const actor = await admitted(deps, args);
  if (!actor) return;
  const token = await deps.tokens.get(actor.teamId, args.action.value ?? '');
  const bot = token ? await deps.stores.bots.get(actor.teamId, token.botId) : undefined;
  if (!token || !bot) {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text: 'That token no longer exists.' });
    return;
  }
  if (await deps.tokens.revoke(actor.teamId, token.id)) {
    await deps.audit.record({
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'token.revoked',
      target: bot.name,
      details: { botId: bot.id, tokenId: token.id, hint: token.hint },
    });
  }
  await respondWithTokens(deps, args.respond, bot, { replace: true });
};
