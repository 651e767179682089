import { WebClient, type WebClientOptions } from '@slack/web-api';
import { metrics } from '../../ops/metrics';

type Fetch = NonNullable<WebClientOptions['fetch']>;

/** The platform's fetch, counting each Web API call and each 429 by Slack method for /metrics. */
const countingFetch: Fetch = async (input, init) => {
  const method = new URL(String(input)).pathname.split('/').pop() || 'unknown';
  metrics.slackCalls.inc({ method });
  const response = await fetch(input, init);
  if (response.status === 429) metrics.slackRateLimited.inc({ method });
  return response;
};

/** Options every outbound client shares: the configurable API URL and a bounded retry policy. */
export function webClientOptions(apiUrl: string, retries: number): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
    fetch: countingFetch,
  };
}

export const createWebClient = (token: string | undefined, options: WebClientOptions): WebClient =>
  new WebClient(token, options);
