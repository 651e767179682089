import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type ActionArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;
type ActionListener = (args: ActionArgs) => Promise<void>;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type SubmitListener = (args: SubmitArgs) => Promise<void>;

/** What picks a listener for a clicked element: its action id, a pattern of it, or the id within one block. */
export type ActionRoute = string | RegExp | { block_id: string; action_id: string };

/**
 * Buttons, menus and modal submissions routed by id inside one Bolt listener each. Bolt runs every listener's
 * matchers on every request, copying the request's arguments for each, and with some seventy listeners that copying
 * was the largest single cost of an ack after Baton's own work (about 0.35 ms of 2.3 ms a request in a profile of the
 * ack bench). An element no route names is left unanswered, as Bolt leaves one no listener matches.
 */
export class SlackRoutes {
  private readonly actionIds = new Map<string, ActionListener>();
  private readonly blockActions = new Map<string, ActionListener>();
  private readonly actionPatterns: Array<[RegExp, ActionListener]> = [];
  private readonly submits = new Map<string, SubmitListener>();

  /** Like `app.action(route, listener)`; the listener states the kind of element it expects, as with Bolt. */
  action<A extends BlockAction>(route: ActionRoute, listener: Middleware<SlackActionMiddlewareArgs<A>>): void {
    // Bolt narrows the payload the same way: the route decides which element a listener gets.
    const wide = listener as unknown as ActionListener;
    if (route instanceof RegExp) return void this.actionPatterns.push([route, wide]);
    if (typeof route === 'string') return set(this.actionIds, route, wide);
    set(this.blockActions, blockKey(route.block_id, route.action_id), wide);
  }

  /** Like `app.view(callbackId, listener)`: the modal's submission. */
  submit(callbackId: string, listener: SubmitListener): void {
    set(this.submits, callbackId, listener);
  }

  /** Registers the two listeners that route every block action and every modal submission. */
  register(app: App): void {
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const { action_id: actionId, block_id: blockId } = args.action;
      const listener =
        this.blockActions.get(blockKey(blockId, actionId)) ??
        this.actionIds.get(actionId) ??
        this.actionPatterns.find(([pattern]) => pattern.test(actionId))?.[1];
      await listener?.(args);
    });
    app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
      await this.submits.get(args.view.callback_id)?.(args);
    });
  }
}

const blockKey = (blockId: string, actionId: string) => `${blockId}\u0000${actionId}`;

function set<L>(routes: Map<string, L>, key: string, listener: L): void {
  if (routes.has(key)) throw new Error(`Two Slack listeners for ${key.replace('\u0000', ' / ')}`);
  routes.set(key, listener);
}
