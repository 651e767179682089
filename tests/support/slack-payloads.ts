import { nextId, nextTriggerId, nextTs, SLACK_DEFAULTS as D } from '../fakes/slack/ids';

// Realistic Slack payloads (slack-platform.md §2) for workspace T0001, user U0001, channel C0001, app A0001.
// response_urls point at PLACEHOLDER_RESPONSE_ORIGIN; a sender created with `responseOrigin` rewrites them to the
// fake Slack server, which records posts to them as calls to `response_url`.

export const PLACEHOLDER_RESPONSE_ORIGIN = 'http://fake-slack.invalid';

type Json = Record<string, unknown>;

export interface EventEnvelope<E extends Json = Json> {
  type: 'event_callback';
  token: string;
  team_id: string;
  api_app_id: string;
  event: E;
  event_id: string;
  event_time: number;
  authorizations: Json[];
  is_ext_shared_channel: boolean;
  context_team_id: string;
  [key: string]: unknown;
}

const responseUrl = (): string => `${PLACEHOLDER_RESPONSE_ORIGIN}/response/${nextId('R')}`;
const userRef = (id: string) => ({ id, username: id === D.userId ? D.userName : id.toLowerCase(), team_id: D.teamId });
const teamRef = { id: D.teamId, domain: D.teamDomain };
const common = { token: 'verification-token', api_app_id: D.appId, team: teamRef, enterprise: null };

