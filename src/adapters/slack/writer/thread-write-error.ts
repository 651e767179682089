import { failureFields } from './slack-failures';

/** A thread post that Slack refused or that never reached it; `slackError` is Slack's code when it answered. */
export class ThreadWriteError extends Error {
  readonly code: string | undefined;
  readonly slackError: string | undefined;

  constructor(
    readonly method: string,
    cause: unknown,
  ) {
    const { code, slackError } = failureFields(cause);
    super(`${method} failed: ${slackError ?? code ?? 'unknown error'}`, { cause });
    this.name = 'ThreadWriteError';
    this.code = code;
    this.slackError = slackError;
  }
}
