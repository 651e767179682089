import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log';
import type { McpSignIn, SignInStep } from './sign-in';
import { CALLBACK_PATH, START_PATH } from './tickets';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function answer(res: ServerResponse, step: SignInStep): void {
  if ('redirect' in step) {
    res.writeHead(302, { Location: step.redirect, 'Cache-Control': 'no-store' });
    res.end();
    return;
  }
  const { title, text, isError } = step.page;
  res.writeHead(isError ? 400 : 200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;line-height:1.5}</style></head>' +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
  );
}

/** Baton's sign-in pages for bots' OAuth MCP servers: start (from Slack) and the OAuth callback. */
export function mcpSignInRoutes(signIn: McpSignIn, log: Logger): CustomRoute[] {
  const route = (path: string, run: (query: URLSearchParams) => Promise<SignInStep>): CustomRoute => ({
    path,
    method: ['GET'],
    handler: (req, res) => {
      const query = new URL(req.url ?? '/', 'http://baton').searchParams;
      run(query)
        .then((step) => answer(res, step))
        .catch((error: unknown) => {
          log.error({ event: 'mcp_oauth.page_failed', path, err: error });
          answer(res, {
            page: { title: 'Sign-in failed', text: 'Something went wrong. Try again from Slack.', isError: true },
          });
        });
    },
  });
  return [
    route(START_PATH, (query) => signIn.start(query.get('ticket') ?? '')),
    route(CALLBACK_PATH, (query) => signIn.finish(query)),
  ];
}
