import type { CustomRoute } from '@slack/bolt';
import { within } from './ops/within';

export type Probe = () => Promise<unknown>;

const PROBE_TIMEOUT_MS = 2_000;

function check(probe: Probe): Promise<'ok' | 'down'> {
  const answer = Promise.resolve()
    .then(probe)
    .then(
      () => 'ok' as const,
      () => 'down' as const,
    );
  return within(answer, PROBE_TIMEOUT_MS, 'down' as const);
}

/** GET /healthz: 200 only when every dependency answers, 503 naming the ones that do not. */
export function healthRoute(probes: Record<string, Probe>): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      void (async () => {
        const names = Object.keys(probes);
        const results = await Promise.all(names.map((name) => check(probes[name] as Probe)));
        const status = Object.fromEntries(names.map((name, i) => [name, results[i]]));
        const healthy = results.every((result) => result === 'ok');
        res.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: healthy, ...status }));
      })();
    },
  };
}
