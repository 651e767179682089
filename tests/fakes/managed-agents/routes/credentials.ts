import { badRequest, conflict } from '../errors';
import { queryBool } from '../http';
import { cursorPage } from '../pagination';
import { json, type Route, type RouteContext } from '../router';
import type { Credential, JsonObject, StoredCredential } from '../types';
import { asObject, isObject, optionalString, patchMetadata, requireString, validateMetadata } from '../validate';

const MAX_CREDENTIALS_PER_VAULT = 20;

function validateAuth(value: unknown): JsonObject {
  const auth = asObject(value, 'auth');
  switch (auth['type']) {
    case 'static_bearer':
      requireString(auth, 'mcp_server_url', 'auth.mcp_server_url');
      requireString(auth, 'token', 'auth.token');
      break;
    case 'mcp_oauth':
      requireString(auth, 'mcp_server_url', 'auth.mcp_server_url');
      requireString(auth, 'access_token', 'auth.access_token');
      if (auth['refresh'] !== undefined && auth['refresh'] !== null) {
        const refresh = asObject(auth['refresh'], 'auth.refresh');
        for (const key of ['client_id', 'refresh_token', 'token_endpoint'])
          requireString(refresh, key, `auth.refresh.${key}`);
        asObject(refresh['token_endpoint_auth'], 'auth.refresh.token_endpoint_auth');
      }
      break;
    case 'environment_variable': {
      requireString(auth, 'secret_name', 'auth.secret_name');
      requireString(auth, 'secret_value', 'auth.secret_value');
      const networking = asObject(auth['networking'], 'auth.networking');
      if (networking['type'] === 'limited' && !Array.isArray(networking['allowed_hosts'])) {
        throw badRequest('auth.networking.allowed_hosts: Field required');
      }
      break;
    }
    default:
      throw badRequest("auth.type: Input should be 'static_bearer', 'mcp_oauth' or 'environment_variable'");
  }
  return structuredClone(auth);
}

/** What the API echoes back: only non-secret fields, never tokens, secrets or refresh tokens. */
export function publicAuth(auth: JsonObject): Credential['auth'] {
  if (auth['type'] === 'static_bearer')
    return { type: 'static_bearer', mcp_server_url: String(auth['mcp_server_url']) };
  if (auth['type'] === 'mcp_oauth') {
    const refresh = isObject(auth['refresh']) ? auth['refresh'] : null;
    const endpointAuth =
      refresh && isObject(refresh['token_endpoint_auth']) ? refresh['token_endpoint_auth'] : { type: 'none' };
    return {
      type: 'mcp_oauth',
      mcp_server_url: String(auth['mcp_server_url']),
      expires_at: typeof auth['expires_at'] === 'string' ? auth['expires_at'] : null,
      refresh: refresh && {
        client_id: String(refresh['client_id']),
        token_endpoint: String(refresh['token_endpoint']),
        token_endpoint_auth: { type: endpointAuth['type'] } as { type: 'none' },
        scope: typeof refresh['scope'] === 'string' ? refresh['scope'] : null,
        resource: typeof refresh['resource'] === 'string' ? refresh['resource'] : null,
      },
    };
  }
  const injection = isObject(auth['injection_location']) ? auth['injection_location'] : {};
  return {
    type: 'environment_variable',
    secret_name: String(auth['secret_name']),
    networking: structuredClone(auth['networking']) as { type: 'unrestricted' },
    injection_location: { body: injection['body'] === true, header: injection['header'] !== false },
  };
}

function createCredential({ state, params, body }: RouteContext) {
  const vault = state.getVault(params['vault_id'] ?? '');
  if (vault.archived_at) throw badRequest(`Vault ${vault.id} is archived.`);
  const input = asObject(body);
  const secretAuth = validateAuth(input['auth']);
  const live = state.credentialsOf(vault.id).filter((c) => !c.credential.archived_at);
  if (live.length >= MAX_CREDENTIALS_PER_VAULT) throw badRequest(`Vault ${vault.id} already holds 20 credentials.`);
  const url = secretAuth['mcp_server_url'];
  if (url && live.some((c) => 'mcp_server_url' in c.credential.auth && c.credential.auth.mcp_server_url === url)) {
    throw conflict(`Vault ${vault.id} already has an active credential for ${String(url)}.`);
  }
  const now = state.now();
  const credential: Credential = {
    id: state.ids.next('vcrd'),
    type: 'vault_credential',
    vault_id: vault.id,
    display_name: optionalString(input, 'display_name') ?? null,
    metadata: validateMetadata(input['metadata']),
    auth: publicAuth(secretAuth),
    created_at: now,
    updated_at: now,
    archived_at: null,
  };
  state.credentials.set(credential.id, { credential, secretAuth, isRejected: false });
  return json(credential);
}

