import type { ServerResponse } from 'node:http';

export type DeltaType = 'agent.message' | 'agent.thinking';
export type CutMode = 'end' | 'destroy';

interface Connection {
  res: ServerResponse;
  deltas: ReadonlySet<string>;
  heartbeat: NodeJS.Timeout | undefined;
}

/** One frame per event; the SDK drops frames without an `event:` line, so it is always written. */
const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Open SSE connections per session. A connection only sees what is broadcast after it opened:
 * the real stream replays nothing.
 */
export class SseHub {
  private readonly connections = new Map<string, Set<Connection>>();

  constructor(private readonly heartbeatMs: number) {}

  open(sessionId: string, res: ServerResponse, deltas: ReadonlySet<string>, requestId: string): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': requestId,
    });
    res.flushHeaders();
    const conn: Connection = { res, deltas, heartbeat: undefined };
    if (this.heartbeatMs > 0) {
      conn.heartbeat = setInterval(() => res.write(frame('ping', { type: 'ping' })), this.heartbeatMs);
      conn.heartbeat.unref();
    }
    let set = this.connections.get(sessionId);
    if (!set) {
      set = new Set();
      this.connections.set(sessionId, set);
    }
    set.add(conn);
    res.on('close', () => this.drop(sessionId, conn));
  }

  count(sessionId: string): number {
    return this.connections.get(sessionId)?.size ?? 0;
  }

  broadcast(sessionId: string, event: { type: string }): void {
    for (const conn of this.connections.get(sessionId) ?? []) conn.res.write(frame(event.type, event));
  }

  /** `event_start` / `event_delta` previews go only to connections that asked for that delta type. */
  broadcastPreview(sessionId: string, deltaType: DeltaType, preview: { type: string }): void {
    for (const conn of this.connections.get(sessionId) ?? []) {
      if (conn.deltas.has(deltaType)) conn.res.write(frame(preview.type, preview));
    }
  }

  hasDeltaListener(sessionId: string, deltaType: DeltaType): boolean {
    return [...(this.connections.get(sessionId) ?? [])].some((c) => c.deltas.has(deltaType));
  }

  /** An `event: error` frame: the SDK's iterator throws an `APIError` without a status. */
  sendError(sessionId: string, error: { type: string; message: string }): void {
    for (const conn of this.connections.get(sessionId) ?? []) conn.res.write(frame('error', { type: 'error', error }));
  }

  /** `end` finishes the response cleanly (the iterator just stops); `destroy` drops the socket (the iterator throws). */
  cut(sessionId: string, mode: CutMode = 'destroy'): void {
    for (const conn of [...(this.connections.get(sessionId) ?? [])]) {
      this.drop(sessionId, conn);
      if (mode === 'end') conn.res.end();
      else conn.res.destroy();
    }
  }

  closeAll(): void {
    for (const sessionId of [...this.connections.keys()]) this.cut(sessionId, 'end');
  }

  private drop(sessionId: string, conn: Connection): void {
    clearInterval(conn.heartbeat);
    this.connections.get(sessionId)?.delete(conn);
  }
}
