import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log';
import { CodeHostError } from '../ports/code-host';
import { GITHUB_INSTALL_PATH, GITHUB_SETUP_PATH, GITHUB_WEBHOOK_PATH } from './links';
import { completeGitHubSetup, type GitHubSetupDeps, type SetupPage } from './setup';
import { receiveGitHubDelivery, type GitHubWebhookDeps } from './webhooks';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(res: ServerResponse, { status, title, message }: SetupPage): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Baton</title>` +
      '<meta name="viewport" content="width=device-width,initial-scale=1"></head>' +
      '<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">' +
      `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
  );
}

const queryOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://baton.invalid').searchParams;

function guarded(log: Logger, event: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ event, err: error });
      if (!res.headersSent)
        page(res, {
          status: 500,
          title: 'Something went wrong',
          message: 'Baton could not finish this. Try again from Slack.',
        });
      else res.end();
    });
  };
}

/** `GET /github/install`: checks Baton's state, then sends the admin to the app's own install page with it. */
export function githubInstallRoute(deps: Pick<GitHubSetupDeps, 'codeHost' | 'states' | 'log'>): CustomRoute {
  return {
    path: GITHUB_INSTALL_PATH,
    method: ['GET'],
    handler: guarded(deps.log, 'github.install.failed', async (req, res) => {
      const state = queryOf(req).get('state') ?? '';
      const binding = deps.states.open(state);
      if ('problem' in binding)
        return page(res, { status: 400, title: 'GitHub was not connected', message: binding.problem });
      try {
        const url = await deps.codeHost.installationUrl(state);
        res.writeHead(302, { Location: url, 'Cache-Control': 'no-store' });
        res.end();
      } catch (error) {
        if (!(error instanceof CodeHostError)) throw error;
        page(res, { status: 502, title: 'GitHub is not reachable', message: error.message });
      }
    }),
  };
}

/** `GET /github/setup`: GitHub's Setup URL, where the admin lands after installing the app. */
export function githubSetupRoute(deps: GitHubSetupDeps): CustomRoute {
  return {
    path: GITHUB_SETUP_PATH,
    method: ['GET'],
    handler: guarded(deps.log, 'github.setup.error', async (req, res) => {
      const query = queryOf(req);
      page(
        res,
        await completeGitHubSetup(deps, {
          state: query.get('state') ?? undefined,
          installationId: query.get('installation_id') ?? undefined,
          setupAction: query.get('setup_action') ?? undefined,
        }),
      );
    }),
  };
}

const MAX_BODY_BYTES = 25 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const reply = (res: ServerResponse, status: number, text: string) => {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
};

/** `POST /github/webhooks`: signed deliveries from the app, verified, deduplicated by delivery id, then applied. */
export function githubWebhookRoute(deps: GitHubWebhookDeps): CustomRoute {
  return {
    path: GITHUB_WEBHOOK_PATH,
    method: ['POST'],
    handler: (req, res) => {
      void (async () => {
        const id = req.headers['x-github-delivery'];
        const name = req.headers['x-github-event'];
        const signature = req.headers['x-hub-signature-256'];
        if (typeof id !== 'string' || typeof name !== 'string' || typeof signature !== 'string')
          return reply(res, 400, 'Missing X-GitHub-Delivery, X-GitHub-Event or X-Hub-Signature-256.');
        const payload = await readBody(req);
        if (payload === undefined) return reply(res, 413, 'Payload too large.');
        try {
          const outcome = await receiveGitHubDelivery(deps, { id, name, signature, payload });
          reply(res, 200, outcome === 'duplicate' ? 'duplicate' : 'ok');
        } catch (error) {
          if (error instanceof CodeHostError && error.kind === 'forbidden') {
            deps.log.warn({ event: 'github.webhook.bad_signature', delivery: id });
            return reply(res, 401, 'Signature does not match.');
          }
          if (error instanceof SyntaxError) return reply(res, 400, 'The body is not JSON.');
          throw error;
        }
      })().catch((error: unknown) => {
        deps.log.error({ event: 'github.webhook.failed', err: error });
        if (!res.headersSent) reply(res, 500, 'Baton could not handle the delivery.');
        else res.end();
      });
    },
  };
}
