import { readFileSync } from 'node:fs';
import { z } from 'zod';

const HINTS: Record<string, string> = {
  PORT: 'a TCP port number such as 3000',
  PUBLIC_URL: "Baton's external base URL, e.g. https://baton.example.com",
  DATABASE_URL: 'a postgres:// URL, or leave it unset to use the embedded PGlite database',
  REDIS_URL: 'a redis:// URL such as redis://127.0.0.1:6379',
  BATON_ENCRYPTION_KEY: 'generate one with: openssl rand -base64 32',
  BATON_PREVIOUS_ENCRYPTION_KEYS: 'comma-separated base64 keys of 32 bytes each',
  SLACK_SIGNING_SECRET: 'copy it from your Slack app: Basic Information › App Credentials › Signing Secret',
  SLACK_BOT_TOKEN:
    'copy the xoxb- token from OAuth & Permissions, or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth installs',
  SLACK_CLIENT_ID: 'copy it from Basic Information › App Credentials',
  SLACK_CLIENT_SECRET: 'copy it from Basic Information › App Credentials',
  SLACK_STATE_SECRET: 'any long random string, e.g. openssl rand -hex 32',
  SLACK_APP_TOKEN: 'an xapp- token with connections:write, from Basic Information › App-Level Tokens',
  BATON_ROLE: 'one of all, web, worker',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  GITHUB_APP_ID: "the App ID from your GitHub App's settings page (see README, GitHub)",
  GITHUB_APP_PRIVATE_KEY:
    "the .pem private key generated on your GitHub App's settings page: its contents or a path to the file",
  GITHUB_APP_SLUG: 'the app name as it appears in https://github.com/apps/<slug>',
  GITHUB_WEBHOOK_SECRET: "the webhook secret you entered in your GitHub App's settings",
  METRICS_TOKEN: 'a long random string (at least 16 characters), e.g. openssl rand -hex 32',
};

const GITHUB_APP_VARIABLES = [
  'GITHUB_APP_ID',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_APP_SLUG',
  'GITHUB_WEBHOOK_SECRET',
] as const;
const PEM = /-----BEGIN ((RSA )?PRIVATE KEY)-----[\s\S]+-----END \1-----/;

