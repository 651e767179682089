import type { CustomRoute } from '@slack/bolt';

export type Probe = () => Promise<unknown>;

const PROBE_TIMEOUT_MS = 2_000;

async function check(probe: Probe): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
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
