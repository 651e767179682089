import {
  ackTable,
  machineLines,
  pickupTable,
  quietLine,
  ratioTable,
  roleLabel,
  settingsLine,
  verdicts,
  type Report,
} from './report';
import { KIND_LABEL } from './requests';
import type { SessionsResult } from './sessions-metrics';
import {
  callsTable,
  gapLine,
  sessionsMisses,
  sessionsOutcomeLine,
  sessionsSettingsLine,
  sessionsTable,
} from './sessions-report';
import type { Machine } from './machine';

// The findings are written by a person after looking at a run; a new run keeps them and replaces the rest.
const FINDINGS_START = '<!-- findings:start -->';
const FINDINGS_END = '<!-- findings:end -->';
const NO_FINDINGS = '_No notes yet._';
// The fault suite is not run by the bench: its tally lines are copied in by hand and every run keeps them as they are.
const NO_FAULTS = '_Not recorded yet: run `npm run test:faults` and copy its tally lines here._';

const HOW_TO_RUN = `Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 as for \`npm test\` (\`TEST_REDIS_URL\` and
\`TEST_DATABASE_URL\` override them), and an otherwise idle machine.

\`\`\`sh
npm run bench                                         # the full run: ack bench, pick-up, then sessions (about 14 min)
BENCH_SECONDS=5 BENCH_WARMUP_SECONDS=1 npm run bench  # a quick run
BENCH_ONLY=sessions npm run bench                     # only the sessions part (three layouts with their warm-ups, about 6 min); BENCH_ONLY=ack the others
\`\`\`

Other knobs: \`BENCH_RPS\` (200), \`BENCH_SEGMENT_SECONDS\` (2), \`BENCH_JOBS\` (2000), \`BENCH_JOB_RPS\` (200),
\`BENCH_BATON_ROLE\` (both by default: \`web\` beside a worker process, then \`all\`; set one to run only it), \`BENCH_QUIET_PERCENT\` (25). Sessions: \`BENCH_SESSIONS\` (200),
\`BENCH_WORKSPACES\` (10), \`BENCH_WARM_UP_SESSIONS\` (20; 0 for a cold process), \`BENCH_CHANNELS\` (5 per workspace; a single-channel run always follows), \`BENCH_WORKERS\` (2: a scale-out run with one web and that many worker processes on the same Redis and PostgreSQL follows; 0 leaves it out), \`BENCH_DATABASE\`
(\`postgres\`; \`pglite\` runs Baton on the embedded PGlite as \`npm start\` without \`DATABASE_URL\` does, with no scale-out
run: e.g. \`BENCH_DATABASE=pglite BENCH_SESSIONS=30 BENCH_WORKSPACES=3\` for its RSS idle and with 30 sessions),
\`BENCH_BATON_NODE_ARGS\` (Node flags for the Baton processes only, e.g. \`--cpu-prof\`), \`BENCH_BATON_LOG_LEVEL\`
(\`silent\`; e.g. \`info\` prints Baton's log lines with the bench's output), \`BENCH_BATON_BUILD\`
(\`1\`: Baton processes run compiled JavaScript as \`npm start\` does, not through the bench's TypeScript hook, which
adds 65–135 MiB of RSS), \`BENCH_EVENTS_PER_SECOND\` (20), \`BENCH_SESSION_SECONDS\` (20, so the part ends in about 2–3 minutes on
2 cores; the fair card gap with 20 cards per workspace is 24 s, so use 60 or more to see several gaps per card). Every run rewrites this file
except the Findings and the Fault and abuse suite sections, and a part left out with \`BENCH_ONLY\` keeps its previous section.

To compare two builds, run each more than once and alternate them (A, B, A, B): on a shared 2-core machine the CPU
the same work takes has varied by up to a third from one run to the next (Findings, stop 32).

The Fault and abuse suite section is not written by the bench: \`npm run test:faults\` (jest on \`tests/faults/\`, one file
at a time) prints one tally line per file, \`faults/<file>: …\`, with the requests or sessions it drove, the faults
it injected and what was lost; a seeded file prints its seed first (replay it with \`FAULTS_SEED=<seed>\`). Those
lines go into that section by hand with the machine and date of the run, and every bench run carries the section
over as it is.`;