/** The PEM itself (literal `\n` escapes allowed, as env files often carry them) or a path to a file holding it. */
function readPrivateKey(value: string): string | undefined {
  const inline = value.replace(/\\n/g, '\n');
  if (PEM.test(inline)) return inline;
  try {
    const fromFile = readFileSync(value, 'utf8');
    return PEM.test(fromFile) ? fromFile : undefined;
  } catch {
    return undefined;
  }
}

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes encoded as base64');
const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());
const serviceUrl = (fallback: string) => z.url().default(fallback);

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    PUBLIC_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
    DATABASE_URL: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(20),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis://')
      .default('redis://127.0.0.1:6379'),
    BATON_REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('baton'),
    BATON_ENCRYPTION_KEY: z.preprocess((value) => (value === '' ? undefined : value), base64Key.optional()),
    BATON_PREVIOUS_ENCRYPTION_KEYS: z.preprocess(
      (value) => (typeof value === 'string' && value !== '' ? value.split(',').map((key) => key.trim()) : []),
      z.array(base64Key),
    ),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_BOT_TOKEN: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().startsWith('xoxb-', 'must start with xoxb-').optional(),
    ),
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: optionalText,
    SLACK_APP_TOKEN: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().startsWith('xapp-', 'must start with xapp-').optional(),
    ),
    SLACK_API_URL: serviceUrl('https://slack.com/api/'),
    SLACK_API_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    SLACK_API_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
    SLACK_CARD_UPDATES_PER_MINUTE: z.coerce.number().int().positive().default(50),
    ANTHROPIC_BASE_URL: serviceUrl('https://api.anthropic.com'),
    ANTHROPIC_API_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    ANTHROPIC_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    GITHUB_API_URL: serviceUrl('https://api.github.com'),
    GITHUB_MCP_URL: serviceUrl('https://api.githubcopilot.com/mcp/'),
    GITHUB_APP_ID: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().regex(/^\d+$/, 'must be the numeric App ID').optional(),
    ),
    GITHUB_APP_PRIVATE_KEY: optionalText,
    GITHUB_APP_SLUG: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be the lowercase app slug, e.g. baton-acme')
        .optional(),
    ),
    GITHUB_WEBHOOK_SECRET: optionalText,
    CURSOR_API_URL: serviceUrl('https://api.cursor.com'),
    WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    WEBHOOK_BACKOFF_MS: z.coerce.number().int().positive().default(5_000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    WEBHOOK_ROTATION_HOURS: z.coerce.number().positive().default(24),
    BATON_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    WORKER_CONCURRENCY: z.coerce.number().int().positive().default(20),
    JOB_BACKOFF_MS: z.coerce.number().int().positive().default(1_000),
    SESSION_CONCURRENCY: z.coerce.number().int().positive().default(200),
    QUEUED_CARD_AFTER_MS: z.coerce.number().int().positive().default(5_000),
    MAX_ACTIVE_SESSIONS_PER_WORKSPACE: z.coerce.number().int().positive().default(50),
    CONFIRM_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 60 * 1000),
    JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    METRICS_TOKEN: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
  })
  .superRefine((env, ctx) => {
    // Requests are verified with the signing secret, except over Socket Mode and in worker-only processes.
    if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN && env.BATON_ROLE !== 'worker') {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is missing' });
    }
    const oauth = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
    const oauthSet = oauth.filter((name) => env[name] !== undefined);
    if (env.SLACK_BOT_TOKEN && oauthSet.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: `cannot be combined with ${oauthSet.join(', ')}: choose one workspace (token) or OAuth`,
      });
    } else if (!env.SLACK_BOT_TOKEN && oauthSet.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is missing' });
    } else if (!env.SLACK_BOT_TOKEN) {
      for (const name of oauth.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is missing (OAuth needs all three SLACK_CLIENT_* values)',
        });
      }
    }
    // PGlite is embedded in one process, so separate web and worker processes need a shared PostgreSQL.
    if (env.BATON_ROLE !== 'all' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: `is required when BATON_ROLE=${env.BATON_ROLE}`,
      });
    }
    const githubSet = GITHUB_APP_VARIABLES.filter((name) => env[name] !== undefined);
    if (githubSet.length > 0) {
      for (const name of GITHUB_APP_VARIABLES.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is missing (the GitHub App needs all of ${GITHUB_APP_VARIABLES.join(', ')})`,
        });
      }
    }
    if (env.GITHUB_APP_PRIVATE_KEY && !readPrivateKey(env.GITHUB_APP_PRIVATE_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GITHUB_APP_PRIVATE_KEY'],
        message: 'is neither a PEM private key nor the path of a readable file holding one',
      });
    }
    if (env.NODE_ENV === 'production' && !env.BATON_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['BATON_ENCRYPTION_KEY'], message: 'is required when NODE_ENV=production' });
    }
  });

type Env = z.infer<typeof Env>;

export type SlackAuth =
  { mode: 'token'; botToken: string } | { mode: 'oauth'; clientId: string; clientSecret: string; stateSecret: string };

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  redisUrl: string;
  redisPrefix: string;
  encryptionKey: string | undefined;
  previousEncryptionKeys: string[];
  role: Env['BATON_ROLE'];
  workerConcurrency: number;
  jobBackoffMs: number;
  sessionConcurrency: number;
  /** A session whose run has waited this long for a slot, with no card yet, gets its card saying it is queued. */
  queuedCardAfterMs: number;
  /** Sessions one workspace may have unfinished at once; past it new ones end at once with a note. */
  maxActiveSessions: number;
  /** How long an unanswered tool approval waits before it counts as denied. */
  confirmTimeoutMs: number;
  /** A job whose worker stops renewing its lock this long is handed to another worker. */
  jobLockMs: number;
  logLevel: Env['LOG_LEVEL'];
  /** Bearer token for /metrics and /admin/queues; unset turns /metrics off. */
  metricsToken: string | undefined;
  /** Whether PUBLIC_URL was set, i.e. people's browsers can reach Baton (session pages). */
  hasPublicUrl: boolean;
  slack: {
    signingSecret: string;
    appToken: string | undefined;
    auth: SlackAuth;
    apiUrl: string;
    apiRetries: number;
    /** A Slack call not answered within this long fails as a dropped connection would, and is retried. */
    apiTimeoutMs: number;
    /** `chat.update` budget per workspace shared by all live cards (Slack Tier 3: about 50 a minute). */
    cardUpdatesPerMinute: number;
  };
  anthropicBaseUrl: string;
  anthropicRetries: number;
  anthropicTimeoutMs: number;
  githubApiUrl: string;
  /** GitHub's MCP server, which sessions use (with their own token) to open pull requests. */
  githubMcpUrl: string;
  /** Baton's GitHub App; unset when the operator has not registered one (GitHub features then say how). */
  githubApp: GitHubAppConfig | undefined;
  cursorApiUrl: string;
  /** Deliveries to self-hosted runtimes: tries, first retry delay (doubling), timeout, overlap of rotated secrets. */
  webhooks: { attempts: number; backoffMs: number; timeoutMs: number; rotationOverlapMs: number };
}

export interface GitHubAppConfig {
  appId: string;
  privateKey: string;
  slug: string;
  webhookSecret: string;
}

/** A configuration problem a person can fix; `message` is one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const problem = env[name] === undefined && issue.code !== 'custom' ? 'is missing' : issue.message;
      const hint = HINTS[name];
      return `Config error: ${name} ${problem}.${hint ? ` Set it in .env or the environment: ${hint}.` : ''}`;
    });
    throw new ConfigError([...new Set(lines)].join('\n'));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.BATON_REDIS_PREFIX,
    encryptionKey: e.BATON_ENCRYPTION_KEY,
    previousEncryptionKeys: e.BATON_PREVIOUS_ENCRYPTION_KEYS,
    role: e.BATON_ROLE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    jobBackoffMs: e.JOB_BACKOFF_MS,
    sessionConcurrency: e.SESSION_CONCURRENCY,
    queuedCardAfterMs: e.QUEUED_CARD_AFTER_MS,
    maxActiveSessions: e.MAX_ACTIVE_SESSIONS_PER_WORKSPACE,
    confirmTimeoutMs: e.CONFIRM_TIMEOUT_MS,
    jobLockMs: e.JOB_LOCK_MS,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    hasPublicUrl: e.PUBLIC_URL !== undefined,
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET ?? '',
      appToken: e.SLACK_APP_TOKEN,
      auth: e.SLACK_BOT_TOKEN
        ? { mode: 'token', botToken: e.SLACK_BOT_TOKEN }
        : {
            mode: 'oauth',
            clientId: e.SLACK_CLIENT_ID ?? '',
            clientSecret: e.SLACK_CLIENT_SECRET ?? '',
            stateSecret: e.SLACK_STATE_SECRET ?? '',
          },
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      apiRetries: e.SLACK_API_RETRIES,
      apiTimeoutMs: e.SLACK_API_TIMEOUT_MS,
      cardUpdatesPerMinute: e.SLACK_CARD_UPDATES_PER_MINUTE,
    },
    anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
    anthropicRetries: e.ANTHROPIC_API_RETRIES,
    anthropicTimeoutMs: e.ANTHROPIC_TIMEOUT_MS,
    githubApiUrl: e.GITHUB_API_URL.replace(/\/$/, ''),
    githubMcpUrl: e.GITHUB_MCP_URL,
    githubApp:
      e.GITHUB_APP_ID && e.GITHUB_APP_PRIVATE_KEY && e.GITHUB_APP_SLUG && e.GITHUB_WEBHOOK_SECRET
        ? {
            appId: e.GITHUB_APP_ID,
            privateKey: readPrivateKey(e.GITHUB_APP_PRIVATE_KEY) ?? '',
            slug: e.GITHUB_APP_SLUG,
            webhookSecret: e.GITHUB_WEBHOOK_SECRET,
          }
        : undefined,
    cursorApiUrl: e.CURSOR_API_URL,
    webhooks: {
      attempts: e.WEBHOOK_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      rotationOverlapMs: e.WEBHOOK_ROTATION_HOURS * 60 * 60 * 1000,
    },
  };
}
