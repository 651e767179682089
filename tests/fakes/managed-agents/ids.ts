import { randomBytes } from 'node:crypto';

/**
 * Ids look like the real ones (`agent_…`, `sevt_…`) and sort by creation: a zero-padded counter
 * shared by every prefix, then a random tail so ids from two fakes never collide.
 */
export class IdGenerator {
  private counter = 0;

  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${String(this.counter).padStart(8, '0')}${randomBytes(4).toString('hex')}`;
  }
}

export type Clock = () => Date;
export const isoNow = (clock: Clock): string => clock().toISOString();
