import type { GitHubRepositoryStore } from '../../models/github';
import type { GitHubConnection } from '../domain/github';
import type { Logger } from '../log';
import type { CodeHost, CodeHostEvent } from '../ports/code-host';
import type { AuditTrail, EventDedupe } from '../ports/storage';

export interface GitHubWebhookDeps {
  codeHost: CodeHost;
  github: GitHubRepositoryStore;
  dedupe: EventDedupe;
  audit: AuditTrail;
  log: Logger;
}

/** GitHub keeps deliveries for manual redelivery for 3 days; a claim outlives that. */
const DELIVERY_TTL_MS = 4 * 24 * 60 * 60 * 1000;

export interface Delivery {
  id: string;
  name: string;
  signature: string;
  payload: string;
}

/** Applies one verified delivery to the bots bound to its installation. Deliveries seen before change nothing. */
export async function receiveGitHubDelivery(
  deps: GitHubWebhookDeps,
  delivery: Delivery,
): Promise<'applied' | 'duplicate'> {
  const event = await deps.codeHost.receive(delivery);
  if (!(await deps.dedupe.claim(`github-delivery-${delivery.id}`, DELIVERY_TTL_MS))) return 'duplicate';
  const touched = await apply(deps.github, event);
  for (const connection of touched) {
    await deps.audit.record({
      teamId: connection.teamId,
      actorId: 'github',
      action: `github.${event.kind}`,
      target: connection.botId,
      details: { account: connection.account, state: connection.state },
    });
  }
  deps.log.info({
    event: 'github.webhook',
    delivery: delivery.id,
    name: delivery.name,
    kind: event.kind,
    bots: touched.length,
  });
  return 'applied';
}

function apply(github: GitHubRepositoryStore, event: CodeHostEvent): Promise<GitHubConnection[]> {
  switch (event.kind) {
    case 'installation_removed':
      return github.setState(event.installationId, 'uninstalled');
    case 'installation_suspended':
      return github.setState(event.installationId, event.isSuspended ? 'suspended' : 'active');
    case 'repositories_changed':
      return github.changeRepositories(event.installationId, event.added, event.removed);
    case 'ignored':
      return Promise.resolve([]);
  }
}