/** Wraps an event in the Events API envelope, with a fresh `event_id`. */
export function eventCallback<E extends Json>(
  event: E,
  opts: { team_id?: string; event_id?: string } = {},
): EventEnvelope<E> {
  const teamId = opts.team_id ?? D.teamId;
  return {
    type: 'event_callback',
    token: 'verification-token',
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: D.appId,
    event,
    event_id: opts.event_id ?? nextId('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: D.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

interface MessageFields {
  text: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  user?: string;
  files?: Array<{ id: string; name: string; title?: string }>;
}

function messageFields(m: MessageFields) {
  const ts = m.ts ?? nextTs();
  return {
    user: m.user ?? D.userId,
    text: m.text,
    ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.files ? { files: m.files } : {}),
    channel: m.channel ?? D.channelId,
    event_ts: ts,
    team: D.teamId,
    client_msg_id: nextId('msg-'),
  };
}

/** An `app_mention`; put the mention in `text` yourself (`'<@UBATON> ping'`), as Slack does. */
export const appMention = (m: MessageFields) => eventCallback({ type: 'app_mention', ...messageFields(m) });

/** A plain user message; a `D…` channel makes it a DM (`message.im`). */
export function messageEvent(m: MessageFields & { channel_type?: string; subtype?: string; bot_id?: string }) {
  const { channel_type: channelType, subtype, bot_id: botId, ...rest } = m;
  const fields = messageFields(rest);
  const isDm = fields.channel.startsWith('D');
  return eventCallback({
    type: 'message',
    ...(subtype ? { subtype } : {}),
    ...(botId ? { bot_id: botId } : {}),
    ...fields,
    ...(fields.thread_ts && fields.thread_ts !== fields.ts ? { parent_user_id: D.userId } : {}),
    channel_type: channelType ?? (isDm ? 'im' : 'channel'),
  });
}

export const appHomeOpened = (opts: { user?: string; tab?: 'home' | 'messages'; channel?: string; view?: Json } = {}) =>
  eventCallback({
    type: 'app_home_opened',
    user: opts.user ?? D.userId,
    channel: opts.channel ?? 'D0001',
    tab: opts.tab ?? 'home',
    ...(opts.view ? { view: opts.view } : {}),
    event_ts: nextTs(),
  });

/** Form fields of a slash command; every value is a string, `is_enterprise_install` included. */
export function slashCommand(opts: { text: string } & Record<string, string | undefined>): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    token: 'verification-token',
    team_id: D.teamId,
    team_domain: D.teamDomain,
    channel_id: D.channelId,
    channel_name: D.channelName,
    user_id: D.userId,
    user_name: D.userName,
    command: '/baton',
    api_app_id: D.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl(),
    trigger_id: nextTriggerId(),
    ...opts,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A view as Slack echoes it back in interaction payloads. */
export function viewPayload(
  opts: { id?: string; callback_id?: string; private_metadata?: string; values?: Json; type?: string } = {},
) {
  const id = opts.id ?? nextId('V');
  return {
    id,
    team_id: D.teamId,
    type: opts.type ?? 'modal',
    callback_id: opts.callback_id ?? '',
    private_metadata: opts.private_metadata ?? '',
    state: { values: opts.values ?? {} },
    hash: `${Math.floor(Date.now() / 1000)}.${nextId('h')}`,
    root_view_id: id,
    previous_view_id: null,
    external_id: '',
    app_id: D.appId,
    app_installed_team_id: D.teamId,
    bot_id: D.botId,
    blocks: [],
  };
}

interface ActionOpts {
  action_id: string;
  value?: string;
  block_id?: string;
  /** Extra action fields, e.g. `{ type: 'static_select', selected_option }`. */
  action?: Json;
  user?: string;
  channel?: string;
  /** Clicked in a message (default) or in this view (modal or Home). */
  message?: { ts?: string; thread_ts?: string; text?: string; blocks?: unknown[] };
  view?: ReturnType<typeof viewPayload>;
}

export function blockActions(opts: ActionOpts) {
  const action = {
    type: 'button',
    action_id: opts.action_id,
    block_id: opts.block_id ?? nextId('b'),
    action_ts: nextTs(),
    ...(opts.value !== undefined ? { value: opts.value } : {}),
    ...opts.action,
  };
  const base = { type: 'block_actions', ...common, user: userRef(opts.user ?? D.userId), trigger_id: nextTriggerId() };
  if (opts.view) {
    return { ...base, container: { type: 'view', view_id: opts.view.id }, view: opts.view, actions: [action] };
  }
  const channel = opts.channel ?? D.channelId;
  const message = {
    type: 'message',
    user: D.botUserId,
    bot_id: D.botId,
    text: '',
    ...opts.message,
    ts: opts.message?.ts ?? nextTs(),
  };
  return {
    ...base,
    container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: channel === D.channelId ? D.channelName : channel.toLowerCase() },
    message,
    state: { values: {} },
    response_url: responseUrl(),
    actions: [action],
  };
}

export function viewSubmission(opts: {
  callback_id: string;
  values?: Json;
  private_metadata?: string;
  view_id?: string;
  user?: string;
}) {
  const view = viewPayload({
    id: opts.view_id,
    callback_id: opts.callback_id,
    private_metadata: opts.private_metadata,
    values: opts.values,
  });
  return {
    type: 'view_submission',
    ...common,
    user: userRef(opts.user ?? D.userId),
    view,
    trigger_id: nextTriggerId(),
    response_urls: [],
  };
}

/** What an `external_select` sends as the user types. */
export function blockSuggestion(opts: {
  action_id: string;
  value: string;
  block_id?: string;
  view?: ReturnType<typeof viewPayload>;
}) {
  const view = opts.view ?? viewPayload();
  return {
    type: 'block_suggestion',
    ...common,
    user: userRef(D.userId),
    container: { type: 'view', view_id: view.id },
    view,
    action_id: opts.action_id,
    block_id: opts.block_id ?? nextId('b'),
    value: opts.value,
  };
}

/** A message shortcut (default `assign_to_bot`) on a message in C0001. */
export function messageAction(
  opts: { callback_id?: string; message?: Partial<MessageFields>; channel?: string; user?: string } = {},
) {
  const ts = opts.message?.ts ?? nextTs();
  const channel = opts.channel ?? D.channelId;
  return {
    type: 'message_action',
    ...common,
    callback_id: opts.callback_id ?? 'assign_to_bot',
    trigger_id: nextTriggerId(),
    response_url: responseUrl(),
    action_ts: nextTs(),
    message_ts: ts,
    message: { type: 'message', user: D.userId, text: 'Please fix the flaky test', ...opts.message, ts },
    channel: { id: channel, name: channel === D.channelId ? D.channelName : channel.toLowerCase() },
    user: { ...userRef(opts.user ?? D.userId), name: D.userName },
    is_enterprise_install: false,
  };
}

/** `view.state.values` entries for `viewSubmission({ values: { block: { action: textInput('x') } } })`. */
export const textInput = (value: string | null) => ({ type: 'plain_text_input', value });
export const selectedOption = (value: string, text = value, type = 'static_select') => ({
  type,
  selected_option: { text: { type: 'plain_text', text, emoji: true }, value },
});
