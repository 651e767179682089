import type { BatonEvent, EventErrorKind, TurnEndReason } from '../../domain/events';
import { GITHUB_MCP_SERVER } from './github-mcp';
import { repositoryError } from './repository-errors';

/** A Managed Agents event as the SDK yields it, read loosely: Baton keeps it whole as the raw payload. */
type Raw = Record<string, unknown> & { type?: unknown; id?: unknown };

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

const SUMMARY_MAX = 120;

/** A short, one-line summary of a tool input for people: the command, path or query when there is one. */
export function summariseInput(input: unknown): string {
  if (input === undefined || input === null) return '';
  const fields = typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const main = ['command', 'file_path', 'path', 'url', 'query', 'pattern', 'text'].map((k) => fields[k]).find(str);
  const text = typeof input === 'string' ? input : typeof main === 'string' ? main : JSON.stringify(input);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX - 1)}…` : line;
}

/** Built-in tool names as people say them; MCP tools keep `server.tool`. */
const TOOL_NAMES: Record<string, string> = {
  bash: 'Run command',
  read: 'Read file',
  write: 'Write file',
  edit: 'Edit file',
  glob: 'Find files',
  grep: 'Search files',
  web_fetch: 'Fetch web page',
  web_search: 'Search the web',
};

function textOf(content: unknown): string {
  const blocks = Array.isArray(content) ? (content as Array<Record<string, unknown>>) : [];
  return blocks
    .filter((block) => block.type === 'text')
    .map((block) => str(block.text))
    .join('');
}

const ERROR_KINDS: Record<string, EventErrorKind> = {
  mcp_authentication_failed_error: 'mcp_auth',
  mcp_connection_failed_error: 'mcp_connect',
  rate_limit_error: 'rate_limited',
  overloaded_error: 'rate_limited',
  billing_error: 'usage_limit',
  budget_exceeded_error: 'budget',
};

function errorMessage(kind: EventErrorKind, message: string, server: string): string {
  if (kind === 'mcp_auth') return `Could not sign in to the MCP server "${server}": ${message}`;
  if (kind === 'mcp_connect') return `Could not reach the MCP server "${server}": ${message}`;
  return message;
}

const END_REASONS: Record<string, TurnEndReason> = {
  end_turn: 'end_turn',
  interrupted: 'interrupted',
  retries_exhausted: 'error',
  max_tokens: 'max_tokens',
  budget_exceeded: 'budget',
  budget_reached: 'budget',
};

/** `https://github.com/acme/api/pull/7` in a tool result, read as "acme/api#7". */
const PULL_URL = /https?:\/\/[^\s"'<>]+?\/([^/\s"'<>]+)\/([^/\s"'<>]+)\/pull\/(\d+)/;

/**
 * Translates Managed Agents events into Baton's vocabulary, one stream at a time: it remembers the turn's last
 * agent message (the answer `turn_ended` carries) across history and live events, and which tool calls open pull
 * requests on GitHub's MCP server (their results become `artifact` events with the pull request's link). Events
 * Baton has no use for (spans other than usage, thinking, running/rescheduled status, updates) give nothing.
 */
export class ManagedAgentsTranslator {
  private turnMessage: string | null = null;
  /** The session's list cost (cents) as of the last `session.usage`: usage events carry the increase. */
  private costCents = 0;
  /** `github.create_pull_request` calls under way, with the title they asked for. */
  private readonly pullRequestCalls = new Map<string, string>();

  translate(event: Raw, fallbackId: string): BatonEvent[] {
    const translated = this.one(event, fallbackId);
    if (!translated) return [];
    const pull = translated.kind === 'step_finished' ? this.pullRequestOf(translated.stepId, event) : undefined;
    return pull ? [translated, { id: `${translated.id}:pull_request`, raw: translated.raw, ...pull }] : [translated];
  }

  private pullRequestOf(stepId: string, event: Raw) {
    const title = this.pullRequestCalls.get(stepId);
    if (title === undefined || event.is_error === true) return undefined;
    this.pullRequestCalls.delete(stepId);
    const match = PULL_URL.exec(textOf(event.content));
    if (!match) return undefined;
    const [url, owner, repo, number] = match;
    const name = `${owner}/${repo}#${number}${title ? `: ${title}` : ''}`;
    return { kind: 'artifact' as const, type: 'pull_request' as const, name, url };
  }

