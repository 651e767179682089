import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Secrets } from '../crypto/secrets';

/** How long a Connect GitHub link works: long enough to create an organization and install the app. */
export const CONNECT_STATE_TTL_MS = 60 * 60 * 1000;

const payload = z.object({
  teamId: z.string().min(1),
  userId: z.string().min(1),
  botId: z.string().min(1),
  nonce: z.string().min(1),
  issuedAt: z.number().int(),
});
export type ConnectState = z.infer<typeof payload>;

/**
 * The `state` Baton hands GitHub's install page: sealed with Baton's encryption key (AES-GCM, so it cannot be forged
 * or read), bound to one workspace, admin and bot, and good for `CONNECT_STATE_TTL_MS`. Single use is enforced where
 * it is redeemed, by claiming its nonce.
 */
export class ConnectStates {
  constructor(
    private readonly secrets: Secrets,
    private readonly now: () => number = Date.now,
  ) {}

  issue(binding: Pick<ConnectState, 'teamId' | 'userId' | 'botId'>): ConnectState & { state: string } {
    const sealed: ConnectState = { ...binding, nonce: randomBytes(12).toString('base64url'), issuedAt: this.now() };
    const state = Buffer.from(this.secrets.encrypt(JSON.stringify(sealed))).toString('base64url');
    return { ...sealed, state };
  }

  /** The binding, or why the state cannot be used, in words for the page the admin lands on. */
  open(state: string): ConnectState | { problem: string } {
    let opened: ConnectState;
    try {
      const parsed = payload.safeParse(JSON.parse(this.secrets.decrypt(Buffer.from(state, 'base64url').toString())));
      if (!parsed.success) throw new Error('bad payload');
      opened = parsed.data;
    } catch {
      return { problem: 'This link was not made by Baton. Open the bot’s settings in Slack and press Connect GitHub.' };
    }
    if (this.now() - opened.issuedAt > CONNECT_STATE_TTL_MS)
      return { problem: 'This link has expired. Open the bot’s settings in Slack and press Connect GitHub again.' };
    return opened;
  }
}
