import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Bot } from '../src/domain/bots';
import type { Provider, ProviderKey } from '../src/domain/provider-keys';
import { INPUT } from '../src/views/ids';
import { selectedValue, type ViewStateValues } from '../src/views/state';
import { newTraceId } from '../src/trace';
import { buildNoticeModal } from '../src/views/notice-modal';
import type { HandlerDeps } from './deps';

/** Who is acting, in which workspace: what every configuration handler needs first. */
export interface Actor {
  teamId: string;
  enterpriseId: string | undefined;
  userId: string;
  traceId: string;
}

interface BoltContextLike {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
}

export function actorOf(
  context: BoltContextLike,
  body: { user?: { id: string }; user_id?: string; team?: { id: string } | null },
): Actor {
  return {
    teamId: context.teamId ?? body.team?.id ?? '',
    enterpriseId: context.enterpriseId,
    userId: body.user?.id ?? body.user_id ?? '',
    traceId: newTraceId(),
  };
}

/**
 * Checks the actor may configure Baton. When not, it shows who to ask in a small modal (when a trigger id is at
 * hand) and answers false; the caller then stops.
 */
export async function mayConfigure(
  deps: Pick<HandlerDeps, 'access'>,
  client: WebClient,
  actor: Actor,
  triggerId?: string,
): Promise<boolean> {
  if (await deps.access.canConfigure(client, actor.teamId, actor.userId)) return true;
  if (triggerId) {
    await client.views.open({
      trigger_id: triggerId,
      view: buildNoticeModal('Ask an admin', await deps.access.denial(actor.teamId)),
    });
  }
  return false;
}

export const parseMetadata = <T>(raw: string | undefined): Partial<T> => {
  try {
    return raw ? (JSON.parse(raw) as Partial<T>) : {};
  } catch {
    return {};
  }
};

type Respond = (message: { response_type: 'ephemeral'; replace_original: false; text: string }) => Promise<unknown>;

/** For buttons in messages: a non-admin gets an ephemeral "ask an admin"; answers whether to go on. */
export async function mayConfigureHere(
  deps: Pick<HandlerDeps, 'access'>,
  client: WebClient,
  actor: Actor,
  respond: Respond,
): Promise<boolean> {
  if (await deps.access.canConfigure(client, actor.teamId, actor.userId)) return true;
  await respond({ response_type: 'ephemeral', replace_original: false, text: await deps.access.denial(actor.teamId) });
  return false;
}

/** A modal submit's arguments, as Bolt hands them to a view listener. */
export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The start of every bot modal's submit (behind `forAdmins`): the bot named in the modal's metadata. Answers
 * undefined once it has acked (a bot deleted meanwhile: "Bot not found"); the caller then stops.
 */
export async function submittedBot(
  deps: Pick<HandlerDeps, 'stores'>,
  { ack, body, view, context }: SubmitArgs,
): Promise<{ actor: Actor; bot: Bot } | undefined> {
  const actor = actorOf(context, body);
  const botId = parseMetadata<{ botId: string }>(view.private_metadata).botId;
  const bot = botId ? await deps.stores.bots.get(actor.teamId, botId) : undefined;
  if (!bot) {
    await ack({ response_action: 'update', view: buildNoticeModal('Bot not found', 'This bot was deleted.') });
    return undefined;
  }
  return { actor, bot };
}

/**
 * The validated key of the given provider that a connection modal chose. Otherwise it acks with the problem on
 * the key field (or as a notice when the modal has no key field yet) and answers undefined.
 */
export async function submittedKey(
  deps: Pick<HandlerDeps, 'stores'>,
  actor: Actor,
  { ack, view }: SubmitArgs,
  provider: Provider,
  missing: string,
): Promise<ProviderKey | undefined> {
  const values = view.state.values as ViewStateValues;
  const keyId = selectedValue(values, INPUT.key);
  const key = keyId ? await deps.stores.keys.get(actor.teamId, keyId) : undefined;
  if (key?.validatedAt && key.provider === provider) return key;
  const error = key ? 'Validate the connection with this key before saving.' : missing;
  await ack(
    values[INPUT.key]
      ? { response_action: 'errors', errors: { [INPUT.key]: error } }
      : { response_action: 'update', view: buildNoticeModal('Add a key first', error) },
  );
  return undefined;
}