const WHAT_IS_MEASURED = `**Ack latency.** Baton is started with \`startBaton(loadConfig(env), logger)\` as
\`tests/support/harness.ts\` does, twice: with \`BATON_ROLE=web\` beside a worker process of its own (target: p99 ≤
1.3 × bare Bolt's), then with role \`all\`, its BullMQ worker in the same process (target: p99 ≤ 25 ms); \`LOG_LEVEL=silent\`,
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

const SESSIONS_MEASURED = `**Sessions.** Baton runs in its own process as above, but in OAuth mode (\`SLACK_CLIENT_ID\`,
\`SLACK_CLIENT_SECRET\`, \`SLACK_STATE_SECRET\`) with \`SESSION_CONCURRENCY\` ≥ the session count. Before it starts, the
bench seeds each workspace through Baton's own repositories: an installation (\`DbInstallationStore\`, one bot token
per team, encrypted with the same \`BATON_ENCRYPTION_KEY\` Baton gets), one Claude bot, a saved Anthropic key, and a
connection to an existing agent and environment created with the real SDK on the fake Managed Agents API. The fake
Slack (Slack's published limits from \`tests/fakes/slack/slack-limits.ts\` as token buckets: each method's tier per
workspace, \`chat.postMessage\` 1/s per channel plus 300/min per workspace, short bursts; a 429 with Retry-After beyond
them) and the fake Managed Agents API run in the
bench process, so their recordings and the mention send times share one clock with each other; PostgreSQL's clock is
the same machine's. Each session is a signed \`app_mention\` from its workspace that is the root of its own thread,
sent open-loop and spread evenly over two seconds. Every provider session runs one scripted turn: alternating
\`agent.tool_use\` and \`agent.tool_result\` events paced by \`delayMs\` steps, then \`agent.message\` and the final idle.
Before the measured mentions, Baton runs \`BENCH_WARM_UP_SESSIONS\` (20) sessions of 3 s in a workspace of their own,
mentioned 100 ms apart, until each has answered and Baton has sent everything for them (no Slack call for 3 s), as
the ack bench warms each target up first: the figures are those of a process that has served work before (its code
compiled, its connections open). The fake Slack then forgets their calls and budgets; the CPU figure starts after
them, the idle RSS is read before them. \`BENCH_WARM_UP_SESSIONS=0\` measures a cold process.

- *floor*: what Slack's limits allow at best in the same run, from the same token buckets: for the first sign of
  life, each session's 👀 and card replayed in mention order; for the final state, each finished session's answer
  (its channel's posts) and final card (the workspace's \`chat.update\` tier) replayed in the order the provider
  sessions finished. Ratios divide Baton's p95 by the floor's p95 (a floor under a second counts as one second, the
  card's own minimum interval).
- *mention → first sign of life*: from just before the bench sends the mention to the fake Slack recording the
  session's first \`reactions.add\` (👀) or \`chat.postMessage\` (the card).
- *visible progress*: the longest time a live session went without a card update, a thread status or a reaction.
- *429s*: every 429 the fake Slack answered during the part, by method.
- *live-card gap*: for each card, the longest time between successive writes (the card post, then every successful
  \`chat.update\` of it) from the post until the provider's final idle event (which closes the last gap), divided by
  the fair gap: 60 s / 50 × the cards of that workspace sharing its \`chat.update\` budget at any time during the
  gap (a card shares it from its post until its final state is written, which goes before live updates).
- *provider finished → answer and final card*: from the fake's final \`session.status_idle\` (\`processed_at\`) to
  the later of the answer's post and the card's last update, for sessions that ended.
- *event → stored*: each stored event's \`session_events.at\` minus the fake's \`processed_at\` for it (both ms). \`at\`
  is PostgreSQL's \`now()\`, the start of the storing transaction, so the commit itself is not in it.
- *RSS peak*: \`VmRSS\` of the Baton process from \`/proc\`, sampled every 250 ms.
- *calls per session*: every call the fake Slack recorded during the part, by method, divided by the sessions.`;

function verdictLines(report: Report): string[] {
  const missed = verdicts(report).filter((v) => v.misses.length > 0);
  if (missed.length === 0) return ['Both request kinds met the Foundation targets in this run.'];
  return missed.map((v) => `- **${KIND_LABEL[v.kind]}** missed: ${v.misses.join('; ')}.`);
}

const measuredLine = (date: Date) => `_Measured ${date.toISOString().replace(/\.\d+Z$/, 'Z')}._`;

function ackSection(reports: Report[]): string[] {
  const [first] = reports as [Report];
  return [
    measuredLine(first.date),
    '',
    '## Ack latency',
    '',
    ...reports.flatMap((report) => [
      `### ${roleLabel(report.role)}`,
      '',
      `Load: ${settingsLine(report)}`,
      '',
      ackTable(report),
      '',
      quietLine(report),
      '',
      ratioTable(report),
      '',
      ...verdictLines(report),
      '',
    ]),
    '## Enqueue → worker pick-up',
    '',
    pickupTable(first),
  ];
}

function sessionsSection(results: SessionsResult[], date: Date): string[] {
  return ['## Sessions', '', measuredLine(date), '', ...results.flatMap(layoutSection)];
}

function layoutSection(r: SessionsResult): string[] {
  const misses = sessionsMisses(r);
  return [
    `### ${r.channels === 1 ? 'All sessions of a workspace in one channel' : `Sessions spread over ${r.channels} channels per workspace`}${r.workers ? `, one web and ${r.workers} worker processes` : ''}${r.settings.database === 'pglite' ? ' (PGlite)' : ''}`,
    '',
    `Load: ${sessionsSettingsLine(r)}`,
    '',
    sessionsOutcomeLine(r),
    '',
    sessionsTable(r),
    '',
    gapLine(r),
    '',
    ...(misses.length === 0 ? ['Every sessions target was met in this run.'] : misses.map((m) => `- Missed: ${m}.`)),
    '',
    callsTable(r),
    '',
  ];
}

/** The text between `<!-- name:start -->` and `<!-- name:end -->` in a previous results file, if any. */
function block(previous: string, name: string): string | undefined {
  const [open, close] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const start = previous.indexOf(open);
  const end = previous.indexOf(close);
  return start >= 0 && end > start ? previous.slice(start + open.length, end).trim() : undefined;
}

const wrap = (name: string, lines: string[]): string[] => [
  `<!-- ${name}:start -->`,
  '',
  ...lines,
  '',
  `<!-- ${name}:end -->`,
];

export interface ResultsInput {
  date: Date;
  machine: Machine;
  /** One per BATON_ROLE measured; undefined when the part was left out (BENCH_ONLY): its previous section is kept. */
  reports: Report[] | undefined;
  sessions: SessionsResult[] | undefined;
}

export function renderResults({ date, machine, reports, sessions }: ResultsInput, previous: string): string {
  const notRun = '_Not run yet._';
  const ack = reports?.length ? ackSection(reports) : [block(previous, 'ack') ?? notRun];
  const sessionLines = sessions ? sessionsSection(sessions, date) : [block(previous, 'sessions') ?? notRun];
  return [
    '# Benchmark results',
    '',
    ...machineLines({ machine, date }),
    '',
    ...wrap('ack', ack),
    '',
    ...wrap('sessions', sessionLines),
    '',
    '## Fault and abuse suite',
    '',
    ...wrap('faults', [block(previous, 'faults') || NO_FAULTS]),
    '',
    '## Findings',
    '',
    FINDINGS_START,
    readFindings(previous),
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
    SESSIONS_MEASURED,
    '',
  ].join('\n');
}

/** The hand-written findings of the previous results file, so a new run can carry them over. */
export function readFindings(previous: string): string {
  const start = previous.indexOf(FINDINGS_START);
  const end = previous.indexOf(FINDINGS_END);
  const findings = start >= 0 && end > start ? previous.slice(start + FINDINGS_START.length, end).trim() : '';
  return findings || NO_FINDINGS;
}
