import pino from 'pino';
import { redactDeep } from './redact';

export type Logger = pino.Logger;

// Fields that may carry secrets anywhere in a log object; pino replaces them before serialising.
const REDACT = [
  'token',
  'botToken',
  'apiKey',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.botToken',
  '*.apiKey',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'baton' },
      redact: { paths: REDACT, censor: '[redacted]' },
      // A URL with a password (REDIS_URL, DATABASE_URL) can hide in any message or error: mask them all.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactDeep(arg)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
