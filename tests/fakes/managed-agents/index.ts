import { TurnEngine } from './engine';
import { EventLog } from './event-log';
import { FailureInjector, type FailureSpec } from './failures';
import { deleteSession } from './routes/sessions';
import type { MessagesResponder } from './routes/messages';
import { DEFAULT_TARGET, ScenarioRegistry } from './scenario-registry';
import type { ScenarioDefinition } from './scenario-types';
import { createFakeServer, DEFAULTS, type ServerOptions } from './server';
import { SseHub } from './sse';
import { FakeState } from './state';
import type {
  Agent,
  Environment,
  FakeModelInfo,
  KeyAccess,
  RecordedRequest,
  Session,
  SessionEvent,
  StoredCredential,
  Vault,
} from './types';

export { FakeApiError } from './errors';
export { MANAGED_AGENTS_BETA } from './server';
export { DEFAULT_MODELS } from './routes/models';
export type { FakeState } from './state';
export { loadScenarioFile, parseScenarioMarker } from './scenarios';
export type { FailureSpec } from './failures';
export type { FakeContentBlock, FakeMessageReply, MessagesResponder } from './routes/messages';
export type { EventDraft, ScenarioContext, ScenarioDefinition, Step } from './scenario-types';
export type { KeyAccess, RecordedRequest, StoredCredential } from './types';

/** The key `startFakeManagedAgents()` accepts unless `apiKeys` says otherwise. */
export const FAKE_API_KEY = 'test';
/** A key that authenticates but has no Managed Agents access (403 on /v1/agents, /v1/sessions, …). */
export const FAKE_NO_ACCESS_KEY = 'test-no-managed-agents';

export interface FakeManagedAgentsOptions {
  /** Defaults to `{ test: 'valid', 'test-no-managed-agents': 'no_managed_agents' }`. */
  apiKeys?: Record<string, KeyAccess>;
  /** Reject Managed Agents calls without `anthropic-beta: managed-agents-2026-04-01` (default true; the SDK always sends it). */
  isBetaHeaderRequired?: boolean;
  /** SSE `event: ping` interval; 0 disables (default 15 000). */
  heartbeatMs?: number;
  /** Pause before every scenario step (default 0: steps only yield to the event loop). */
  stepDelayMs?: number;
  hasEmptyInterruptIds?: boolean;
  models?: FakeModelInfo[];
  messagesResponder?: MessagesResponder;
  scenarios?: Record<string, ScenarioDefinition>;
  now?: () => Date;
}

