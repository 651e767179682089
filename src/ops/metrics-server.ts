import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRoute } from './metrics-route';

/** A worker-only process has no web server; it answers /metrics on its own port so each process can be scraped. */
export async function startMetricsServer(
  port: number,
  token: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const route = metricsRoute(token);
  const server: Server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://baton.invalid').pathname === route.path && req.method === 'GET') {
      return void route.handler(req, res);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Only /metrics is served here.\n');
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
