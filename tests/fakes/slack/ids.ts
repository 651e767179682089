import { randomBytes } from 'node:crypto';

/** The workspace every fake and payload builder agrees on unless a test says otherwise. */
export const SLACK_DEFAULTS = {
  teamId: 'T0001',
  teamName: 'Baton Test',
  teamDomain: 'baton-test',
  userId: 'U0001',
  userName: 'ada',
  channelId: 'C0001',
  channelName: 'general',
  appId: 'A0001',
  botUserId: 'UBATON',
  botId: 'B0001',
} as const;

let lastTsMicros = 0;

/**
 * A Slack message timestamp ("1700000000.000100"), unique and increasing across the whole test process, so a
 * ts minted by a payload builder never collides with one the fake Slack server hands out.
 */
export function nextTs(): string {
  lastTsMicros = Math.max(lastTsMicros + 1, Date.now() * 1000);
  return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
}

let lastId = 0;

/** A Slack-style id such as `V00000001` or `Ev0000002A`. */
export const nextId = (prefix: string): string => `${prefix}${(++lastId).toString(36).toUpperCase().padStart(8, '0')}`;

/** Same shape as Slack's trigger ids: `12345.98765.abcd2358fdea`. */
export const nextTriggerId = (): string => `${Date.now()}.${++lastId}.${randomBytes(8).toString('hex')}`;

/** Orders two message timestamps without going through floating point (which loses the microseconds). */
export function compareTs(a: string, b: string): number {
  const [aSec = '0', aMicro = '0'] = a.split('.');
  const [bSec = '0', bMicro = '0'] = b.split('.');
  return Number(aSec) - Number(bSec) || Number(aMicro.padEnd(6, '0')) - Number(bMicro.padEnd(6, '0'));
}
