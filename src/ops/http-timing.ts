import type { Server } from 'node:http';
import { metrics } from './metrics';

// Route labels stay few: ids in paths would make a time series per session or token.
function routeOf(path: string): string {
  if (path === '/slack/events' || path === '/healthz' || path === '/metrics' || path === '/mcp') return path;
  if (path.startsWith('/slack/')) return '/slack/*';
  if (path.startsWith('/api/v1/')) return '/api/v1/*';
  if (path.startsWith('/s/')) return '/s/:id';
  if (path.startsWith('/admin/queues')) return '/admin/queues';
  return 'other';
}

/** Times every HTTP answer of Baton's server; Slack's requests to /slack/events also count as ack latency. */
export function timeHttpRequests(server: Server): void {
  server.prependListener('request', (req, res) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      // A live event stream lasts as long as someone watches; its length says nothing about latency.
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = routeOf(new URL(req.url ?? '/', 'http://baton.invalid').pathname);
      metrics.httpDuration.observe({ method: req.method ?? 'GET', route, status: String(res.statusCode) }, seconds);
      if (route === '/slack/events') metrics.ackDuration.observe(seconds);
    });
  });
}
