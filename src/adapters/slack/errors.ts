/** The Slack error code of a Web API platform error (`{ok:false, error}`), if that is what `error` is. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
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
