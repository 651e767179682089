import { z } from 'zod';
import type { BatonEvent } from '../domain/events';
import { isFinished, type Session } from '../domain/sessions';
import { defineOperation, type OpContext, type OpResult } from '../mcp/operation';
import { ToolError } from '../mcp/errors';
import { AGENT_STATUSES, commentText, reportStatus, STATUS_REASON_MAX_CHARS } from '../mcp/thread-ops';

const sessionId = z.string().trim().min(1).max(100).describe("Baton's session id, from session.started");
const idempotencyKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('The Idempotency-Key header: a call repeated with the same key changes nothing the second time');
const stepId = z.string().trim().min(1).max(200);
const name = z.string().trim().min(1).max(200);
const summary = z.string().trim().max(2_000).default('');

/** The session, if it is one of the calling bot's running Self-hosted sessions; anything else is refused. */
async function ownSession(ctx: OpContext, id: string): Promise<Session> {
  const session = await ctx.deps.sessions.get(id);
  if (!session || session.botId !== ctx.caller.bot.id || ctx.caller.bot.type !== 'self_hosted') {
    throw new ToolError('not_found', `${ctx.caller.bot.name} has no session ${id}.`);
  }
  if (isFinished(session.status)) {
    throw new ToolError('invalid_request', `Session ${id} has ended (${session.status}); it takes no more reports.`);
  }
  return session;
}

/** Writes the events into the session's inbox once per key; the run loop picks them up from there. */
async function report(ctx: OpContext, id: string, key: string, events: (k: string) => BatonEvent[]): Promise<OpResult> {
  const session = await ownSession(ctx, id);
  const eventKey = `runtime-${key}`;
  const isNew = await ctx.deps.inbox.append(session.id, eventKey, events(eventKey));
  return {
    text: isNew ? 'Accepted.' : 'Already accepted (same Idempotency-Key).',
    data: { ok: true, session_id: session.id, duplicate: !isNew },
  };
}

const raw = (input: Record<string, unknown>) => ({ source: 'runtime', ...input });

/** The callback API of Self-hosted runtimes: one bot's API token, only that bot's running sessions. */
export const RUNTIME_OPERATIONS = {
  credentials: defineOperation({
    name: 'runtime_credentials',
    mode: 'basic',
    input: z.object({ id: sessionId }),
    run: async (ctx, { id }) => {
      const session = await ownSession(ctx, id);
      const issued = await ctx.deps.runtimeCredentials(session, ctx.caller.bot);
      return { text: 'Session credentials issued.', data: { session_id: session.id, ...issued } };
    },
  }),
  stepStarted: defineOperation({
    name: 'runtime_step_started',
    mode: 'basic',
    input: z.object({ id: sessionId, key: idempotencyKey, step_id: stepId, name, summary }),
    run: (ctx, input) =>
      report(ctx, input.id, input.key, (k) => [
        {
          id: k,
          raw: raw(input),
          kind: 'step_started',
          stepId: input.step_id,
          name: input.name,
          summary: input.summary,
          server: null,
          needsApproval: false,
        },
      ]),
  }),
  stepFinished: defineOperation({
    name: 'runtime_step_finished',
    mode: 'basic',
    input: z.object({
      id: sessionId,
      key: idempotencyKey,
      step_id: stepId,
      is_error: z.boolean().default(false),
      summary,
    }),
    run: (ctx, input) =>
      report(ctx, input.id, input.key, (k) => [
        {
          id: k,
          raw: raw(input),
          kind: 'step_finished',
          stepId: input.step_id,
          isError: input.is_error,
          summary: input.summary,
        },
      ]),
  }),
  message: defineOperation({
    name: 'runtime_message',
    mode: 'basic',
    input: z.object({ id: sessionId, key: idempotencyKey, text: commentText }),
    run: (ctx, input) =>
      report(ctx, input.id, input.key, (k) => [{ id: k, raw: raw(input), kind: 'message', text: input.text }]),
  }),
  status: defineOperation({
    name: 'runtime_status',
    mode: 'basic',
    input: z.object({
      id: sessionId,
      key: idempotencyKey,
      status: z.enum(AGENT_STATUSES),
      reason: z.string().trim().min(1).max(STATUS_REASON_MAX_CHARS),
    }),
    run: async (ctx, input) => {
      const session = await ownSession(ctx, input.id);
      return reportStatus({ ...ctx, caller: { ...ctx.caller, session } }, input.status, input.reason);
    },
  }),
  approval: defineOperation({
    name: 'runtime_approval',
    mode: 'basic',
    input: z.object({ id: sessionId, key: idempotencyKey, step_id: stepId, name, summary }),
    run: (ctx, input) =>
      report(ctx, input.id, input.key, (k) => [
        {
          id: `${k}:step`,
          raw: raw(input),
          kind: 'step_started',
          stepId: input.step_id,
          name: input.name,
          summary: input.summary,
          server: null,
          needsApproval: true,
        },
        { id: `${k}:ask`, raw: raw(input), kind: 'approval_needed', stepIds: [input.step_id] },
      ]),
  }),
  finish: defineOperation({
    name: 'runtime_finish',
    mode: 'basic',
    input: z
      .object({
        id: sessionId,
        key: idempotencyKey,
        answer: z.string().trim().min(1).max(40_000).optional(),
        error: z.string().trim().min(1).max(2_000).optional(),
      })
      .refine((v) => Boolean(v.answer) !== Boolean(v.error), 'Send either answer or error.'),
    run: (ctx, input) =>
      report(ctx, input.id, input.key, (k) =>
        input.error
          ? [
              {
                id: `${k}:error`,
                raw: raw(input),
                kind: 'error',
                errorKind: 'provider',
                message: input.error,
                server: null,
                repository: null,
              },
              { id: `${k}:end`, raw: raw(input), kind: 'turn_ended', reason: 'error', answer: null },
            ]
          : [{ id: `${k}:end`, raw: raw(input), kind: 'turn_ended', reason: 'end_turn', answer: input.answer ?? null }],
      ),
  }),
};
