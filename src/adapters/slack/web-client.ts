import { WebClient, type WebClientOptions } from '@slack/web-api';

/** Options every outbound client shares: the configurable API URL and a bounded retry policy. */
export function webClientOptions(apiUrl: string, retries: number): WebClientOptions {
  return { slackApiUrl: apiUrl, retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 10_000 } };
}

export const createWebClient = (token: string | undefined, options: WebClientOptions): WebClient =>
  new WebClient(token, options);
