import type { EventLog } from './event-log';
import { builtInPolicyFor, mcpPolicyFor } from './resolve';
import type { EventDraft, ModelUsage, RetryStatus, Step } from './scenario-types';
import type { SseHub } from './sse';
import type { FakeState } from './state';
import { TurnCancelled, type ToolUseRecord, type Turn } from './turn';
import type { JsonObject, Session } from './types';

export interface StepContext {
  sessionId: string;
  turn: Turn;
  log: EventLog;
  hub: SseHub;
  state: FakeState;
  stepDelayMs: number;
}

type Outcome = 'continue' | 'ended';

const DEFAULT_INPUT_TOKENS = 800;

function session(ctx: StepContext): Session {
  const s = ctx.state.sessions.get(ctx.sessionId);
  if (!s) throw new TurnCancelled();
  return s;
}

function emit(ctx: StepContext, draft: EventDraft, id?: string): string {
  ctx.turn.throwIfCancelled();
  const event = ctx.log.emit(ctx.sessionId, draft, id);
  if (!event) throw new TurnCancelled();
  return event.id;
}

/** Ends the open model-request span (if any) and adds its usage to the session. Also used on interrupt. */
export function closeSpan(
  log: EventLog,
  state: FakeState,
  sessionId: string,
  turn: Turn,
  opts: { usage?: Partial<ModelUsage>; isError?: boolean } = {},
): void {
  const span = turn.openSpan;
  if (!span) return;
  turn.openSpan = null;
  const usage: ModelUsage = {
    input_tokens: opts.usage?.input_tokens ?? DEFAULT_INPUT_TOKENS,
    output_tokens: opts.usage?.output_tokens ?? Math.max(1, Math.ceil(span.outputChars / 4)),
    cache_creation_input_tokens: opts.usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: opts.usage?.cache_read_input_tokens ?? 0,
  };
  log.emit(sessionId, {
    type: 'span.model_request_end',
    model_request_start_id: span.id,
    is_error: opts.isError ?? false,
    model_usage: usage,
  });
  const s = state.sessions.get(sessionId);
  if (!s) return;
  s.usage.input_tokens = (s.usage.input_tokens ?? 0) + usage.input_tokens;
  s.usage.output_tokens = (s.usage.output_tokens ?? 0) + usage.output_tokens;
  s.usage.cache_read_input_tokens = (s.usage.cache_read_input_tokens ?? 0) + usage.cache_read_input_tokens;
}

function ensureSpan(ctx: StepContext): { id: string; outputChars: number } {
  if (!ctx.turn.openSpan) ctx.turn.openSpan = { id: emit(ctx, { type: 'span.model_request_start' }), outputChars: 0 };
  return ctx.turn.openSpan;
}

function substituteRefs(value: unknown, turn: Turn): unknown {
  if (typeof value === 'string' && value.startsWith('$ref:')) return turn.label(value.slice(5)).eventId;
  if (Array.isArray(value)) return value.map((v) => substituteRefs(v, turn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteRefs(v, turn)]));
  }
  return value;
}

function message(ctx: StepContext, text: string, chunkSize = 200): void {
  const span = ensureSpan(ctx);
  const id = ctx.log.newId();
  if (ctx.hub.hasDeltaListener(ctx.sessionId, 'agent.message')) {
    ctx.hub.broadcastPreview(ctx.sessionId, 'agent.message', {
      type: 'event_start',
      event: { type: 'agent.message', id },
    } as EventDraft);
    for (let i = 0; i < text.length; i += chunkSize) {
      const content = { type: 'text', text: text.slice(i, i + chunkSize) };
      ctx.hub.broadcastPreview(ctx.sessionId, 'agent.message', {
        type: 'event_delta',
        event_id: id,
        delta: { type: 'content_delta', index: 0, content },
      } as EventDraft);
    }
  }
  span.outputChars += text.length;
  emit(ctx, { type: 'agent.message', content: [{ type: 'text', text }] }, id);
}

function thinking(ctx: StepContext): void {
  ensureSpan(ctx);
  const id = ctx.log.newId();
  // Thinking previews carry no text: only event_start is sent.
  ctx.hub.broadcastPreview(ctx.sessionId, 'agent.thinking', {
    type: 'event_start',
    event: { type: 'agent.thinking', id },
  } as EventDraft);
  emit(ctx, { type: 'agent.thinking' }, id);
}

function evaluation(policy: string): { evaluated_permission: 'allow' | 'ask'; evaluation: JsonObject } {
  if (policy === 'always_ask') return { evaluated_permission: 'ask', evaluation: { type: 'always_ask' } };
  if (policy === 'auto')
    return { evaluated_permission: 'allow', evaluation: { type: 'auto', evaluated_permission: { type: 'allow' } } };
  return { evaluated_permission: 'allow', evaluation: { type: 'always_allow' } };
}

