import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { isFinished, type Session, type StoredEvent } from '../domain/sessions';
import type { Logger } from '../log';
import type { PageTokens, ViewerClaims } from './page-tokens';
import { VIEWER_TTL_MS } from './page-tokens';
import { entryDomId, renderEntry, renderHeader, renderNotice, renderPage, type PageHeader } from './session-html';
import { buildTimeline, type Approvers } from './timeline';

export const VIEWER_COOKIE = 'baton_viewer';
const HEARTBEAT_MS = 15_000;

export interface SessionPageDeps {
  tokens: PageTokens;
  sessions: {
    get(id: string): Promise<Session | undefined>;
    events(id: string, afterSeq?: number): Promise<StoredEvent[]>;
  };
  viewers: {
    canView(session: Session, userId: string): Promise<boolean>;
    header(session: Session): Promise<PageHeader>;
    approvers(session: Session): Promise<Approvers>;
  };
  /** Cookies only over HTTPS when PUBLIC_URL is https. */
  isSecure: boolean;
  /** How often a live page looks for new events. */
  pollMs: number;
  log: Logger;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

function sendHtml(res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...extra });
  res.end(html);
}

export const cookieOf = (req: IncomingMessage, name: string): string | undefined =>
  (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name)?.[1];

const OPEN_FROM_SLACK =
  'Open it from Slack: press Open session page on the session’s card, or Open session page in its log.';

/** Who the browser is, from a fresh link (which then becomes a cookie) or the cookie. */
async function viewerOf(deps: SessionPageDeps, req: IncomingMessage, res: ServerResponse, sessionId: string, url: URL) {
  const link = url.searchParams.get('k');
  if (link !== null) {
    const claims = deps.tokens.readLink(link);
    if (!claims || claims.s !== sessionId) {
      sendHtml(
        res,
        401,
        renderNotice('This link has expired', `Links to session pages work for 10 minutes. ${OPEN_FROM_SLACK}`),
      );
      return undefined;
    }
    // Trade the link for a cookie and drop it from the address bar, so it is not shared by copying the URL.
    const cookie = [
      `${VIEWER_COOKIE}=${deps.tokens.viewer(claims.t, claims.u)}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${VIEWER_TTL_MS / 1000}`,
      ...(deps.isSecure ? ['Secure'] : []),
    ].join('; ');
    res.writeHead(303, { Location: `/s/${encodeURIComponent(sessionId)}`, 'Set-Cookie': cookie, ...SECURITY_HEADERS });
    res.end();
    return undefined;
  }
  const viewer = deps.tokens.readViewer(cookieOf(req, VIEWER_COOKIE));
  if (!viewer)
    sendHtml(
      res,
      401,
      renderNotice('Sign in from Slack', `This session page is only for people in its channel. ${OPEN_FROM_SLACK}`),
    );
  return viewer;
}

async function allowedSession(deps: SessionPageDeps, res: ServerResponse, viewer: ViewerClaims, sessionId: string) {
  const session = await deps.sessions.get(sessionId);
  // Another workspace's session looks exactly like a missing one.
  if (!session || session.teamId !== viewer.t) {
    sendHtml(
      res,
      404,
      renderNotice('No such session', 'This session does not exist, or it belongs to another workspace.'),
    );
    return undefined;
  }
  if (!(await deps.viewers.canView(session, viewer.u))) {
    sendHtml(
      res,
      403,
      renderNotice('Not for you', 'Only members of the session’s channel and Baton admins can see this session.'),
    );
    return undefined;
  }
  return session;
}

async function page(deps: SessionPageDeps, res: ServerResponse, session: Session): Promise<void> {
  const timeline = buildTimeline(await deps.sessions.events(session.id), await deps.viewers.approvers(session));
  const nonce = randomBytes(16).toString('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  const html = renderPage(await deps.viewers.header(session), timeline, nonce, !isFinished(session.status));
  sendHtml(res, 200, html, { 'Content-Security-Policy': csp });
}

/** Server-sent events: the header and every timeline entry that changed, until the session finishes. */
function stream(deps: SessionPageDeps, req: IncomingMessage, res: ServerResponse, first: Session): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    ...SECURITY_HEADERS,
  });
  const events: StoredEvent[] = [];
  const sent = new Map<string, string>();
  let header = '';
  let lastWriteAt = Date.now();
  let isClosed = false;
  let timer: NodeJS.Timeout | undefined;
  req.on('close', () => {
    isClosed = true;
    clearTimeout(timer);
  });
  const tick = async () => {
    const session = (await deps.sessions.get(first.id)) ?? first;
    events.push(...(await deps.sessions.events(first.id, events.at(-1)?.seq ?? 0)));
    const timeline = buildTimeline(events, await deps.viewers.approvers(session));
    const nextHeader = renderHeader(await deps.viewers.header(session), timeline);
    const changed = timeline.entries
      .map((entry) => ({ id: entryDomId(entry), html: renderEntry(entry, timeline.startedAt) }))
      .filter(({ id, html }) => sent.get(id) !== html);
    const isDone = isFinished(session.status);
    if (changed.length > 0 || nextHeader !== header || isDone) {
      changed.forEach(({ id, html }) => sent.set(id, html));
      const update = { header: nextHeader === header ? null : nextHeader, entries: changed, isFinished: isDone };
      header = nextHeader;
      res.write(`event: update\ndata: ${JSON.stringify(update)}\n\n`);
      lastWriteAt = Date.now();
    } else if (Date.now() - lastWriteAt > HEARTBEAT_MS) {
      res.write(': still here\n\n');
      lastWriteAt = Date.now();
    }
    return isDone;
  };
  const loop = () => {
    if (isClosed) return;
    tick().then(
      (isDone) => {
        if (isDone) res.end();
        else if (!isClosed) timer = setTimeout(loop, deps.pollMs);
      },
      (error: unknown) => {
        deps.log.warn({ event: 'session_page.stream.failed', sessionId: first.id, err: error });
        res.end();
      },
    );
  };
  loop();
}

/** GET /s/<session id> (the page) and /s/<session id>/events (its live updates). */
export function sessionPageRoute(deps: SessionPageDeps): CustomRoute {
  return {
    path: '/s/:id{/:part}',
    method: ['GET'],
    handler: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://baton.invalid');
      const [, , rawId = '', part] = url.pathname.split('/');
      const sessionId = decodeURIComponent(rawId);
      void (async () => {
        if (part !== undefined && part !== 'events')
          return sendHtml(res, 404, renderNotice('Not found', 'There is no such page.'));
        const viewer = await viewerOf(deps, req, res, sessionId, url);
        if (!viewer) return;
        const session = await allowedSession(deps, res, viewer, sessionId);
        if (!session) return;
        if (part === 'events') return stream(deps, req, res, session);
        await page(deps, res, session);
      })().catch((error: unknown) => {
        deps.log.error({ event: 'session_page.failed', sessionId, err: error });
        if (!res.headersSent)
          sendHtml(res, 500, renderNotice('Something went wrong', 'Baton could not show this session. Try again.'));
        else res.end();
      });
    },
  };
}
