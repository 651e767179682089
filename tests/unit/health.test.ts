import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthRoute, type Probe } from '../../src/health';

async function serve(probes: Record<string, Probe>): Promise<{ server: Server; url: string }> {
  const route = healthRoute(probes);
  const server = createServer((req, res) => route.handler(Object.assign(req, { params: {} }), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz` };
}

describe('GET /healthz', () => {
  it('answers 503 and names the dependency that does not answer', async () => {
    const { server, url } = await serve({
      database: async () => undefined,
      redis: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    try {
      const response = await fetch(url);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ ok: false, database: 'ok', redis: 'down' });
    } finally {
      server.close();
    }
  });
});
