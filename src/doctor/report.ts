import { redactUrlCredentials } from '../redact';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of `baton doctor`: what was checked, what it found, and what to do when it is not fine. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** A check's line, with the credentials of any URL in it masked (REDIS_URL, DATABASE_URL and errors naming them). */
export const formatCheck = ({ name, status, detail, fix }: CheckResult): string =>
  redactUrlCredentials(`${MARK[status]}  ${name}: ${detail}${fix && status !== 'ok' ? ` → ${fix}` : ''}`);

/** The exit code for scripts: 1 when any check failed (warnings and skips pass). */
export const exitCodeOf = (results: CheckResult[]): number => (results.some((r) => r.status === 'fail') ? 1 : 0);

/** Runs checks, turning an unexpected throw into a failed line rather than a crash of the whole report. */
export async function guarded(name: string, checks: () => Promise<CheckResult[]>, fix: string): Promise<CheckResult[]> {
  try {
    return await checks();
  } catch (error) {
    return [{ name, status: 'fail', detail: (error as Error).message, fix }];
  }
}
