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
