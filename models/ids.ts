import { randomBytes } from 'node:crypto';

/** Readable, unguessable ids such as `bot_3kq9x7m2p4ab`. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url').toLowerCase()}`;
