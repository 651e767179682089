import Anthropic from '@anthropic-ai/sdk';

export interface AnthropicClientOptions {
  baseURL: string;
  /** Per request, up to the response headers (an open event stream is not cut by it); SDK default 10 minutes. */
  timeoutMs?: number;
  /** SDK retries for reads; creates and sent events are never retried (the SDK sends no idempotency key). */
  maxRetries?: number;
}

/** Keys differ per bot, so every call builds its own client from the shared options. */
export function anthropicClient(options: AnthropicClientOptions, apiKey: string): Anthropic {
  const { baseURL, timeoutMs, maxRetries } = options;
  return new Anthropic({
    apiKey,
    baseURL,
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    ...(maxRetries === undefined ? {} : { maxRetries }),
  });
}
