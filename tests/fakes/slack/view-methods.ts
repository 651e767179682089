import { randomBytes } from 'node:crypto';
import { isObject } from '../block-kit-checker';
import { findViewViolations } from '../block-kit-limits';
import type { MethodContext, MethodHandler } from './context';
import { type Args, optionalString, requireString, SlackApiError } from './http';
import { nextId, SLACK_DEFAULTS } from './ids';
import type { StoredView } from './state';

// views.* answer bad views with `invalid_arguments` plus pointer messages, not `invalid_blocks` as chat.* does.
function viewArg(args: Args, type: 'modal' | 'home'): Args {
  const view = args.view;
  if (!isObject(view)) throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: view']);
  const violations = findViewViolations(view);
  if (view.type !== type) violations.push(`[ERROR] must be ${type} [json-pointer:/view/type]`);
  if (violations.length > 0) throw new SlackApiError('invalid_arguments', violations);
  return view;
}

/** Triggers are single use; the 3-second expiry is not simulated. */
function exchangeTrigger(ctx: MethodContext, args: Args): void {
  const trigger = optionalString(args, 'trigger_id') ?? optionalString(args, 'interactivity_pointer');
  if (!trigger) throw new SlackApiError('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
  if (!/^\d+\.\d+\.[0-9a-f]+$/.test(trigger)) throw new SlackApiError('invalid_trigger_id');
  if (ctx.state.usedTriggers.has(trigger)) throw new SlackApiError('exchanged_trigger_id');
  ctx.state.usedTriggers.add(trigger);
}

function checkExternalId(ctx: MethodContext, view: Args, ownId?: string): void {
  const externalId = view.external_id;
  if (externalId === undefined) return;
  const other = ctx.state.viewByRef(undefined, String(externalId));
  if (other && other.id !== ownId) throw new SlackApiError('duplicate_external_id');
}

const newHash = (): string => `${Math.floor(Date.now() / 1000)}.${randomBytes(6).toString('base64url')}`;

function save(ctx: MethodContext, view: Args, previous?: StoredView, userId?: string): StoredView {
  const id = previous?.id ?? nextId('V');
  const stored: StoredView = {
    id,
    hash: newHash(),
    view,
    userId: userId ?? previous?.userId,
    rootViewId: previous?.rootViewId ?? id,
    previousViewId: previous?.previousViewId ?? null,
  };
  ctx.state.views.set(id, stored);
  return stored;
}

/** The `view` object Slack answers with: the input plus the fields Slack fills in. */
function render(ctx: MethodContext, stored: StoredView): Args {
  const { view } = stored;
  return {
    id: stored.id,
    team_id: ctx.identity.teamId,
    type: view.type,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash: stored.hash,
    title: view.title ?? null,
    clear_on_close: Boolean(view.clear_on_close),
    notify_on_close: Boolean(view.notify_on_close),
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: stored.previousViewId,
    root_view_id: stored.rootViewId,
    app_id: SLACK_DEFAULTS.appId,
    external_id: view.external_id ?? '',
    app_installed_team_id: ctx.identity.teamId,
    bot_id: ctx.identity.botId,
  };
}

function checkHash(args: Args, stored: StoredView | undefined): void {
  const hash = optionalString(args, 'hash');
  if (hash !== undefined && stored && hash !== stored.hash) throw new SlackApiError('hash_conflict');
}

export const viewMethods: Record<string, MethodHandler> = {
  'views.open'(args, ctx) {
    const view = viewArg(args, 'modal');
    exchangeTrigger(ctx, args);
    checkExternalId(ctx, view);
    return { view: render(ctx, save(ctx, view)) };
  },

  'views.push'(args, ctx) {
    const view = viewArg(args, 'modal');
    exchangeTrigger(ctx, args);
    checkExternalId(ctx, view);
    return { view: render(ctx, save(ctx, view)) };
  },

  'views.update'(args, ctx) {
    const viewId = optionalString(args, 'view_id');
    const externalId = optionalString(args, 'external_id');
    if (!viewId && !externalId) throw new SlackApiError('invalid_arguments', ['[ERROR] need view_id or external_id']);
    const stored = ctx.state.viewByRef(viewId, externalId);
    if (!stored) throw new SlackApiError('not_found');
    const view = viewArg(args, stored.view.type === 'home' ? 'home' : 'modal');
    checkHash(args, stored);
    checkExternalId(ctx, view, stored.id);
    return { view: render(ctx, save(ctx, view, stored)) };
  },

  'views.publish'(args, ctx) {
    const userId = requireString(args, 'user_id');
    const view = viewArg(args, 'home');
    const homeId = ctx.state.homeViewIds.get(userId);
    const previous = homeId === undefined ? undefined : ctx.state.views.get(homeId);
    checkHash(args, previous);
    const stored = save(ctx, view, previous, userId);
    ctx.state.homeViewIds.set(userId, stored.id);
    return { view: render(ctx, stored) };
  },
};
