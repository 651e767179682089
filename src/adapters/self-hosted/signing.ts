import { createHmac } from 'node:crypto';

const keyOf = (secret: string) => Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');

/** One Standard Webhooks `v1` signature of `${id}.${timestamp}.${body}` (HMAC-SHA256, base64). */
export const signatureOf = (secret: string, id: string, timestampS: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampS}.${body}`).digest('base64')}`;

/** The headers of one delivery attempt, signed by every secret in use (two during a rotation). */
export function webhookHeaders(secrets: string[], id: string, timestampS: number, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': secrets.map((s) => signatureOf(s, id, timestampS, body)).join(' '),
  };
}