function toolUse(
  ctx: StepContext,
  kind: ToolUseRecord['kind'],
  spec: { name: string; input?: JsonObject; as: string; server?: string; permission?: 'allow' | 'ask' },
): void {
  ensureSpan(ctx);
  const agent = session(ctx).agent;
  const input = spec.input ?? {};
  let draft: EventDraft;
  let needsAction: boolean;
  if (kind === 'custom') {
    draft = { type: 'agent.custom_tool_use', name: spec.name, input };
    needsAction = true;
  } else {
    const server = spec.server ?? agent.mcp_servers[0]?.name ?? 'linear';
    const policy =
      spec.permission === 'ask'
        ? 'always_ask'
        : spec.permission === 'allow'
          ? 'always_allow'
          : kind === 'mcp'
            ? mcpPolicyFor(agent.tools, server, spec.name)
            : builtInPolicyFor(agent.tools, spec.name);
    const perm = evaluation(policy);
    draft =
      kind === 'mcp'
        ? { type: 'agent.mcp_tool_use', mcp_server_name: server, name: spec.name, input, ...perm }
        : { type: 'agent.tool_use', name: spec.name, input, ...perm };
    needsAction = perm.evaluated_permission === 'ask';
  }
  ctx.turn.register(spec.as, { eventId: emit(ctx, draft), kind, needsAction });
}

async function awaitActions(ctx: StepContext, labels: string[]): Promise<void> {
  for (const label of labels) ctx.turn.label(label);
  if (ctx.turn.unresolved().length === 0) return;
  while (ctx.turn.unresolved().length > 0) {
    ctx.turn.throwIfCancelled();
    closeSpan(ctx.log, ctx.state, ctx.sessionId, ctx.turn);
    const eventIds = ctx.turn.unresolved().map((r) => r.eventId);
    emit(ctx, {
      type: 'session.status_idle',
      stop_reason: { type: 'requires_action', event_ids: eventIds },
      stop_details: null,
    });
    ctx.turn.isBlocked = true;
    await ctx.turn.waitForWake();
    ctx.turn.isBlocked = false;
  }
  emit(ctx, { type: 'session.status_running' });
}

function toolResult(ctx: StepContext, label: string, text: string, isError = false): void {
  const record = ctx.turn.label(label);
  const resolution = record.resolution;
  const isDenied = resolution?.result === 'deny';
  const deniedText = isDenied ? (resolution.denyMessage ?? 'The user denied permission to use this tool.') : '';
  const content = [{ type: 'text', text: isDenied ? deniedText : text }];
  if (record.kind === 'custom') throw new Error(`'${label}' is a custom tool use: its result comes from the client`);
  emit(
    ctx,
    record.kind === 'mcp'
      ? { type: 'agent.mcp_tool_result', mcp_tool_use_id: record.eventId, content, is_error: isDenied || isError }
      : { type: 'agent.tool_result', tool_use_id: record.eventId, content, is_error: isDenied || isError },
  );
}

async function fail(
  ctx: StepContext,
  error: JsonObject & { type: string },
  retryStatus: RetryStatus,
): Promise<Outcome> {
  ctx.turn.throwIfCancelled();
  closeSpan(ctx.log, ctx.state, ctx.sessionId, ctx.turn, { isError: true });
  const message = typeof error['message'] === 'string' ? error['message'] : `Fake failure: ${error.type}`;
  emit(ctx, { type: 'session.error', error: { ...error, message, retry_status: { type: retryStatus } } });
  if (retryStatus === 'exhausted') {
    emit(ctx, { type: 'session.status_idle', stop_reason: { type: 'retries_exhausted' }, stop_details: null });
    return 'ended';
  }
  if (retryStatus === 'terminal') {
    emit(ctx, { type: 'session.status_terminated' });
    return 'ended';
  }
  emit(ctx, { type: 'session.status_rescheduled' });
  await ctx.turn.sleep(10);
  emit(ctx, { type: 'session.status_running' });
  return 'continue';
}

/** §3.3/§7.3.6: the credential for an MCP server is found by URL in the session's vaults. */
function mcpAuthFailure(
  ctx: StepContext,
  serverName: string | undefined,
  isForced: boolean,
): (JsonObject & { type: string }) | undefined {
  const s = session(ctx);
  const name = serverName ?? s.agent.mcp_servers[0]?.name ?? 'linear';
  const authFailed = {
    type: 'mcp_authentication_failed_error',
    mcp_server_name: name,
    message: 'MCP server rejected the credential (401)',
  };
  if (isForced) return authFailed;
  const server = s.agent.mcp_servers.find((m) => m.name === name);
  if (!server) return undefined;
  const env = ctx.state.environments.get(s.environment_id);
  const net = env?.config.type === 'cloud' ? env.config.networking : undefined;
  const host = new URL(server.url).host;
  if (net?.type === 'limited' && !net.allow_mcp_servers && !net.allowed_hosts.includes(host)) {
    return { type: 'mcp_connection_failed_error', mcp_server_name: name, message: `Network policy blocks ${host}` };
  }
  const credential = ctx.state.findMcpCredential(s.vault_ids, server.url);
  return !credential || credential.isRejected ? authFailed : undefined;
}

