// A minimal Self-hosted runtime for Baton: verifies each signed webhook (Standard Webhooks), calls Baton back over
// its API, and answers every task with a canned reply. No framework: node:http and the standardwebhooks package.
//
//   BATON_WEBHOOK_SECRET=whsec_… BATON_API_TOKEN=btn_pat_… PORT=4000 node examples/self-hosted-runtime.js
'use strict';
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const { Webhook } = require('standardwebhooks');

function startRuntime({
  port = 4000,
  secret,
  apiToken,
  apiUrl,
  reply = 'Hello from the example runtime!',
  log = console.log,
}) {
  const webhook = new Webhook(secret);
  const seen = new Set();

  async function call(baseUrl, method, path, body) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiToken}`,
        'content-type': 'application/json',
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${answer.message}`);
    return answer;
  }

  async function work(event) {
    const { sessionId, callbackBaseUrl } = event.data;
    // BATON_API_URL overrides the callback URL Baton sends (e.g. when Baton's PUBLIC_URL is not reachable from here).
    const base = apiUrl ?? callbackBaseUrl;
    if (event.type === 'session.started') {
      // Credentials come over the API, never in the webhook: an MCP token for Baton's thread tools, and more.
      const credentials = await call(base, 'GET', `/sessions/${sessionId}/credentials`);
      log(`session ${sessionId}: MCP server at ${credentials.mcp.url}`);
    }
    const stepId = `step-${randomUUID()}`;
    await call(base, 'POST', `/sessions/${sessionId}/steps`, {
      step_id: stepId,
      name: 'Think',
      summary: 'Reading the thread',
    });
    await call(base, 'POST', `/sessions/${sessionId}/steps/${stepId}/finished`, { summary: 'Done thinking' });
    await call(base, 'POST', `/sessions/${sessionId}/finish`, { answer: reply });
  }

  const bases = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event;
      try {
        event = webhook.verify(body, req.headers);
      } catch {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      // The same webhook-id arrives again on a retry: act once.
      if (seen.has(req.headers['webhook-id'])) return;
      seen.add(req.headers['webhook-id']);
      log(`received ${event.type}`);
      if (event.type === 'session.started') bases.set(event.data.sessionId, event.data.callbackBaseUrl);
      if (event.type === 'session.follow_up') event.data.callbackBaseUrl = bases.get(event.data.sessionId);
      if (event.type === 'session.started' || event.type === 'session.follow_up') {
        work(event).catch((error) => log(`session ${event.data.sessionId}: ${error.message}`));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

module.exports = { startRuntime };

if (require.main === module) {
  const { BATON_WEBHOOK_SECRET: secret, BATON_API_TOKEN: apiToken, BATON_API_URL: apiUrl, PORT } = process.env;
  if (!secret || !apiToken) {
    console.error('Set BATON_WEBHOOK_SECRET (shown once in the bot settings) and BATON_API_TOKEN (/baton tokens).');
    process.exit(1);
  }
  startRuntime({ port: Number(PORT ?? 4000), secret, apiToken, apiUrl }).then((server) =>
    console.log(`Runtime listening on http://127.0.0.1:${server.address().port}/`),
  );
}
