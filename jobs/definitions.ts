import { z } from 'zod';

export const QUEUE_NAME = 'tasks';
/** Sessions run for minutes; they get their own queue so quick jobs never wait behind them. */
export const SESSION_QUEUE_NAME = 'sessions';
/** Triggers (mentions, DMs, replies, picks) have a queue and worker of their own: a person waits for their first sign. */
export const TRIGGER_QUEUE_NAME = 'triggers';
export const QUEUE_NAMES = [TRIGGER_QUEUE_NAME, QUEUE_NAME, SESSION_QUEUE_NAME] as const;

const teamRef = { teamId: z.string().min(1), enterpriseId: z.string().optional() };

/**
 * Something in Slack asked a bot for work: a mention, a DM, a reply in a thread with an active session, the
 * "Assign to bot" shortcut, the bot picker or Retry. The job decides what it means (see src/sessions/decide.ts).
 */
export const handToBot = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  source: z.enum(['mention', 'dm', 'reply', 'assignment', 'pick', 'retry']),
  channel: z.string().min(1),
  userId: z.string().min(1),
  /** The message that asked (it gets the reactions), and the thread the session works in. */
  messageTs: z.string().min(1),
  threadTs: z.string().min(1),
  /** What the person wrote, without the mention of Baton (Slack caps a message at 40,000 characters). */
  words: z.string().max(40_000),
  botId: z.string().min(1).optional(),
  /** The message as written when it opens its thread (a mention or DM at the top level); see `OpeningMessage`. */
  opening: z.object({ text: z.string().max(40_000), files: z.array(z.string().max(255)).max(100) }).optional(),
  /** For `pick`: the picker whose stored words are the task. For `retry`: the failed session to run again. */
  pickId: z.string().min(1).optional(),
  retryOf: z.string().min(1).optional(),
  /** Set when the web process has tried 👀 on a mention that is surely work (see `onAppMention`): whether it went. */
  heard: z.boolean().optional(),
});
export type HandToBot = z.infer<typeof handToBot>;

/** Slack's own Stop in its agent surface: stop every session running in that thread. */
export const stopThread = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  channel: z.string().min(1),
  threadTs: z.string().min(1),
  userId: z.string().min(1),
});

export const publishHome = z.object({ v: z.literal(1), traceId: z.string(), ...teamRef, userId: z.string().min(1) });
export type PublishHome = z.infer<typeof publishHome>;

/** A modal to refresh when the job is done: the Agent connection modal of one bot. */
const connectionViewRef = z.object({
  viewId: z.string().min(1),
  botId: z.string().min(1),
  mode: z.enum(['managed', 'existing']),
});

export const validateKey = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  keyId: z.string().min(1),
  userId: z.string().min(1),
  view: connectionViewRef.optional(),
});
export type ValidateKey = z.infer<typeof validateKey>;

export const refreshResources = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  keyId: z.string().min(1),
  userId: z.string().min(1),
  view: connectionViewRef,
});

export const syncBot = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  botId: z.string().min(1),
  actorId: z.string().min(1),
  /** The Agent connection modal to redraw when the sync is done (its MCP servers' states changed). */
  viewId: z.string().min(1).optional(),
});
export type SyncBot = z.infer<typeof syncBot>;

/** "Connect an existing agent" was submitted: check the choices still exist, then save them. */
export const connectExisting = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  botId: z.string().min(1),
  actorId: z.string().min(1),
  viewId: z.string().min(1),
  keyId: z.string().min(1),
  agentId: z.string().min(1),
  environmentId: z.string().min(1),
  vaultIds: z.array(z.string()),
  toolMode: z.enum(['basic', 'full']),
  allowDirectApi: z.boolean(),
});
export type ConnectExisting = z.infer<typeof connectExisting>;

export const askAgent = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  botId: z.string().min(1),
  userId: z.string().min(1),
  viewId: z.string().min(1),
  ask: z.string().min(1).max(3000),
});

/** A skill was edited: re-sync every managed bot that selects it. */
export const resyncSkill = z.object({
  v: z.literal(1),
  traceId: z.string(),
  ...teamRef,
  skillId: z.string().min(1),
  actorId: z.string().min(1),
});

export const deleteSkillJob = resyncSkill;

export const purgeProcessedEvents = z.object({ v: z.literal(1) });

export const runSession = z.object({
  v: z.literal(1),
  traceId: z.string(),
  sessionId: z.string().min(1),
  // For the job's log lines without a database read (jobs queued before it was added have none).
  teamId: z.string().min(1).optional(),
  // Its person has a sign already (👀, or the card the job that made the session posted): opening the run is no news.
  hasSign: z.boolean().optional(),
});

/** A session with no card yet, `delayMs` after it was made: if its run is still waiting for a slot, it gets one. */
export const queuedCard = z.object({
  v: z.literal(1),
  traceId: z.string(),
  sessionId: z.string().min(1),
  teamId: z.string().min(1),
  /** How many looks came before this one (each when the channel's post budget allowed no card). */
  tries: z.number().int().min(0).default(0),
});

/** A person pressed Stop, Approve or Deny, or mentioned the bot again in its running session's thread. */
export const controlSession = z.object({
  v: z.literal(1),
  traceId: z.string(),
  sessionId: z.string().min(1),
  userId: z.string().min(1),
  action: z.discriminatedUnion('type', [
    z.object({ type: z.literal('stop') }),
    z.object({ type: z.literal('confirm'), toolUseId: z.string().min(1), allow: z.boolean(), isTimeout: z.boolean() }),
    z.object({ type: z.literal('follow_up'), messageTs: z.string().min(1), text: z.string() }),
    z.object({ type: z.literal('raise_budget'), fromCents: z.number().int(), byCents: z.number().int().positive() }),
  ]),
});
export type ControlSession = z.infer<typeof controlSession>;

