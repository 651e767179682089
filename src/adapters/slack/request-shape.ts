import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';

// The envelope Bolt reads before any listener runs, checked so that a body of the wrong shape (signed or not)
// gets a 400 instead of a TypeError inside Bolt (a 500, or for `null` an unhandled rejection that ends the process).
const str = z.string().max(10_000);
/**
 * A workspace or organisation id. Bolt keys its client pools by it in a plain object, so `__proto__` or
 * `constructor` (or an id Slack never issues) would throw inside Bolt; Slack's ids are upper-case letters and digits.
 */
const slackId = z.string().regex(/^[A-Z0-9]{1,32}$/);
const idRef = z.looseObject({ id: str });
const userField = z.union([str, idRef]);

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: slackId.optional(),
  enterprise_id: slackId.nullish(),
  api_app_id: str.optional(),
  event_id: str.optional(),
  event_time: z.number().optional(),
  authorizations: z
    .array(z.looseObject({ team_id: slackId.nullish(), enterprise_id: slackId.nullish(), user_id: str.optional() }))
    .optional(),
  is_ext_shared_channel: z.boolean().optional(),
  event: z.looseObject({
    type: str,
    subtype: str.optional(),
    channel: z.union([str, idRef]).optional(),
    channel_id: str.optional(),
    channel_type: str.optional(),
    user: userField.optional(),
    bot_id: str.optional(),
    text: str.max(100_000).optional(),
    ts: str.optional(),
    thread_ts: str.optional(),
    event_ts: str.optional(),
    tab: str.optional(),
    item: z.looseObject({ channel: str.optional() }).optional(),
    team: z.union([str, idRef]).optional(),
    subteam: z.looseObject({}).optional(),
  }),
});

const action = z.looseObject({
  action_id: str,
  block_id: str.optional(),
  type: str.optional(),
  value: str.optional(),
});

const view = z.looseObject({
  id: str,
  callback_id: str.optional(),
  private_metadata: str.optional(),
  app_installed_team_id: slackId.optional(),
  state: z.looseObject({ values: z.record(str, z.record(str, z.looseObject({}))) }).optional(),
});

const interaction = z.looseObject({
  type: z.enum([
    'block_actions',
    'block_suggestion',
    'view_submission',
    'view_closed',
    'message_action',
    'shortcut',
    'interactive_message',
    'dialog_submission',
    'dialog_suggestion',
    'dialog_cancellation',
  ]),
  user: z.looseObject({ id: str, team_id: slackId.optional(), name: str.optional() }),
  team: z.looseObject({ id: slackId }).nullish(),
  enterprise: z.looseObject({ id: slackId }).nullish(),
  api_app_id: str.optional(),
  trigger_id: str.optional(),
  response_url: str.optional(),
  response_urls: z.array(z.looseObject({ response_url: str })).optional(),
  callback_id: str.optional(),
  action_id: str.optional(),
  block_id: str.optional(),
  value: str.optional(),
  actions: z.array(action).optional(),
  // Bolt reads `channel.id` whenever `channel` is not undefined, so null is refused too.
  channel: z.looseObject({ id: str }).optional(),
  message: z.looseObject({ ts: str.optional(), thread_ts: str.optional(), text: str.optional() }).optional(),
  container: z.looseObject({}).optional(),
  view: view.optional(),
});

/** A modal's submission or closing: Bolt reads the view's installing workspace before any listener runs. */
const viewAction = interaction.extend({ type: z.enum(['view_submission', 'view_closed']), view });

const command = z.looseObject({
  command: str,
  text: str.optional(),
  team_id: slackId,
  user_id: str,
  channel_id: str.optional(),
  enterprise_id: slackId.optional(),
  response_url: str.optional(),
  trigger_id: str.optional(),
});

const envelope = z.union([
  z.looseObject({ ssl_check: z.literal('1') }),
  z.looseObject({ type: z.literal('url_verification'), challenge: str }),
  z.looseObject({ type: z.literal('app_rate_limited'), team_id: str }),
  eventCallback,
  interaction,
  command,
]);

/**
 * The schema for what Bolt will take the body to be. Bolt dispatches on the first field it finds (`event`, then
 * `command`, then `name` or a suggestion, then `actions`; helpers.getTypeAndConversation), whatever `type` says, so
 * a body that matches one shape but carries another's field (an `app_rate_limited` notice with `event: 0`) is
 * checked as what Bolt will read it as.
 */
function shapeBoltReads(body: unknown): z.ZodType {
  if (typeof body !== 'object' || body === null) return envelope;
  const fields = body as Record<string, unknown>;
  if (fields.event !== undefined) return eventCallback;
  if (fields.command !== undefined) return command;
  const isInteraction =
    fields.name !== undefined ||
    fields.actions !== undefined ||
    fields.type === 'block_suggestion' ||
    fields.type === 'dialog_submission';
  if (isInteraction) return interaction;
  return fields.type === 'view_submission' || fields.type === 'view_closed' ? viewAction : envelope;
}

export type RequestVerdict = { isWellFormed: true } | { isWellFormed: false; reason: string };

/**
 * Whether a raw `/slack/events` body has the shape of something Slack sends. Form bodies are slash commands (every
 * field a single string) or carry a JSON `payload`; anything else is JSON.
 */
export function checkSlackBody(raw: string, contentType: string | undefined): RequestVerdict {
  let body: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const fields = parseQuery(raw);
      body = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    } else {
      body = JSON.parse(raw);
    }
  } catch {
    return { isWellFormed: false, reason: 'malformed body' };
  }
  const result = shapeBoltReads(body).safeParse(body);
  return result.success ? { isWellFormed: true } : { isWellFormed: false, reason: 'unexpected shape' };
}