export interface FakeManagedAgents {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly state: FakeState;
  /** Latest version of each agent. Deleting an entry models removal in the Console. */
  readonly agents: Map<string, Agent>;
  readonly environments: Map<string, Environment>;
  readonly vaults: Map<string, Vault>;
  readonly sessions: Map<string, Session>;
  /** Scenario bugs caught while running turns. */
  readonly scenarioErrors: Error[];
  /** Credentials with their secrets, as stored (responses never include them). */
  credentialsOf(vaultId: string): StoredCredential[];
  eventsOf(sessionId: string): SessionEvent[];
  /** `target` is a session id, an agent id or `'default'`; a `[scenario:…]` marker in the message still wins. */
  setScenario(target: string, name: string, options?: Record<string, string | number>): void;
  defineScenario(name: string, definition: ScenarioDefinition): void;
  setMessagesResponder(responder: MessagesResponder): void;
  setApiKey(key: string, access: KeyAccess | null): void;
  failNext(pathPattern: string | RegExp, spec: FailureSpec): void;
  /** Disarms every failure `failNext` armed that has not fired yet. */
  clearFailures(): void;
  /** Makes the MCP server reject this credential, as if it were revoked upstream. */
  rejectCredential(credentialId: string, isRejected?: boolean): void;
  /** Deletes any resource by id, as if done in the Console. A session emits `session.deleted` first. */
  removeRemotely(id: string): void;
  openStreamCount(sessionId: string): number;
  /** Resolves with the first logged event of this type (after `afterId`, if given). */
  waitForEvent(sessionId: string, type: string, opts?: { afterId?: string; timeoutMs?: number }): Promise<SessionEvent>;
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1, port 0. Point the real SDK at it with
 * `new Anthropic({ apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 })`.
 */
export async function startFakeManagedAgents(opts: FakeManagedAgentsOptions = {}): Promise<FakeManagedAgents> {
  const state = new FakeState(opts.now ?? (() => new Date()));
  const hub = new SseHub(opts.heartbeatMs ?? 15_000);
  const log = new EventLog(state, hub);
  const scenarios = new ScenarioRegistry();
  for (const [name, definition] of Object.entries(opts.scenarios ?? {})) scenarios.define(name, definition);
  const engine = new TurnEngine(state, hub, log, scenarios, {
    stepDelayMs: opts.stepDelayMs ?? 0,
    hasEmptyInterruptIds: opts.hasEmptyInterruptIds ?? false,
  });
  const options: ServerOptions = {
    apiKeys: new Map<string, KeyAccess>(
      Object.entries(opts.apiKeys ?? { [FAKE_API_KEY]: 'valid', [FAKE_NO_ACCESS_KEY]: 'no_managed_agents' }),
    ),
    isBetaHeaderRequired: opts.isBetaHeaderRequired ?? true,
    models: opts.models ?? DEFAULTS.models,
    messagesResponder: opts.messagesResponder ?? DEFAULTS.messagesResponder,
  };
  const failures = new FailureInjector();
  const requests: RecordedRequest[] = [];
  const server = createFakeServer({ state, hub, log, engine, scenarios, failures, requests, options });
  const url = await server.listen();

  const removeRemotely = (id: string): void => {
    const prefix = id.slice(0, id.indexOf('_'));
    if (prefix === 'sesn') deleteSession({ state, engine, hub, log }, id);
    else if (prefix === 'agent') {
      state.agents.delete(id);
      state.agentVersions.delete(id);
    } else if (prefix === 'env') state.environments.delete(id);
    else if (prefix === 'vcrd') state.credentials.delete(id);
    else if (prefix === 'vlt') {
      for (const c of state.credentialsOf(id)) state.credentials.delete(c.credential.id);
      state.vaults.delete(id);
    } else throw new Error(`removeRemotely: unknown id ${id}`);
  };

  const waitForEvent: FakeManagedAgents['waitForEvent'] = (sessionId, type, { afterId, timeoutMs = 5_000 } = {}) =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const events = state.events.get(sessionId) ?? [];
        const from = afterId ? events.findIndex((e) => e.id === afterId) + 1 : 0;
        const found = events.slice(from).find((e) => e.type === type);
        if (found) return resolve(found);
        if (Date.now() - started > timeoutMs)
          return reject(new Error(`No ${type} in ${sessionId} after ${timeoutMs} ms`));
        setTimeout(poll, 5);
      };
      poll();
    });

  return {
    url,
    requests,
    state,
    agents: state.agents,
    environments: state.environments,
    vaults: state.vaults,
    sessions: state.sessions,
    scenarioErrors: engine.scenarioErrors,
    credentialsOf: (vaultId) => state.credentialsOf(vaultId),
    eventsOf: (sessionId) => state.events.get(sessionId) ?? [],
    setScenario: (target, name, scenarioOptions) => scenarios.assign(target || DEFAULT_TARGET, name, scenarioOptions),
    defineScenario: (name, definition) => scenarios.define(name, definition),
    setMessagesResponder: (responder) => {
      options.messagesResponder = responder;
    },
    setApiKey: (key, access) => {
      if (access) options.apiKeys.set(key, access);
      else options.apiKeys.delete(key);
    },
    failNext: (pattern, spec) => failures.add(pattern, spec),
    clearFailures: () => failures.clear(),
    rejectCredential: (credentialId, isRejected = true) => {
      const stored = state.credentials.get(credentialId);
      if (!stored) throw new Error(`rejectCredential: unknown credential ${credentialId}`);
      stored.isRejected = isRejected;
    },
    removeRemotely,
    openStreamCount: (sessionId) => hub.count(sessionId),
    waitForEvent,
    close: () => server.close(),
  };
}
