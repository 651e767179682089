import 'dotenv/config';
import { startBaton } from './baton';
import { ConfigError, loadConfig } from './config';
import { StartupError } from './errors';
import { createLogger } from './log';
import { boundHeapGrowth } from './ops/heap';

async function main(): Promise<void> {
  const config = loadConfig();
  boundHeapGrowth(config.role);
  const log = createLogger(config.logLevel);
  const baton = await startBaton(config, log);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'baton.signal', signal });
    baton.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ event: 'baton.stop.failed', err: error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Problems a person can fix get one line, without a stack trace.
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
