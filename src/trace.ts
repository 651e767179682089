import { randomBytes } from 'node:crypto';

/** A short id that follows one Slack request through jobs and logs, and that users can quote. */
export const newTraceId = (): string => randomBytes(6).toString('hex');
