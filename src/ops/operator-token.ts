import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether the request carries `Authorization: Bearer <token>`; never true when no token is configured. */
export function hasOperatorToken(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return false;
  const sent = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  // Hashing first makes the comparison constant-time whatever the lengths.
  return sent !== undefined && timingSafeEqual(digest(sent), digest(token));
}
