import type { WebClient } from '@slack/web-api';
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

type SubmitAck = (response: { response_action: 'update'; view: ReturnType<typeof buildNoticeModal> }) => Promise<void>;

/** For modal submissions: a non-admin's submit turns the modal into "ask an admin", and nothing is saved. */
export async function maySubmit(
  deps: Pick<HandlerDeps, 'access'>,
  client: WebClient,
  actor: Actor,
  ack: SubmitAck,
): Promise<boolean> {
  if (await deps.access.canConfigure(client, actor.teamId, actor.userId)) return true;
  await ack({
    response_action: 'update',
    view: buildNoticeModal('Ask an admin', await deps.access.denial(actor.teamId)),
  });
  return false;
}
