import type { WebClient } from '@slack/web-api';
import { BOT_SCOPES } from '../adapters/slack/scopes';
import type { CheckResult } from './report';

const slackError = (error: unknown): string =>
  (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;

/** auth.test with a bot token, then its scopes against the manifest's. */
export async function checkBotToken(name: string, client: WebClient, fix: string): Promise<CheckResult[]> {
  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await client.auth.test();
  } catch (error) {
    return [{ name, status: 'fail', detail: `auth.test failed (${slackError(error)})`, fix }];
  }
  const results: CheckResult[] = [
    { name, status: 'ok', detail: `auth.test: bot ${auth.user ?? auth.user_id} in ${auth.team ?? auth.team_id}` },
  ];
  const granted = new Set(auth.response_metadata?.scopes ?? []);
  const missing = BOT_SCOPES.filter((scope) => !granted.has(scope));
  results.push(
    missing.length === 0
      ? { name: `${name} scopes`, status: 'ok', detail: `all ${BOT_SCOPES.length} scopes of manifest.yml granted` }
      : {
          name: `${name} scopes`,
          status: 'fail',
          detail: `missing ${missing.join(', ')}`,
          fix: 'add them from manifest.yml under OAuth & Permissions › Scopes, then reinstall the app to the workspace',
        },
  );
  return results;
}

/** Socket Mode: the app-level token can open a connection. */
export async function checkSocketMode(client: WebClient): Promise<CheckResult> {
  const name = 'Slack events (Socket Mode)';
  try {
    await client.apps.connections.open();
    return { name, status: 'ok', detail: 'SLACK_APP_TOKEN opens a Socket Mode connection' };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `apps.connections.open failed (${slackError(error)})`,
      fix: 'create an app-level token with connections:write under Basic Information › App-Level Tokens and set SLACK_APP_TOKEN',
    };
  }
}

/** HTTP mode: Slack's request URL answers as Bolt does to an unsigned request (401), so Slack's events get in. */
export async function checkEventsUrl(publicUrl: string, timeoutMs: number): Promise<CheckResult> {
  const name = 'Slack events URL';
  const url = `${publicUrl}/slack/events`;
  const fix = `make ${url} reachable from the internet and set it as the Request URL in your Slack app (Event Subscriptions, Interactivity, Slash Commands)`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401) return { name, status: 'ok', detail: `${url} verifies Slack signatures` };
    return {
      name,
      status: 'fail',
      detail: `${url} answered ${response.status}, not Baton's 401 to an unsigned request`,
      fix,
    };
  } catch (error) {
    return { name, status: 'fail', detail: `${url} unreachable (${(error as Error).message})`, fix };
  }
}
