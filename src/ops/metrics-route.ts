import type { CustomRoute } from '@slack/bolt';
import { registry } from './metrics';
import { hasOperatorToken } from './operator-token';

/** GET /metrics in Prometheus text format, only for `Authorization: Bearer <METRICS_TOKEN>`. */
export function metricsRoute(token: string): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (req, res) => {
      if (!hasOperatorToken(req, token)) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' });
        return void res.end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
      }
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`Could not collect metrics: ${(error as Error).message}\n`);
        },
      );
    },
  };
}
