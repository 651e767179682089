/**
 * The Slack error code of a Web API platform error (`{ok:false, error}`), if that is what `error` is, or what it
 * wraps as its `cause` (the writer's errors do).
 */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = 'data' in error ? (error as { data?: { error?: unknown } }).data : undefined;
  if (typeof data?.error === 'string') return data.error;
  return 'cause' in error ? slackErrorCode(error.cause) : undefined;
}

/** Runs a Slack call and treats the listed error codes as success (e.g. `already_reacted`). */
export async function ignoreSlackErrors(codes: string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined || !codes.includes(code)) throw error;
  }
}
