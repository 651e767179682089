import { readFile } from 'node:fs/promises';
import {
  ackTable,
  machineLines,
  pickupTable,
  quietLine,
  ratioTable,
  settingsLine,
  verdicts,
  type Report,
} from './report';
import { KIND_LABEL } from './requests';

// The findings are written by a person after looking at a run; a new run keeps them and replaces the rest.
const FINDINGS_START = '<!-- findings:start -->';
const FINDINGS_END = '<!-- findings:end -->';
const NO_FINDINGS = '_No notes yet._';

const HOW_TO_RUN = `Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 as for \`npm test\` (\`TEST_REDIS_URL\` and
\`TEST_DATABASE_URL\` override them), and an otherwise idle machine.

\`\`\`sh
npm run bench                                         # the full run: 30 s per target and kind at 200 requests/s
BENCH_SECONDS=5 BENCH_WARMUP_SECONDS=1 npm run bench  # a quick run
\`\`\`

Other knobs: \`BENCH_RPS\` (200), \`BENCH_SEGMENT_SECONDS\` (2), \`BENCH_JOBS\` (2000), \`BENCH_JOB_RPS\` (200),
\`BENCH_BATON_ROLE\` (\`all\`; \`web\` as a diagnostic), \`BENCH_QUIET_PERCENT\` (25). Every run rewrites this file except the Findings section.`;

const WHAT_IS_MEASURED = `**Ack latency.** Baton is started with \`startBaton(loadConfig(env), logger)\` as
\`tests/support/harness.ts\` does (role \`all\`, so its BullMQ worker runs in the same process, \`LOG_LEVEL=silent\`,
a scratch PostgreSQL database from \`createScratchPostgres()\`, real Redis under a unique \`BATON_REDIS_PREFIX\`, and
the fake Slack Web API from \`tests/fakes\`). Next to it runs a bare Bolt app with the same \`HTTPReceiver\`: a
\`/baton\` listener that only acks and an \`app_mention\` listener that does nothing. Baton, the bare app, the fake
Slack and the load generator each run in their own Node process, so no two share an event loop.

The load generator sends signed requests (\`/baton help\` slash commands, and \`app_mention\` "ping" events with a
fresh \`event_id\` each) open-loop: request *i* goes out at *start + i / rate* whether or not earlier ones were
answered. Latency runs from just before \`undici.request\` writes the request (keep-alive pool) to the end of the
response body, so any queueing in the target counts. The two targets are **interleaved**: each kind runs in
segments, alternating A B, B A, … so both see the same machine conditions; only one target is loaded at a time.
Before each segment the bench waits (up to a minute) for a quarter second in which the machine is under
\`BENCH_QUIET_PERCENT\` (25%) busy, so a burst of unrelated work (a compiler, a test run) does not land on one target
only. Each segment is followed by a half-second pause so that Baton's post-ack work (dedupe write, enqueue, the worker's
replies to the fake Slack) finishes before the other target's segment. CPU ms/req is the target process's CPU time
over its segments and pauses divided by the requests sent, so for Baton it includes that post-ack work; loop p99 is
the worst per-segment p99 event-loop delay of the target process; machine CPU is how busy all cores were (every
process: PostgreSQL, Redis, the fake Slack, the generator and anything else running) while that target was under
load. \`BENCH_BATON_ROLE=web\` runs Baton without its in-process worker, to see what the worker costs.

**Enqueue → pick-up.** A BullMQ \`Queue\` and \`Worker\` with Baton's job options and worker concurrency, on
connections from \`jobs/redis.ts\` \`createRedis\`, in a bench-only queue under a unique prefix. Jobs are added at a
steady pace, each carrying \`performance.now()\` from just before \`queue.add\`; the processor records the time to its
own start. Producer and worker share one process and so one monotonic clock.

Redis keys and the scratch database are removed at the end, also when the run fails.`;

function verdictLines(report: Report): string[] {
  const missed = verdicts(report).filter((v) => v.misses.length > 0);
  if (missed.length === 0) return ['Both request kinds met the Foundation targets in this run.'];
  return missed.map((v) => `- **${KIND_LABEL[v.kind]}** missed: ${v.misses.join('; ')}.`);
}

export function renderResults(report: Report, findings: string): string {
  return [
    '# Benchmark results',
    '',
    ...machineLines(report),
    `- Load: ${settingsLine(report)}`,
    '',
    '## Ack latency',
    '',
    ackTable(report),
    '',
    quietLine(report),
    '',
    ratioTable(report),
    '',
    ...verdictLines(report),
    '',
    '## Enqueue → worker pick-up',
    '',
    pickupTable(report),
    '',
    '## Findings',
    '',
    FINDINGS_START,
    findings,
    FINDINGS_END,
    '',
    '## How to run',
    '',
    HOW_TO_RUN,
    '',
    '## What is measured',
    '',
    WHAT_IS_MEASURED,
    '',
  ].join('\n');
}

/** The hand-written findings of the current results file, so a new run can carry them over. */
export async function readFindings(path: string): Promise<string> {
  const previous = await readFile(path, 'utf8').catch(() => '');
  const start = previous.indexOf(FINDINGS_START);
  const end = previous.indexOf(FINDINGS_END);
  const findings = start >= 0 && end > start ? previous.slice(start + FINDINGS_START.length, end).trim() : '';
  return findings || NO_FINDINGS;
}