/** One webhook to a self-hosted runtime (never a secret: the job signs with the bot's secrets when it runs). */
export const deliverWebhook = z.object({
  v: z.literal(1),
  traceId: z.string(),
  teamId: z.string().min(1),
  botId: z.string().min(1),
  sessionId: z.string().nullable(),
  event: z.string().min(1),
  webhookId: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  /** "Send test event": the Agent connection modal that shows the runtime's answer. */
  viewId: z.string().optional(),
});
export type DeliverWebhook = z.infer<typeof deliverWebhook>;

export const jobSchemas = {
  'purge-processed-events': purgeProcessedEvents,
  'run-session': runSession,
  'queued-card': queuedCard,
  'control-session': controlSession,
  'hand-to-bot': handToBot,
  'stop-thread': stopThread,
  'publish-home': publishHome,
  'validate-key': validateKey,
  'refresh-resources': refreshResources,
  'sync-bot': syncBot,
  'connect-existing': connectExisting,
  'ask-agent': askAgent,
  'resync-skill': resyncSkill,
  'delete-skill': deleteSkillJob,
  'deliver-webhook': deliverWebhook,
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobData<N extends JobName> = z.infer<(typeof jobSchemas)[N]>;

/** A job ready to enqueue; `jobId` doubles as the dedupe key (BullMQ ids may not contain `:`). */
export interface JobRequest<N extends JobName = JobName> {
  name: N;
  data: JobData<N>;
  jobId: string;
  delayMs?: number;
  /** Tries and first retry delay, when the queue's defaults do not fit (webhook deliveries). */
  retries?: { attempts: number; backoffMs: number };
  /** Set for work that can wait behind the rest of its queue: BullMQ runs jobs without a priority first. */
  isDeferrable?: boolean;
}

export const queueOf = (name: JobName): string =>
  name === 'run-session' ? SESSION_QUEUE_NAME : name === 'hand-to-bot' ? TRIGGER_QUEUE_NAME : QUEUE_NAME;

/** One run job per session at a time: a second enqueue while it runs (or waits) is a no-op. */
export const createRunSessionJob = (
  session: { id: string; teamId: string },
  traceId: string,
  hasSign = false,
): JobRequest<'run-session'> => ({
  name: 'run-session',
  data: { v: 1, traceId, sessionId: session.id, teamId: session.teamId, ...(hasSign ? { hasSign } : {}) },
  jobId: `run-${safeId(session.id)}`,
});

/**
 * Looks, `delayMs` from now, whether the session's run still waits for a slot (every one of every worker busy), and
 * shows its card as queued if so: a person with only 👀 (or no sign) would otherwise see nothing until it starts.
 */
export const createQueuedCardJob = (
  session: { id: string; teamId: string },
  traceId: string,
  delayMs: number,
  tries = 0,
): JobRequest<'queued-card'> => ({
  name: 'queued-card',
  data: { v: 1, traceId, sessionId: session.id, teamId: session.teamId, tries },
  jobId: `queued-${safeId(session.id)}-${tries}`,
  delayMs,
});

const safeId = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * One job per Slack trigger: `key` is the event id or the action's own id, so a redelivery adds nothing. A mention
 * whose person has their 👀 already waits behind the triggers whose people have no sign yet.
 */
export const createHandToBotJob = (key: string, data: Omit<HandToBot, 'v'>): JobRequest<'hand-to-bot'> => ({
  name: 'hand-to-bot',
  data: { v: 1, ...data },
  jobId: `hand-${safeId(key)}`,
  ...(data.heard ? { isDeferrable: true } : {}),
});

export const createStopThreadJob = (eventId: string, data: Omit<z.infer<typeof stopThread>, 'v'>) =>
  ({
    name: 'stop-thread',
    data: { v: 1, ...data },
    jobId: `stop-${safeId(eventId)}`,
  }) satisfies JobRequest<'stop-thread'>;

export const createPublishHomeJob = (eventId: string, data: Omit<PublishHome, 'v'>): JobRequest<'publish-home'> => ({
  name: 'publish-home',
  data: { v: 1, ...data },
  jobId: `home-${safeId(eventId)}`,
});

/** A job whose id is fresh each time (a person pressed a button again, so it should run again). */
export function createJob<N extends JobName>(name: N, data: Omit<JobData<N>, 'v'>, key: string): JobRequest<N> {
  return { name, data: { v: 1, ...data } as JobData<N>, jobId: `${name}-${safeId(key)}-${Date.now().toString(36)}` };
}

/** A follow-up decided by the trigger job `key`: one control job per trigger, however often that job runs. */
export const createFollowUpJob = (key: string, data: Omit<ControlSession, 'v'>): JobRequest<'control-session'> => ({
  name: 'control-session',
  data: { v: 1, ...data },
  jobId: `follow-${safeId(key)}`,
});

export const createDeliverWebhookJob = (
  data: Omit<DeliverWebhook, 'v'>,
  retries: JobRequest['retries'],
): JobRequest<'deliver-webhook'> => ({
  name: 'deliver-webhook',
  data: { v: 1, ...data },
  jobId: `webhook-${safeId(data.webhookId)}`,
  retries,
});
