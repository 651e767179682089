import 'dotenv/config';
import { runDoctor } from './doctor';

const USAGE = 'Usage: baton doctor    checks configuration, Redis, the database, Slack, keys and PUBLIC_URL';

async function cli(args: string[]): Promise<number> {
  if (args[0] !== 'doctor') {
    console.error(USAGE);
    return 2;
  }
  return runDoctor(process.env, (line) => console.log(line));
}

cli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
