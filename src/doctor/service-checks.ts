import type { CheckResult } from './report';

/** PUBLIC_URL answers /healthz with every dependency up. */
export async function checkPublicUrl(publicUrl: string, isSet: boolean, timeoutMs: number): Promise<CheckResult> {
  const name = 'PUBLIC_URL';
  const fix = isSet
    ? `start Baton, and make ${publicUrl} reach it (DNS, TLS, proxy)`
    : 'set PUBLIC_URL to the https:// address people and agents reach Baton at';
  try {
    const response = await fetch(`${publicUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok && body.ok === true) {
      return isSet
        ? { name, status: 'ok', detail: `${publicUrl}/healthz answers ok` }
        : { name, status: 'warn', detail: `not set; Baton answers at ${publicUrl}, which agents cannot reach`, fix };
    }
    return {
      name,
      status: 'fail',
      detail: `${publicUrl}/healthz answered ${response.status} ${JSON.stringify(body)}`,
      fix,
    };
  } catch (error) {
    return { name, status: 'fail', detail: `${publicUrl}/healthz unreachable (${(error as Error).message})`, fix };
  }
}

/** A Cursor API key answers GET /v0/me. */
export async function checkCursorKey(
  apiUrl: string,
  label: string,
  apiKey: string,
  timeoutMs: number,
): Promise<CheckResult> {
  const name = `Cursor key "${label}"`;
  try {
    const response = await fetch(`${apiUrl.replace(/\/$/, '')}/v0/me`, {
      headers: { authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok) return { name, status: 'ok', detail: 'accepted by Cursor' };
    return {
      name,
      status: 'fail',
      detail: `Cursor answered ${response.status}`,
      fix: 'create a new key in Cursor’s dashboard (Integrations › API keys) and save it on the bot',
    };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `Cursor unreachable (${(error as Error).message})`,
      fix: 'check CURSOR_API_URL',
    };
  }
}
