import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { ToolMode } from '../domain/bots';
import type { UserNames } from '../sessions/thread-messages';
import { newTraceId } from '../trace';
import type { Caller } from './caller';
import type { ToolDeps } from './deps';
import { ToolError } from './errors';
import { ReadBudget } from './read-budget';

export interface OpContext {
  deps: ToolDeps;
  caller: Caller;
  client: WebClient;
  /** Display names, kept a few minutes per workspace. */
  names: UserNames;
  /** The Slack reads this call may still make. */
  reads: ReadBudget;
}

export interface OpResult {
  /** What an agent reads. */
  text: string;
  /** The same as JSON: MCP `structuredContent`, the REST response body. */
  data: Record<string, unknown>;
}

/** One thing a token may do, through an MCP tool or a REST route. */
export interface Operation<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** `full`: Full Baton mode only. */
  mode: ToolMode;
  input: S;
  run(ctx: OpContext, args: z.output<S>): Promise<OpResult>;
}

export const defineOperation = <S extends z.ZodObject>(op: Operation<S>): Operation<S> => op;

export type Outcome = 'ok' | 'refused' | 'rate_limited' | 'invalid' | 'failed' | ToolError['code'];

/**
 * Every call goes through here: scope, then the token's rate limit, then input validation, then the operation;
 * each call leaves one audit row (operation, bot, session, outcome; never arguments or message text).
 */
export async function runOperation(deps: ToolDeps, caller: Caller, op: Operation, raw: unknown): Promise<OpResult> {
  const audit = async (outcome: Outcome, traceId?: string) => {
    const details = { operation: op.name, via: caller.kind, botId: caller.bot.id, tokenId: caller.tokenId, outcome };
    await deps.audit
      .record({
        teamId: caller.team.teamId,
        actorId: caller.bot.id,
        action: `${caller.kind === 'mcp' ? 'mcp' : 'api'}.${op.name}`,
        target: caller.session?.id ?? caller.tokenId,
        details: { ...details, sessionId: caller.session?.id ?? null, ...(traceId ? { traceId } : {}) },
      })
      .catch((error: unknown) => deps.log.error({ event: 'tools.audit_failed', err: error, ...details }));
  };

  if (op.mode === 'full' && caller.scope !== 'full') {
    await audit('refused');
    throw new ToolError(
      'forbidden',
      `${op.name} needs Full Baton mode, and ${caller.bot.name} uses Basic task mode. An admin can change this in the bot's Agent connection.`,
    );
  }
  const rate = await deps.limiter.hit(caller.tokenId);
  if (!rate.isAllowed) {
    await audit('rate_limited');
    throw new ToolError(
      'rate_limited',
      `Too many calls: this token may make ${deps.limiter.limit} calls per ${deps.limiter.windowMs / 1000} seconds. Try again in ${rate.retryAfterS} seconds.`,
      rate.retryAfterS,
    );
  }
  const parsed = op.input.safeParse(raw ?? {});
  if (!parsed.success) {
    await audit('invalid');
    throw new ToolError('invalid_request', `Invalid arguments for ${op.name}: ${z.prettifyError(parsed.error)}`);
  }
  try {
    const client = await deps.slack.forTeam(caller.team);
    const result = await op.run(
      { deps, caller, client, names: deps.names.of(client, caller.team.teamId), reads: new ReadBudget() },
      parsed.data,
    );
    await audit('ok');
    return result;
  } catch (error) {
    if (error instanceof ToolError) {
      await audit(error.code);
      throw error;
    }
    const traceId = newTraceId();
    deps.log.error({ event: 'tools.failed', traceId, operation: op.name, botId: caller.bot.id, err: error });
    await audit('failed', traceId);
    throw new Error(`Something went wrong in Baton (ref ${traceId}).`, { cause: error });
  }
}
