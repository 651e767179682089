import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions, verifySlackRequest } from '@slack/bolt';
import type { Logger } from '../../log';
import type { Foreground } from '../../ops/foreground';
import { checkSlackBody } from './request-shape';

export const SLACK_EVENTS_PATH = '/slack/events';
// Bolt's own limit; a larger body gets 413 before anything reads it.
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

type Buffered = IncomingMessage & { rawBody?: Buffer };

class TooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped rather than the socket destroyed mid-upload, so the sender gets
  // its 413 instead of a connection reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= BODY_LIMIT_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > BODY_LIMIT_BYTES) throw new TooLarge();
  return Buffer.concat(chunks);
}

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status);
  res.end();
}

function isSigned(req: IncomingMessage, body: string, signingSecret: string): boolean {
  try {
    verifySlackRequest({
      signingSecret,
      body,
      headers: {
        'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
        'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
      },
    });
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the answer has left (or the connection closed). */
const answered = (res: ServerResponse, handle: () => void) =>
  new Promise<void>((resolve) => {
    res.once('close', resolve);
    handle();
  });

/**
 * Bolt's HTTP receiver with a guard in front of `/slack/events`: the body is read once (Bolt reuses it), and one
 * whose shape Bolt cannot handle is answered here, 401 when it is not signed and 400 when it is, so whatever
 * arrives gets a 4xx or a 2xx and nothing inside Bolt throws on it. Until Slack has its answer, Bolt's handling
 * (its installation read above all) is foreground work: Slack gives up after 3 s, and in a busy process a request
 * whose database read queued behind sessions' work was answered seconds late.
 */
export class GuardedHTTPReceiver extends HTTPReceiver {
  constructor(
    options: HTTPReceiverOptions & { signingSecret: string },
    log: Logger,
    foreground?: Pick<Foreground, 'run'>,
  ) {
    super(options);
    const handOn = this.requestListener;
    this.requestListener = (req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      // Bolt decodes custom-route parameters with decodeURIComponent while matching, outside any handler, so a
      // path that is not valid percent-encoding (`/api/v1/users/%E0%A4%A`) would answer 500.
      if (!isDecodable(path)) return answer(res, 400);
      if (req.method !== 'POST' || path !== SLACK_EVENTS_PATH) return handOn(req, res);
      void guard(req as Buffered, res).catch((error: unknown) => {
        log.warn({ event: 'slack.request.unreadable', err: error });
        answer(res, 400);
      });
    };
    const guard = async (req: Buffered, res: ServerResponse) => {
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch (error) {
        return answer(res, error instanceof TooLarge ? 413 : 400);
      }
      const text = raw.toString('utf8');
      const verdict = checkSlackBody(text, req.headers['content-type']);
      if (!verdict.isWellFormed) {
        const isFromSlack = isSigned(req, text, options.signingSecret);
        log.warn({ event: 'slack.request.refused', reason: verdict.reason, isSigned: isFromSlack });
        return answer(res, isFromSlack ? 400 : 401);
      }
      req.rawBody = raw;
      if (!foreground) return handOn(req, res);
      await foreground.run(() => answered(res, () => handOn(req, res)));
    };
  }
}
