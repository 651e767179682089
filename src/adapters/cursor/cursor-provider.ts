import { createHash } from 'node:crypto';
import type { Bot } from '../../domain/bots';
import type { CursorConnection } from '../../domain/cursor';
import type { BatonEvent } from '../../domain/events';
import { ProviderError, type ProviderErrorKind, type StartedSession } from '../../ports/agent-provider';
import type { AgentProvider, ProviderConnection, StartRequest } from '../../ports/agent-provider';
import { nameOf, type CursorApi } from './cursor-api';
import { CursorApiError, explainCursorError, type CursorErrorCode } from './errors';
import { eventId, fromEndedRun, fromStreamEvent } from './events';
import type { FollowUpQueue } from './follow-ups';
import { TERMINAL_RUN_STATUSES, type CursorMcpServer, type CursorRun } from './types';

/** Where the adapter reads a bot's Cursor settings and the key in plain text. */
export interface CursorSettingsSource {
  get(botId: string): Promise<CursorConnection | undefined>;
  revealKey(teamId: string, keyId: string): Promise<string | undefined>;
}

export interface CursorProviderOptions {
  api: CursorApi;
  settings: CursorSettingsSource;
  followUps: FollowUpQueue;
  /** How often a run is polled when its stream has expired. */
  pollMs?: number;
}

const KIND: Partial<Record<CursorErrorCode, ProviderErrorKind>> = {
  unauthorized: 'invalid_key',
  plan_required: 'no_access',
  repository_access: 'no_access',
  integration_not_connected: 'no_access',
  rate_limit_exceeded: 'rate_limited',
  network: 'network',
  not_found: 'not_found',
};

/** Cursor's agent id for a Baton session: the same every time, so a second `start` finds the first one's agent. */
export function agentIdFor(sessionId: string): string {
  const h = createHash('sha256').update(`baton:${sessionId}`).digest('hex');
  return `bc-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Cursor Cloud bots: a session is one Cursor agent; its first run carries the task, each follow-up a new run. */
export class CursorProvider implements AgentProvider {
  readonly type = 'cursor' as const;
  constructor(private readonly options: CursorProviderOptions) {}

  async open(teamId: string, bot: Bot): Promise<ProviderConnection | { problem: string }> {
    const connection = await this.options.settings.get(bot.id);
    if (!connection?.keyId) {
      return { problem: `${bot.name} has no Cursor API key yet. Ask an admin to open its Agent connection.` };
    }
    const key = await this.options.settings.revealKey(teamId, connection.keyId);
    if (!key) return { problem: `${bot.name}'s Cursor API key was deleted. Ask an admin to choose another one.` };
    return new CursorConnectionSession(this.options, connection, key);
  }
}

class CursorConnectionSession implements ProviderConnection {
  private readonly repository: string | null;

  constructor(
    private readonly options: CursorProviderOptions,
    private readonly connection: CursorConnection,
    private readonly key: string,
  ) {
    this.repository = connection.repository ? nameOf(connection.repository) : null;
  }

  private fail(error: unknown): never {
    if (error instanceof CursorApiError) {
      throw new ProviderError(KIND[error.code] ?? 'provider', explainCursorError(error, this.repository), {
        cause: error,
      });
    }
    throw error;
  }

  async start(request: StartRequest): Promise<StartedSession> {
    const { api } = this.options;
    const { connection } = this;
    const agentId = agentIdFor(request.session.id);
    const uses = `Cursor Cloud${this.repository ? ` · ${this.repository}` : ''}`;
    const mcpServers: CursorMcpServer[] = [
      {
        name: 'baton',
        type: 'http',
        url: request.mcp.url,
        headers: { Authorization: `Bearer ${request.mcp.token}` },
      },
    ];
    const body = {
      agentId,
      name: `${request.bot.displayName}: ${request.session.task || 'Slack thread'}`.slice(0, 100),
      prompt: { text: request.task },
      ...(connection.model ? { model: { id: connection.model } } : {}),
      repos: connection.repository
        ? [{ url: connection.repository, ...(connection.branch ? { startingRef: connection.branch } : {}) }]
        : [],
      autoCreatePR: connection.isAutoCreatePr,
    };
    try {
      await api.createAgent(this.key, { ...body, mcpServers });
      return { providerSessionId: agentId, state: { agentId, mcp: 'on', uses } };
    } catch (error) {
      if (error instanceof CursorApiError && error.code === 'agent_id_conflict') {
        // An earlier attempt created the agent, and with it the first run: the task has arrived.
        return { providerSessionId: agentId, state: { agentId, mcp: 'on', uses } };
      }
      if (!(error instanceof CursorApiError) || error.code !== 'mcp_not_allowed') this.fail(error);
    }
    // This key may not attach MCP servers: the agent runs without Baton's thread tools.
    try {
      await api.createAgent(this.key, body);
    } catch (error) {
      if (!(error instanceof CursorApiError) || error.code !== 'agent_id_conflict') this.fail(error);
    }
    return { providerSessionId: agentId, state: { agentId, mcp: 'off', uses } };
  }

