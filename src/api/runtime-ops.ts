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

/** A Baton event as a runtime's report describes it; the call's input becomes its raw payload. */
type Reported = BatonEvent extends infer E ? (E extends BatonEvent ? Omit<E, 'raw'> : never) : never;

const reportInput = <S extends z.ZodRawShape>(shape: S) => z.object({ id: sessionId, key: idempotencyKey, ...shape });

/**
 * A runtime's report about one of its sessions: checks the session, then writes the report's events into the
 * session's inbox once per Idempotency-Key (the run loop picks them up from there). `events` names each event
 * by `id(part)`, derived from the key, so a repeated call cannot store an event twice.
 */
function reportOperation<S extends z.ZodObject<{ id: typeof sessionId; key: typeof idempotencyKey }>>(
  opName: string,
  input: S,
  events: (input: z.output<S>, id: (part?: string) => string) => Reported[],
) {
  return defineOperation({
    name: opName,
    mode: 'basic',
    input,
    run: async (ctx, args): Promise<OpResult> => {
      const session = await ownSession(ctx, args.id);
      const eventKey = `runtime-${args.key}`;
      const raw = { source: 'runtime', ...args };
      const id = (part?: string) => (part ? `${eventKey}:${part}` : eventKey);
      const reported = events(args, id).map((event) => ({ ...event, raw }) as BatonEvent);
      const isNew = await ctx.deps.inbox.append(session.id, eventKey, reported);
      return {
        text: isNew ? 'Accepted.' : 'Already accepted (same Idempotency-Key).',
        data: { ok: true, session_id: session.id, duplicate: !isNew },
      };
    },
  });
}

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
  stepStarted: reportOperation('runtime_step_started', reportInput({ step_id: stepId, name, summary }), (input, id) => [
    {
      id: id(),
      kind: 'step_started',
      stepId: input.step_id,
      name: input.name,
      summary: input.summary,
      server: null,
      needsApproval: false,
    },
  ]),
  stepFinished: reportOperation(
    'runtime_step_finished',
    reportInput({ step_id: stepId, is_error: z.boolean().default(false), summary }),
    (input, id) => [
      { id: id(), kind: 'step_finished', stepId: input.step_id, isError: input.is_error, summary: input.summary },
    ],
  ),
  message: reportOperation('runtime_message', reportInput({ text: commentText }), (input, id) => [
    { id: id(), kind: 'message', text: input.text },
  ]),
  status: defineOperation({
    name: 'runtime_status',
    mode: 'basic',
    input: reportInput({
      status: z.enum(AGENT_STATUSES),
      reason: z.string().trim().min(1).max(STATUS_REASON_MAX_CHARS),
    }),
    run: async (ctx, input) => {
      const session = await ownSession(ctx, input.id);
      return reportStatus({ ...ctx, caller: { ...ctx.caller, session } }, input.status, input.reason);
    },
  }),
  approval: reportOperation('runtime_approval', reportInput({ step_id: stepId, name, summary }), (input, id) => [
    {
      id: id('step'),
      kind: 'step_started',
      stepId: input.step_id,
      name: input.name,
      summary: input.summary,
      server: null,
      needsApproval: true,
    },
    { id: id('ask'), kind: 'approval_needed', stepIds: [input.step_id] },
  ]),
  finish: reportOperation(
    'runtime_finish',
    reportInput({
      answer: z.string().trim().min(1).max(40_000).optional(),
      error: z.string().trim().min(1).max(2_000).optional(),
    }).refine((v) => Boolean(v.answer) !== Boolean(v.error), 'Send either answer or error.'),
    (input, id) =>
      input.error
        ? [
            {
              id: id('error'),
              kind: 'error',
              errorKind: 'provider',
              message: input.error,
              server: null,
              repository: null,
            },
            { id: id('end'), kind: 'turn_ended', reason: 'error', answer: null },
          ]
        : [{ id: id('end'), kind: 'turn_ended', reason: 'end_turn', answer: input.answer ?? null }],
  ),
};
