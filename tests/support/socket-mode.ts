import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Slack's side of Socket Mode: says hello, sends envelopes, and collects Baton's acks by envelope id. */
export class FakeSocketModeServer {
  readonly server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  private socket: Promise<WebSocket>;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private next = 0;

  /** A server already listening, so its `url` is known. */
  static async start(): Promise<FakeSocketModeServer> {
    const server = new FakeSocketModeServer();
    await new Promise((resolve) => server.server.once('listening', resolve));
    return server;
  }

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

  /** Sends one envelope (each with a new envelope id) and resolves with Baton's ack payload. */
  async send(
    type: 'slash_commands' | 'events_api',
    payload: unknown,
    extra: { retry_attempt?: number; retry_reason?: string } = {},
  ): Promise<unknown> {
    const envelopeId = `env-${++this.next}`;
    const acked = new Promise((resolve) => this.acks.set(envelopeId, resolve));
    (await this.socket).send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true, ...extra }),
    );
    return acked;
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
