import { badRequest } from '../errors';
import { queryBool } from '../http';
import { cursorPage } from '../pagination';
import { json, type Route, type RouteContext } from '../router';
import type { Vault } from '../types';
import { asObject, patchMetadata, requireString, validateMetadata } from '../validate';

function createVault({ state, body }: RouteContext) {
  const input = asObject(body);
  const now = state.now();
  const vault: Vault = {
    id: state.ids.next('vlt'),
    type: 'vault',
    display_name: requireString(input, 'display_name', 'display_name', 255),
    metadata: validateMetadata(input['metadata']),
    created_at: now,
    updated_at: now,
    archived_at: null,
  };
  state.vaults.set(vault.id, vault);
  state.created.set(vault.id, vault);
  return json(vault);
}

function updateVault({ state, params, body }: RouteContext) {
  const vault = state.getVault(params['id'] ?? '');
  const input = asObject(body);
  if (vault.archived_at) throw badRequest(`Vault ${vault.id} is archived.`);
  if (input['display_name'] !== undefined && input['display_name'] !== null) {
    vault.display_name = requireString(input, 'display_name', 'display_name', 255);
  }
  vault.metadata = patchMetadata(vault.metadata, input['metadata']);
  vault.updated_at = state.now();
  return json(vault);
}

function listVaults({ state, query }: RouteContext) {
  const includeArchived = queryBool(query, 'include_archived');
  return json(
    cursorPage(
      [...state.vaults.values()].filter((v) => includeArchived || !v.archived_at),
      query,
    ),
  );
}

function archiveVault({ state, params }: RouteContext) {
  const vault = state.getVault(params['id'] ?? '');
  if (!vault.archived_at) {
    const now = state.now();
    Object.assign(vault, { archived_at: now, updated_at: now });
    for (const stored of state.credentialsOf(vault.id)) stored.credential.archived_at ??= now;
  }
  return json(vault);
}

function deleteVault({ state, params }: RouteContext) {
  const vault = state.getVault(params['id'] ?? '');
  for (const stored of state.credentialsOf(vault.id)) state.credentials.delete(stored.credential.id);
  state.vaults.delete(vault.id);
  return json({ id: vault.id, type: 'vault_deleted' });
}

const ma = 'managed-agents' as const;
export const vaultRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/vaults', family: ma, handle: createVault },
  { method: 'GET', pattern: '/v1/vaults', family: ma, handle: listVaults },
  { method: 'GET', pattern: '/v1/vaults/:id', family: ma, handle: (c) => json(c.state.getVault(c.params['id'] ?? '')) },
  { method: 'POST', pattern: '/v1/vaults/:id', family: ma, handle: updateVault },
  { method: 'DELETE', pattern: '/v1/vaults/:id', family: ma, handle: deleteVault },
  { method: 'POST', pattern: '/v1/vaults/:id/archive', family: ma, handle: archiveVault },
];
