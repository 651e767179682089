/** Start-up cannot continue; `message` is one line saying what to fix. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
