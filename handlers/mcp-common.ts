import type { WebClient } from '@slack/web-api';
import { createJob } from '../jobs/definitions';
import { ignoreSlackErrors } from '../src/adapters/slack/errors';
import { connectionView } from '../src/bots/catalog';
import type { Actor } from './context';
import type { HandlerDeps } from './deps';

/** An MCP server changed: the bot syncs (agent declaration, vault credential) and its open modal is redrawn. */
export async function afterMcpChange(
  deps: HandlerDeps,
  client: WebClient,
  actor: Actor,
  botId: string,
  parentViewId: string | undefined,
): Promise<void> {
  const connection = await deps.stores.connections.get(botId);
  if (connection?.mode === 'managed' && connection.agentId) {
    await deps.stores.bots.setStatus(botId, 'syncing', 'updating MCP servers');
  }
  if (parentViewId) {
    const view = await connectionView(deps.stores, actor, botId);
    // The modal may have been closed meanwhile; the change is saved either way.
    if (view)
      await ignoreSlackErrors(['not_found', 'view_not_found'], () =>
        client.views.update({ view_id: parentViewId, view }),
      );
  }
  // Enqueued after the redraw, so the job's own redraw (with the servers' new states) comes last.
  if (connection?.mode === 'managed' && connection.agentId) {
    await deps.queue.enqueue(
      createJob(
        'sync-bot',
        { ...actor, botId, actorId: actor.userId, ...(parentViewId ? { viewId: parentViewId } : {}) },
        botId,
      ),
    );
  }
}
