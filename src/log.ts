import pino from 'pino';

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
  return pino({ level, base: { app: 'baton' }, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