  private one(event: Raw, fallbackId: string): BatonEvent | undefined {
    const id = str(event.id) || fallbackId;
    const raw = event as Record<string, unknown>;
    const base = { id, raw };
    switch (str(event.type)) {
      case 'user.message':
        this.turnMessage = null;
        return { ...base, kind: 'turn_started', text: textOf(event.content) };
      case 'agent.message': {
        const text = textOf(event.content);
        if (text) this.turnMessage = text;
        return { ...base, kind: 'message', text };
      }
      case 'agent.tool_use':
      case 'agent.mcp_tool_use':
      case 'agent.custom_tool_use': {
        const server = str(event.mcp_server_name) || null;
        const name = str(event.name);
        if (server === GITHUB_MCP_SERVER && name === 'create_pull_request') {
          const input = (event.input ?? {}) as Record<string, unknown>;
          this.pullRequestCalls.set(id, str(input.title));
        }
        return {
          ...base,
          kind: 'step_started',
          stepId: id,
          name: server ? `${server}.${name}` : (TOOL_NAMES[name] ?? name),
          summary: summariseInput(event.input),
          server,
          needsApproval: event.evaluated_permission === 'ask',
        };
      }
      case 'agent.tool_result':
      case 'agent.mcp_tool_result': {
        const stepId = str(event.tool_use_id) || str(event.mcp_tool_use_id);
        const isError = event.is_error === true;
        return { ...base, kind: 'step_finished', stepId, isError, summary: summariseInput(textOf(event.content)) };
      }
      case 'user.tool_confirmation':
        return {
          ...base,
          kind: 'approval_answered',
          stepId: str(event.tool_use_id),
          isAllowed: event.result !== 'deny',
        };
      case 'span.model_request_end': {
        const usage = (event.model_usage ?? {}) as Record<string, unknown>;
        return {
          ...base,
          kind: 'usage',
          inputTokens: Number(usage.input_tokens ?? 0),
          outputTokens: Number(usage.output_tokens ?? 0),
          costUsd: null,
        };
      }
      case 'session.usage': {
        const usage = (event.usage ?? {}) as Record<string, unknown>;
        const cost = (usage.list_cost ?? null) as { amount?: unknown } | null;
        const cents = cost ? Number(cost.amount) : NaN;
        if (!Number.isFinite(cents) || cents <= this.costCents) return undefined;
        const increase = cents - this.costCents;
        this.costCents = cents;
        return { ...base, kind: 'usage', inputTokens: 0, outputTokens: 0, costUsd: increase / 100 };
      }
      case 'session.error': {
        const error = (event.error ?? {}) as Record<string, unknown>;
        // A repository that did not clone: the session goes on without it, so say so now, even while retrying.
        const clone = repositoryError(error);
        if (clone) return { ...base, kind: 'error', errorKind: 'repository', server: null, ...clone };
        const retry = (error.retry_status ?? {}) as Record<string, unknown>;
        // The server retries by itself: nothing is wrong yet.
        if (retry.type === 'retrying') return undefined;
        const errorKind = ERROR_KINDS[str(error.type)] ?? 'provider';
        const server = str(error.mcp_server_name) || null;
        const message = str(error.message) || str(error.type) || 'The agent reported an error.';
        return {
          ...base,
          kind: 'error',
          errorKind,
          message: errorMessage(errorKind, message, server ?? ''),
          server,
          repository: null,
        };
      }
      case 'session.status_idle': {
        const reason = (event.stop_reason ?? {}) as Record<string, unknown>;
        if (reason.type === 'requires_action') {
          const stepIds = Array.isArray(reason.event_ids) ? (reason.event_ids as unknown[]).map(str) : [];
          return { ...base, kind: 'approval_needed', stepIds };
        }
        const answer = this.turnMessage;
        this.turnMessage = null;
        return { ...base, kind: 'turn_ended', reason: END_REASONS[str(reason.type)] ?? 'error', answer };
      }
      case 'session.status_terminated':
      case 'session.deleted':
        return { ...base, kind: 'terminated' };
      default:
        return undefined;
    }
  }
}
