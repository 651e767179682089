import { App } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GuardedHTTPReceiver } from '../../src/adapters/slack/guarded-receiver';
import { createLogger } from '../../src/log';
import { Foreground } from '../../src/ops/foreground';
import { createSlackSender, slashCommand } from '../support/slack-requests';

// Slack gives up on a request after 3 s. While Bolt handles one (its installation read, the listener up to the ack),
// it is foreground work: background work in the process (session event storage) waits, and its database reads go
// ahead of background ones.

const SIGNING_SECRET = 'foreground-test-signing-secret';

const flush = () => new Promise((resolve) => setImmediate(resolve));

it('is foreground work while Bolt handles a Slack request, until Slack has its answer', async () => {
  const foreground = new Foreground({ maxHoldMs: 60_000 });
  const receiver = new GuardedHTTPReceiver(
    { signingSecret: SIGNING_SECRET, port: 0 },
    createLogger('silent'),
    foreground,
  );
  const app = new App({ receiver, token: 'xoxb-foreground-test', botId: 'B0001', botUserId: 'UBATON' });
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let handling = () => undefined as void;
  const isHandling = new Promise<void>((resolve) => (handling = resolve));
  let urgencyInside = Number.NaN;
  app.command('/baton', async ({ ack }) => {
    urgencyInside = foreground.urgency();
    handling();
    await held;
    await ack();
  });
  const server = (await app.start(0)) as Server;
  try {
    const send = createSlackSender({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      signingSecret: SIGNING_SECRET,
    });
    const answered = send.command(slashCommand({ text: 'help' }));
    await isHandling;
    expect(foreground.active).toBe(1);
    expect(urgencyInside).toBeLessThan(foreground.urgency());
    let isClear = false;
    void foreground.whenClear().then(() => (isClear = true));
    await flush();
    expect(isClear).toBe(false);

    release();
    expect((await answered).status).toBe(200);
    await flush();
    expect(isClear).toBe(true);
    expect(foreground.active).toBe(0);
  } finally {
    await app.stop();
  }
});
