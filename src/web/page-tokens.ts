import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** A link from Slack: opens one session's page for one person, for a few minutes. */
const linkClaims = z.object({ k: z.literal('link'), s: z.string(), t: z.string(), u: z.string(), e: z.number() });
/** The cookie the link leaves behind: who the browser belongs to, for some hours. */
const viewerClaims = z.object({ k: z.literal('viewer'), t: z.string(), u: z.string(), e: z.number() });

export type LinkClaims = z.infer<typeof linkClaims>;
export type ViewerClaims = z.infer<typeof viewerClaims>;

export const LINK_TTL_MS = 10 * 60 * 1000;
export const VIEWER_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * Signs and checks the session page's links and cookies (HMAC-SHA256 with expiry). The key is derived from Baton's
 * encryption key, so no new secret is needed and rotating that key ends every link and sign-in.
 */
export class PageTokens {
  private readonly key: Buffer;

  constructor(
    encryptionKey: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'baton session pages', 32));
  }

  link(sessionId: string, teamId: string, userId: string): string {
    return this.sign({ k: 'link', s: sessionId, t: teamId, u: userId, e: this.now() + LINK_TTL_MS });
  }

  viewer(teamId: string, userId: string): string {
    return this.sign({ k: 'viewer', t: teamId, u: userId, e: this.now() + VIEWER_TTL_MS });
  }

  readLink(token: string | undefined): LinkClaims | undefined {
    return this.read(token, linkClaims);
  }

  readViewer(token: string | undefined): ViewerClaims | undefined {
    return this.read(token, viewerClaims);
  }

  private sign(claims: LinkClaims | ViewerClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  private read<T extends { e: number }>(token: string | undefined, schema: z.ZodType<T>): T | undefined {
    const [body, mac, extra] = (token ?? '').split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return claims.success && claims.data.e > this.now() ? claims.data : undefined;
    } catch {
      return undefined;
    }
  }
}
