import { App } from '@slack/bolt';
import { SlackRoutes } from '../../handlers/routes';

// A real Bolt app (no receiver traffic, no Slack calls): the routes see what Bolt hands its listeners.
function appWith(routes: SlackRoutes): App {
  const app = new App({ token: 'xoxb-routes', signingSecret: 'routes', botId: 'B1', botUserId: 'U1' });
  routes.register(app);
  return app;
}

async function click(app: App, element: { action_id: string; block_id: string }): Promise<boolean> {
  let isAcked = false;
  await app.processEvent({
    body: {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U2' },
      actions: [{ type: 'button', action_ts: '1', ...element }],
    },
    ack: async () => {
      isAcked = true;
    },
  });
  return isAcked;
}

async function submit(app: App, callbackId: string): Promise<boolean> {
  let isAcked = false;
  await app.processEvent({
    body: { type: 'view_submission', team: { id: 'T1' }, user: { id: 'U2' }, view: { callback_id: callbackId } },
    ack: async () => {
      isAcked = true;
    },
  });
  return isAcked;
}

describe('Slack routes', () => {
  it('hands each element to the listener its block and id, its id, or a pattern of it name, in that order', async () => {
    const heard: string[] = [];
    const routes = new SlackRoutes();
    routes.action({ block_id: 'key', action_id: 'value' }, async ({ ack }) => {
      heard.push('key block');
      await ack();
    });
    routes.action('value', async ({ ack }) => {
      heard.push('value id');
      await ack();
    });
    routes.action(/^pick\.\d+$/, async ({ ack }) => {
      heard.push('pick pattern');
      await ack();
    });
    routes.submit('bot', async ({ ack }) => {
      heard.push('bot modal');
      await ack();
    });
    const app = appWith(routes);

    expect(await click(app, { block_id: 'key', action_id: 'value' })).toBe(true);
    expect(await click(app, { block_id: 'mode', action_id: 'value' })).toBe(true);
    expect(await click(app, { block_id: 'card', action_id: 'pick.3' })).toBe(true);
    expect(await submit(app, 'bot')).toBe(true);
    expect(heard).toEqual(['key block', 'value id', 'pick pattern', 'bot modal']);
  });

  it('leaves an element or a modal no route names unanswered, as Bolt does with no listener', async () => {
    const routes = new SlackRoutes();
    routes.action('stop', async ({ ack }) => ack());
    const app = appWith(routes);
    expect(await click(app, { block_id: 'card', action_id: 'pick.x' })).toBe(false);
    expect(await submit(app, 'unknown')).toBe(false);
  });

  it('refuses two listeners for one element or modal', () => {
    const routes = new SlackRoutes();
    const listener = async () => undefined;
    routes.action('stop', listener);
    routes.action({ block_id: 'b', action_id: 'v' }, listener);
    routes.submit('bot', listener);
    expect(() => routes.action('stop', listener)).toThrow('Two Slack listeners for stop');
    expect(() => routes.action({ block_id: 'b', action_id: 'v' }, listener)).toThrow('Two Slack listeners for b / v');
    expect(() => routes.submit('bot', listener)).toThrow('Two Slack listeners for bot');
  });
});