  async send(agentId: string, text: string): Promise<void> {
    try {
      await this.options.api.createRun(this.key, agentId, text);
    } catch (error) {
      if (!(error instanceof CursorApiError) || error.code !== 'agent_busy') this.fail(error);
      await this.options.followUps.push(agentId, text);
    }
  }

  async interrupt(agentId: string): Promise<void> {
    await this.options.followUps.clear(agentId);
    try {
      const agent = await this.options.api.getAgent(this.key, agentId);
      if (agent.latestRunId) await this.options.api.cancelRun(this.key, agentId, agent.latestRunId);
    } catch (error) {
      if (error instanceof CursorApiError && ['run_not_cancellable', 'not_found'].includes(error.code)) return;
      this.fail(error);
    }
  }

  /** Cursor agents never ask before running a tool. */
  async confirmTool(): Promise<void> {}

  async *events(
    agentId: string,
    from: { lastEventId: string | null; seen: ReadonlySet<string> },
    signal: AbortSignal,
  ): AsyncIterable<BatonEvent> {
    const emitted = new Set<string>();
    const fresh = (events: BatonEvent[]) =>
      events.filter((e) => !from.seen.has(e.id) && !emitted.has(e.id) && emitted.add(e.id));
    for (;;) {
      let runs: CursorRun[];
      try {
        runs = await this.options.api.listRuns(this.key, agentId);
      } catch (error) {
        this.fail(error);
      }
      const run = runs.find((r) => !from.seen.has(eventId(r.id, 'end')) && !emitted.has(eventId(r.id, 'end')));
      if (!run) {
        // Every run has ended: a follow-up that waited for that goes out now, else the session is idle.
        if (!(await this.sendQueued(agentId))) return;
        continue;
      }
      const resumeFrom = from.lastEventId?.startsWith(`${run.id}:`) ? from.lastEventId.slice(run.id.length + 1) : null;
      yield* fresh([{ id: eventId(run.id, 'start'), raw: { run }, kind: 'turn_started', text: null }]);
      let hasStreamError = false;
      for await (const event of this.follow(agentId, run, resumeFrom, signal)) {
        if (event.kind === 'error') hasStreamError = true;
        yield* fresh([event]);
      }
      if (signal.aborted) return;
      let ended: CursorRun;
      try {
        ended = await this.options.api.getRun(this.key, agentId, run.id);
      } catch (error) {
        this.fail(error);
      }
      yield* fresh(fromEndedRun(ended, hasStreamError, this.repository));
      if (!(await this.sendQueued(agentId))) return;
    }
  }

  /** The run's stream until it ends; when Cursor no longer keeps the stream, the run is polled instead. */
  private async *follow(
    agentId: string,
    run: CursorRun,
    lastEventId: string | null,
    signal: AbortSignal,
  ): AsyncIterable<BatonEvent> {
    let isDone = false;
    try {
      for await (const e of this.options.api.stream(this.key, agentId, run.id, lastEventId, signal)) {
        if (e.event === 'done') {
          isDone = true;
          break;
        }
        yield* fromStreamEvent(run.id, e, this.repository);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (!(error instanceof CursorApiError) || error.code !== 'stream_expired') {
        throw new ProviderError('stream', 'The Cursor event stream broke.', { cause: error });
      }
      await this.poll(agentId, run.id, signal);
      return;
    }
    if (!isDone && !signal.aborted) throw new ProviderError('stream', 'The Cursor event stream closed early.');
  }

  private async poll(agentId: string, runId: string, signal: AbortSignal): Promise<void> {
    const pollMs = this.options.pollMs ?? 2_000;
    while (!signal.aborted) {
      try {
        const run = await this.options.api.getRun(this.key, agentId, runId);
        if (TERMINAL_RUN_STATUSES.has(run.status)) return;
      } catch (error) {
        this.fail(error);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async sendQueued(agentId: string): Promise<boolean> {
    const text = await this.options.followUps.peek(agentId);
    if (text === undefined) return false;
    try {
      await this.options.api.createRun(this.key, agentId, text);
    } catch (error) {
      if (error instanceof CursorApiError && error.code === 'agent_busy') return true;
      this.fail(error);
    }
    await this.options.followUps.shift(agentId);
    return true;
  }

  async cleanup(agentId: string | null, state: Record<string, string>): Promise<void> {
    const id = agentId ?? state.agentId;
    if (!id) return;
    await this.options.followUps.clear(id);
    try {
      await this.options.api.archiveAgent(this.key, id);
    } catch (error) {
      if (error instanceof CursorApiError && error.status >= 400 && error.status < 500) return;
      this.fail(error);
    }
  }
}
