import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { startHarness, type Harness } from '../support/harness';
import { appMention, slashCommand } from '../support/slack-requests';

/** Slack's side of Socket Mode: says hello, sends envelopes, and collects Baton's acks by envelope id. */
class FakeSocketModeServer {
  readonly server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  private socket: Promise<WebSocket>;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private next = 0;

  constructor() {
    this.socket = new Promise((resolve) => {
      this.server.on('connection', (socket) => {
        socket.on('message', (raw) => {
          const ack = JSON.parse(String(raw)) as { envelope_id: string; payload?: unknown };
          this.acks.get(ack.envelope_id)?.(ack.payload);
        });
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1 }));
        resolve(socket);
      });
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async send(type: 'slash_commands' | 'events_api', payload: unknown): Promise<unknown> {
    const envelopeId = `env-${++this.next}`;
    const acked = new Promise((resolve) => this.acks.set(envelopeId, resolve));
    (await this.socket).send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }),
    );
    return acked;
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let socketMode: FakeSocketModeServer;
let h: Harness;
beforeAll(async () => {
  socketMode = new FakeSocketModeServer();
  await new Promise((resolve) => socketMode.server.once('listening', resolve));
  h = await startHarness({ SLACK_APP_TOKEN: 'xapp-1-test' }, { socketModeUrl: socketMode.url });
});
afterAll(async () => {
  await h.stop();
  await socketMode.close();
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects out to Slack and answers commands and mentions over the socket', async () => {
    const opened = await h.slack.waitFor('apps.connections.open');
    expect(opened.token).toBe('xapp-1-test');

    const help = await socketMode.send('slash_commands', slashCommand({ text: 'help' }));
    expect(JSON.stringify(help)).toContain('/baton help');

    await socketMode.send('events_api', appMention({ text: '<@UBATON> ping', ts: '1700002000.000100' }));
    const pong = await h.slack.waitFor('chat.postMessage');
    expect(pong.args).toMatchObject({ text: 'pong', thread_ts: '1700002000.000100' });
  });
});
