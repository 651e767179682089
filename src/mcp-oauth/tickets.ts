import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Who may start a sign-in, for which bot and server (and which session to offer Retry on afterwards). */
export const signInTicket = z.object({
  teamId: z.string().min(1),
  userId: z.string().min(1),
  botId: z.string().min(1),
  serverId: z.string().min(1),
  sessionId: z.string().min(1).optional(),
  /** Unix seconds. */
  exp: z.number().int(),
});
export type SignInTicket = z.infer<typeof signInTicket>;

export const START_PATH = '/mcp-oauth/start';
export const CALLBACK_PATH = '/mcp-oauth/callback';
const TICKET_TTL_S = 30 * 60;

/**
 * Signs the links to Baton's sign-in page and the OAuth `state` values. A link is minted for the admin who pressed
 * Log in (or Reconnect) and expires; a state is bound to that admin and bot and, once stored, used only once.
 */
export class SignInSigner {
  private readonly key: Buffer;

  constructor(
    secret: Buffer,
    private readonly publicUrl: string,
  ) {
    this.key = createHmac('sha256', secret).update('baton-mcp-oauth').digest();
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  private isMac(text: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(text));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  linkFor(ticket: Omit<SignInTicket, 'exp'>, nowMs = Date.now()): string {
    const body = Buffer.from(
      JSON.stringify({ ...ticket, exp: Math.floor(nowMs / 1000) + TICKET_TTL_S } satisfies SignInTicket),
    ).toString('base64url');
    return `${this.publicUrl}${START_PATH}?ticket=${body}.${this.mac(body)}`;
  }

  readTicket(raw: string, nowMs = Date.now()): SignInTicket | undefined {
    const [body = '', mac = ''] = raw.split('.');
    if (!body || !this.isMac(body, mac)) return undefined;
    try {
      const ticket = signInTicket.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return ticket.exp * 1000 > nowMs ? ticket : undefined;
    } catch {
      return undefined;
    }
  }

  newState(userId: string, botId: string): string {
    const nonce = randomBytes(24).toString('base64url');
    return `${nonce}.${this.mac(`${nonce}|${userId}|${botId}`)}`;
  }

  isStateFor(state: string, userId: string, botId: string): boolean {
    const [nonce = '', mac = ''] = state.split('.');
    return Boolean(nonce) && this.isMac(`${nonce}|${userId}|${botId}`, mac);
  }

  get callbackUrl(): string {
    return `${this.publicUrl}${CALLBACK_PATH}`;
  }
}