function updateCredential({ state, params, body }: RouteContext) {
  const stored = state.getCredential(params['vault_id'] ?? '', params['id'] ?? '');
  const input = asObject(body);
  if (input['auth'] !== undefined) {
    const patch = asObject(input['auth'], 'auth');
    if (patch['type'] !== stored.secretAuth['type']) throw badRequest('auth.type cannot be changed.');
    for (const key of ['mcp_server_url', 'secret_name']) {
      if (patch[key] !== undefined && patch[key] !== stored.secretAuth[key])
        throw badRequest(`auth.${key} cannot be changed.`);
    }
    for (const [key, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      stored.secretAuth[key] =
        isObject(v) && isObject(stored.secretAuth[key]) ? { ...(stored.secretAuth[key] as JsonObject), ...v } : v;
    }
    stored.credential.auth = publicAuth(stored.secretAuth);
  }
  if (input['display_name'] !== undefined)
    stored.credential.display_name = optionalString(input, 'display_name') ?? null;
  stored.credential.metadata = patchMetadata(stored.credential.metadata, input['metadata']);
  stored.credential.updated_at = state.now();
  return json(stored.credential);
}

function listCredentials({ state, params, query }: RouteContext) {
  state.getVault(params['vault_id'] ?? '');
  const includeArchived = queryBool(query, 'include_archived');
  const items = state
    .credentialsOf(params['vault_id'] ?? '')
    .filter((c) => includeArchived || !c.credential.archived_at);
  return json(
    cursorPage(
      items.map((c) => c.credential),
      query,
    ),
  );
}

function archiveCredential({ state, params }: RouteContext) {
  const { credential } = state.getCredential(params['vault_id'] ?? '', params['id'] ?? '');
  if (!credential.archived_at) {
    const now = state.now();
    Object.assign(credential, { archived_at: now, updated_at: now });
  }
  return json(credential);
}

function deleteCredential({ state, params }: RouteContext) {
  const { credential } = state.getCredential(params['vault_id'] ?? '', params['id'] ?? '');
  state.credentials.delete(credential.id);
  return json({ id: credential.id, type: 'vault_credential_deleted' });
}

function validateOAuth({ state, params }: RouteContext) {
  const stored: StoredCredential = state.getCredential(params['vault_id'] ?? '', params['id'] ?? '');
  if (stored.secretAuth['type'] !== 'mcp_oauth') throw badRequest('Only mcp_oauth credentials can be validated.');
  const hasRefresh = isObject(stored.secretAuth['refresh']);
  return json({
    type: 'vault_credential_validation',
    credential_id: stored.credential.id,
    vault_id: stored.credential.vault_id,
    status: stored.isRejected ? 'invalid' : 'valid',
    has_refresh_token: hasRefresh,
    mcp_probe: { method: 'initialize', http_response: null },
    refresh: hasRefresh ? null : { status: 'no_refresh_token', http_response: null },
    validated_at: state.now(),
  });
}

const ma = 'managed-agents' as const;
const one = '/v1/vaults/:vault_id/credentials/:id';
export const credentialRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/vaults/:vault_id/credentials', family: ma, handle: createCredential },
  { method: 'GET', pattern: '/v1/vaults/:vault_id/credentials', family: ma, handle: listCredentials },
  {
    method: 'GET',
    pattern: one,
    family: ma,
    handle: (c) => json(c.state.getCredential(c.params['vault_id'] ?? '', c.params['id'] ?? '').credential),
  },
  { method: 'POST', pattern: one, family: ma, handle: updateCredential },
  { method: 'DELETE', pattern: one, family: ma, handle: deleteCredential },
  { method: 'POST', pattern: `${one}/archive`, family: ma, handle: archiveCredential },
  { method: 'POST', pattern: `${one}/mcp_oauth_validate`, family: ma, handle: validateOAuth },
];
