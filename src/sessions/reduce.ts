import type { StoredEvent } from '../domain/sessions';

export type StepState = 'running' | 'done' | 'failed' | 'waiting';

export interface Step {
  id: string;
  name: string;
  summary: string;
  state: StepState;
}

export interface PendingConfirmation {
  toolUseId: string;
  name: string;
  summary: string;
}

/** What the card and the session loop need to know, folded from the stored events (a pure projection). */
export interface SessionProgress {
  steps: Step[];
  lastMessage: string | null;
  /** The last agent message of the latest finished turn: the answer to post. */
  answer: string | null;
  usage: { inputTokens: number; outputTokens: number };
  pending: PendingConfirmation[];
  error: string | null;
  /** Turns asked for (user messages echoed) and turns ended: more asked than ended means keep listening. */
  userMessages: number;
  turnEnds: number;
  isTerminated: boolean;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function summarise(input: unknown): string {
  if (input === undefined || input === null) return '';
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function messageText(payload: Record<string, unknown>): string {
  const content = Array.isArray(payload.content) ? (payload.content as Array<Record<string, unknown>>) : [];
  return content
    .filter((block) => block.type === 'text')
    .map((block) => str(block.text))
    .join('');
}

const TOOL_USES = new Set(['agent.tool_use', 'agent.mcp_tool_use', 'agent.custom_tool_use']);
const TOOL_RESULTS: Record<string, string> = {
  'agent.tool_result': 'tool_use_id',
  'agent.mcp_tool_result': 'mcp_tool_use_id',
};

const KEPT_FIELDS = [
  'name',
  'mcp_server_name',
  'evaluated_permission',
  'tool_use_id',
  'mcp_tool_use_id',
  'is_error',
  'result',
  'model_usage',
  'error',
  'stop_reason',
];

/**
 * An event with only what `reduceEvents` reads: a running session keeps its events in memory, and tool results
 * or inputs can be large. The full event stays in the database for the log.
 */
export function slimEvent(event: StoredEvent): StoredEvent {
  const { payload } = event;
  const slim: Record<string, unknown> = {};
  for (const field of KEPT_FIELDS) if (field in payload) slim[field] = payload[field];
  if ('input' in payload) slim.input = summarise(payload.input);
  if (event.type === 'agent.message') slim.content = payload.content;
  return { ...event, payload: slim };
}

export function reduceEvents(events: StoredEvent[]): SessionProgress {
  const progress: SessionProgress = {
    steps: [],
    lastMessage: null,
    answer: null,
    usage: { inputTokens: 0, outputTokens: 0 },
    pending: [],
    error: null,
    userMessages: 0,
    turnEnds: 0,
    isTerminated: false,
  };
  const stepById = new Map<string, Step>();
  let turnMessage: string | null = null;

  for (const { type, payload, providerEventId } of events) {
    if (type === 'user.message') progress.userMessages += 1;
    else if (type === 'agent.message') {
      turnMessage = messageText(payload);
      progress.lastMessage = turnMessage;
    } else if (TOOL_USES.has(type)) {
      const server = str(payload.mcp_server_name);
      const step: Step = {
        id: providerEventId,
        name: server ? `${server}.${str(payload.name)}` : str(payload.name),
        summary: summarise(payload.input),
        state: payload.evaluated_permission === 'ask' ? 'waiting' : 'running',
      };
      stepById.set(step.id, step);
      progress.steps.push(step);
    } else if (type in TOOL_RESULTS) {
      const step = stepById.get(str(payload[TOOL_RESULTS[type] as string]));
      if (step) step.state = payload.is_error ? 'failed' : 'done';
    } else if (type === 'user.tool_confirmation') {
      const step = stepById.get(str(payload.tool_use_id));
      if (step) step.state = payload.result === 'deny' ? 'failed' : 'running';
    } else if (type === 'span.model_request_end') {
      const usage = (payload.model_usage ?? {}) as Record<string, unknown>;
      progress.usage.inputTokens += Number(usage.input_tokens ?? 0);
      progress.usage.outputTokens += Number(usage.output_tokens ?? 0);
    } else if (type === 'session.error') {
      const error = (payload.error ?? {}) as Record<string, unknown>;
      const message = str(error.message) || str(error.type) || 'The agent reported an error.';
      const server = str(error.mcp_server_name);
      progress.error =
        error.type === 'mcp_authentication_failed_error'
          ? `Could not sign in to the MCP server "${server}": ${message}`
          : error.type === 'mcp_connection_failed_error'
            ? `Could not reach the MCP server "${server}": ${message}`
            : message;
    } else if (type === 'session.status_idle') {
      const reason = (payload.stop_reason ?? {}) as Record<string, unknown>;
      if (reason.type === 'requires_action') {
        const ids = Array.isArray(reason.event_ids) ? (reason.event_ids as string[]) : [];
        progress.pending = ids.flatMap((id) => {
          const step = stepById.get(id);
          return step ? [{ toolUseId: id, name: step.name, summary: step.summary }] : [];
        });
      } else {
        progress.turnEnds += 1;
        progress.pending = [];
        progress.answer = turnMessage;
        if (reason.type !== 'end_turn' && !progress.error) progress.error = `The agent stopped: ${str(reason.type)}.`;
        turnMessage = null;
      }
    } else if (type === 'session.status_terminated' || type === 'session.deleted') {
      progress.isTerminated = true;
    } else if (type === 'session.status_running') {
      progress.pending = [];
    }
  }
  // Steps still marked running when the turn is over never got a result.
  if (progress.turnEnds >= progress.userMessages || progress.isTerminated) {
    for (const step of progress.steps) if (step.state === 'running' || step.state === 'waiting') step.state = 'failed';
  }
  return progress;
}