async function runStep(ctx: StepContext, step: Step): Promise<Outcome> {
  const { turn } = ctx;
  if ('emit' in step) {
    const draft = substituteRefs(step.emit, turn) as EventDraft;
    const id = emit(ctx, draft);
    const kind = { 'agent.mcp_tool_use': 'mcp', 'agent.tool_use': 'builtin', 'agent.custom_tool_use': 'custom' }[
      draft.type
    ];
    if (kind)
      turn.register(step.as, {
        eventId: id,
        kind: kind as ToolUseRecord['kind'],
        needsAction: kind === 'custom' || draft['evaluated_permission'] === 'ask',
      });
  } else if ('delayMs' in step) await turn.sleep(step.delayMs);
  else if ('modelRequestStart' in step) {
    closeSpan(ctx.log, ctx.state, ctx.sessionId, turn);
    ensureSpan(ctx);
  } else if ('modelRequestEnd' in step) closeSpan(ctx.log, ctx.state, ctx.sessionId, turn, step);
  else if ('thinking' in step) thinking(ctx);
  else if ('message' in step) message(ctx, step.message, step.chunkSize);
  else if ('mcpToolUse' in step) toolUse(ctx, 'mcp', step.mcpToolUse);
  else if ('toolUse' in step) toolUse(ctx, 'builtin', step.toolUse);
  else if ('customToolUse' in step) toolUse(ctx, 'custom', step.customToolUse);
  else if ('awaitConfirmation' in step) await awaitActions(ctx, [step.awaitConfirmation].flat());
  else if ('toolResult' in step) toolResult(ctx, step.toolResult, step.text, step.isError);
  else if ('ifDenied' in step) {
    return runSteps(ctx, turn.label(step.ifDenied).resolution?.result === 'deny' ? step.then : (step.else ?? []));
  } else if ('mcpAuth' in step) {
    const failure = mcpAuthFailure(ctx, step.mcpAuth.server, step.mcpAuth.force === true);
    if (failure) return fail(ctx, failure, step.mcpAuth.retryStatus ?? 'exhausted');
  } else if ('fail' in step) {
    return fail(ctx, typeof step.fail === 'string' ? { type: step.fail } : step.fail, step.retryStatus ?? 'exhausted');
  } else if ('cutStream' in step) ctx.hub.cut(ctx.sessionId, step.cutStream === true ? 'destroy' : step.cutStream);
  else if ('streamError' in step) ctx.hub.sendError(ctx.sessionId, step.streamError);
  else if ('spend' in step) await spend(ctx, step.spend.cents);
  else if ('idle' in step) {
    closeSpan(ctx.log, ctx.state, ctx.sessionId, turn);
    emit(ctx, { type: 'session.status_idle', stop_reason: step.idle, stop_details: null });
    return 'ended';
  } else if ('terminate' in step) {
    closeSpan(ctx.log, ctx.state, ctx.sessionId, turn, { isError: true });
    emit(ctx, { type: 'session.status_terminated' });
    return 'ended';
  } else throw new Error(`Unknown scenario step: ${JSON.stringify(step)}`);
  return 'continue';
}

/** §2.3 `budget_reached`: usage first, then the idle; the turn resumes by itself once the budget is raised. */
async function spend(ctx: StepContext, cents: number): Promise<void> {
  const session = ctx.state.getSession(ctx.sessionId);
  const usage = session.usage as JsonObject;
  const before = Number((usage['list_cost'] as JsonObject | undefined)?.['amount'] ?? 0);
  const total = before + cents;
  usage['list_cost'] = { amount: String(total), currency: 'USD' };
  const limit = () => {
    const budget = ctx.state.getSession(ctx.sessionId).budget as JsonObject | null;
    const max = (budget?.['max_list_cost'] as JsonObject | undefined)?.['amount'];
    return max === undefined ? Infinity : Number(max);
  };
  emit(ctx, { type: 'session.usage', usage: { ...usage }, budget: session.budget });
  if (total < limit()) return;
  closeSpan(ctx.log, ctx.state, ctx.sessionId, ctx.turn);
  emit(ctx, { type: 'session.status_idle', stop_reason: { type: 'budget_reached' }, stop_details: null });
  ctx.state.budgetPaused.add(ctx.sessionId);
  try {
    while (total >= limit()) await ctx.turn.sleep(10);
  } finally {
    ctx.state.budgetPaused.delete(ctx.sessionId);
  }
  emit(ctx, { type: 'session.status_running' });
}

export async function runSteps(ctx: StepContext, steps: Step[]): Promise<Outcome> {
  for (const step of steps) {
    if (ctx.stepDelayMs > 0) await ctx.turn.sleep(ctx.stepDelayMs);
    else await new Promise((resolve) => setImmediate(resolve));
    ctx.turn.throwIfCancelled();
    if ((await runStep(ctx, step)) === 'ended') return 'ended';
  }
  return 'continue';
}
