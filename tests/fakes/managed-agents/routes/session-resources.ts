import { badRequest, notFound } from '../errors';
import { cursorPage } from '../pagination';
import { json, type Route, type RouteContext } from '../router';
import { buildResource } from '../session-agent';
import type { Session, StoredResource } from '../types';
import { asObject, requireString } from '../validate';

function resourcesOf(ctx: RouteContext): { session: Session; list: StoredResource[] } {
  const session = ctx.state.getSession(ctx.params['sid'] ?? '');
  let list = ctx.state.sessionResources.get(session.id);
  if (!list) {
    list = [];
    ctx.state.sessionResources.set(session.id, list);
  }
  return { session, list };
}

function findResource(ctx: RouteContext): { session: Session; list: StoredResource[]; stored: StoredResource } {
  const { session, list } = resourcesOf(ctx);
  const stored = list.find((r) => r.resource.id === ctx.params['id']);
  if (!stored) throw notFound(`Resource ${ctx.params['id'] ?? ''} not found.`);
  return { session, list, stored };
}

const sync = (session: Session, list: StoredResource[]) => {
  session.resources = list.map((r) => r.resource) as unknown as Session['resources'];
};

/** SDK 1.12.0 only adds `file` resources after creation. */
function addResource(ctx: RouteContext) {
  const { session, list } = resourcesOf(ctx);
  if (asObject(ctx.body)['type'] !== 'file') throw badRequest("type: Input should be 'file'");
  const stored = buildResource(ctx.state, ctx.body, 'body');
  list.push(stored);
  sync(session, list);
  return json(stored.resource);
}

/** Token rotation for repositories; the token is stored but never returned. */
function updateResource(ctx: RouteContext) {
  const { stored } = findResource(ctx);
  if (stored.resource.type !== 'github_repository')
    throw badRequest('Only github_repository resources can be updated.');
  stored.authorizationToken = requireString(asObject(ctx.body), 'authorization_token');
  stored.resource['updated_at'] = ctx.state.now();
  return json(stored.resource);
}

function deleteResource(ctx: RouteContext) {
  const { session, list, stored } = findResource(ctx);
  list.splice(list.indexOf(stored), 1);
  sync(session, list);
  return json({ id: stored.resource.id, type: 'session_resource_deleted' });
}

const ma = 'managed-agents' as const;
const one = '/v1/sessions/:sid/resources/:id';
export const sessionResourceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/v1/sessions/:sid/resources',
    family: ma,
    handle: (c) =>
      json(
        cursorPage(
          resourcesOf(c).list.map((r) => r.resource),
          c.query,
        ),
      ),
  },
  { method: 'POST', pattern: '/v1/sessions/:sid/resources', family: ma, handle: addResource },
  { method: 'GET', pattern: one, family: ma, handle: (c) => json(findResource(c).stored.resource) },
  { method: 'POST', pattern: one, family: ma, handle: updateResource },
  { method: 'DELETE', pattern: one, family: ma, handle: deleteResource },
];
