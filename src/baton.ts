import { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { Redis } from 'ioredis';
import { registerHandlers } from '../handlers';
import { BullJobQueue } from '../jobs/queue';
import { createRedis } from '../jobs/redis';
import { startWorker, type RunningWorker } from '../jobs/worker';
import { createDeliverWebhookJob, createPublishHomeJob, createRunSessionJob } from '../jobs/definitions';
import { RedisProposalStore } from '../jobs/proposal-store';
import { AccessTokenRepository } from '../models/access-tokens';
import { ChannelSettingsRepository } from '../models/channel-settings';
import { GuidanceRepository } from '../models/guidance';
import { SessionRepository } from '../models/sessions';
import { SessionTriggerRepository } from '../models/session-triggers';
import { RedisEventClaims } from '../jobs/event-claims';
import { RedisPickStore } from '../jobs/pick-store';
import { SpendRepository } from '../models/spend';
import { AuditLog } from '../models/audit-log';
import { BotRepository } from '../models/bots';
import { ClaudeConnectionRepository } from '../models/claude-connections';
import { CursorConnectionRepository } from '../models/cursor-connections';
import { RuntimeEventRepository } from '../models/runtime-events';
import { SelfHostedConnectionRepository } from '../models/self-hosted-connections';
import { WebhookDeliveryRepository } from '../models/webhook-deliveries';
import { openDatabase } from '../models/database';
import { GitHubRepositoryStore } from '../models/github';
import { DbInstallationStore } from '../models/installation-store';
import { ProcessedEvents } from '../models/processed-events';
import { ProviderKeyRepository } from '../models/provider-keys';
import { SkillRepository } from '../models/skills';
import { McpServerRepository } from '../models/mcp-servers';
import { WorkspaceAdminRepository } from '../models/workspace-admins';
import { AccessPolicy } from './access';
import { AnthropicClaudeApi } from './adapters/anthropic/claude-api';
import { CursorApi } from './adapters/cursor/cursor-api';
import { CursorProvider } from './adapters/cursor/cursor-provider';
import { RedisFollowUpQueue } from './adapters/cursor/follow-ups';
import { SelfHostedProvider } from './adapters/self-hosted/self-hosted-provider';
import type { WebhookOutbox } from './ports/runtime';
import { DIRECT_API_SECRET_NAME, ManagedAgentsProvider } from './adapters/anthropic/managed-agents-provider';
import { GitHubApp } from './adapters/github/github-app';
import { SlackBudgets, slackUpdateBudget } from './adapters/slack/writer/redis-budget';
import { SlackThreadWriter } from './adapters/slack/writer/slack-thread-writer';
import { apiRoute } from './api/route';
import { runtimeCredentials } from './api/runtime-credentials';
import type { ToolDeps } from './mcp/deps';
import { ThreadCache } from './mcp/thread-cache';
import { RedisRateLimiter } from './mcp/rate-limit';
import { mcpRoute } from './mcp/route';
import { mcpSignInRoutes } from './mcp-oauth/route';
import { lookupTokenEndpoint, McpSignIn } from './mcp-oauth/sign-in';
import { offerRetry } from './mcp-oauth/offer-retry';
import { SignInSigner } from './mcp-oauth/tickets';
import { SessionTokens } from './mcp/session-tokens';
import type { SessionDeps } from './sessions/deps';
import type { BotStores } from './bots/deps';
import type { ConfigSources } from './ports/settings';
import { githubRepositories } from './settings/bot-repositories';
import { botTools } from './settings/bot-tools';
import { CardRefresher } from './sessions/card-refresher';
import { SessionAccess } from './sessions/access';
import { ChannelMembers } from './sessions/channel-members';
import { SessionStarter } from './sessions/launch';
import { taskMessageFor } from './sessions/task-message';
import { KnownNames } from './sessions/thread-messages';
import { createSlackApp } from './adapters/slack/bolt-app';
import { InstalledClients, SingleTokenClients } from './adapters/slack/slack-clients';
import { createWebClient, webClientOptions } from './adapters/slack/web-client';
import type { Config } from './config';
import { resolveEncryptionKey } from './crypto/key-file';
import { Secrets } from './crypto/secrets';
import { StartupError } from './errors';
import { redactUrlCredentials } from './redact';
import { connectionView } from './bots/catalog';
import { ConnectStates } from './github/connect-state';
import { GitHubSessionTokens } from './github/session-tokens';
import { GitHubLinks } from './github/links';
import { githubInstallRoute, githubSetupRoute, githubWebhookRoute } from './github/routes';
import { healthRoute } from './health';
import { newTraceId } from './trace';
import type { Logger } from './log';
import { timeHttpRequests } from './ops/http-timing';
import { useMetricSources } from './ops/metrics';
import { metricsRoute } from './ops/metrics-route';
import { startMetricsServer } from './ops/metrics-server';
import { hasOperatorToken } from './ops/operator-token';
import { queueDashboardRoute } from './ops/queue-dashboard';
import { countSessions } from '../models/session-stats';
import { isSignedInAdmin } from './web/admin-sign-in';
import { SessionPageLinks } from './web/page-links';
import { PageTokens } from './web/page-tokens';
import { SessionViewers } from './web/session-viewers';
import { sessionPageRoute } from './web/session-route';
import { Foreground } from './ops/foreground';
import { stopController } from './ops/stop-signal';

/** How often an open session page looks for new events. */
const SESSION_PAGE_POLL_MS = 1_000;

export interface Baton {
  /** The HTTP port Baton listens on (web role), e.g. when started with PORT=0. */
  port: number | undefined;
  /** Stops taking requests and jobs, lets running jobs finish, closes every connection. */
  stop(): Promise<void>;
}

async function connectRedis(config: Config, purpose: 'producer' | 'worker'): Promise<Redis> {
  const redis = createRedis(config.redisUrl, purpose);
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new StartupError(
      redactUrlCredentials(
        `Cannot reach Redis at REDIS_URL=${config.redisUrl} (${(error as Error).message}). Start Redis or fix REDIS_URL.`,
      ),
    );
  }
}

async function verifyBotToken(config: Config, token: string) {
  const auth = await createWebClient(
    token,
    webClientOptions(config.slack.apiUrl, 0, { timeoutMs: config.slack.apiTimeoutMs }),
  )
    .auth.test()
    .catch((error: Error) => {
      throw new StartupError(`Slack rejected SLACK_BOT_TOKEN (${error.message}). Check the token and SLACK_API_URL.`);
    });
  if (!auth.bot_id || !auth.user_id)
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token (auth.test gave no bot id).');
  return { botId: auth.bot_id, botUserId: auth.user_id };
}

/** What tests change about a running Baton: the clock sessions read, and how often GitHub tokens are checked. */
export interface BatonClock {
  now?: () => Date;
  /** How a running session waits (for an idle provider, before reopening a stream). */
  sleep?: (ms: number) => Promise<void>;
  githubTokenCheckMs?: number;
}

/** How often a running session checks whether its GitHub token is due for renewal. */
const GITHUB_TOKEN_CHECK_MS = 60_000;

export async function startBaton(config: Config, log: Logger, clock: BatonClock = {}): Promise<Baton> {
  const now = clock.now ?? (() => new Date());
  const encryptionKey = await resolveEncryptionKey(config, log);
  const secrets = new Secrets(
    encryptionKey,
    config.previousEncryptionKeys.map((key) => Buffer.from(key, 'base64')),
  );
  const pageTokens = new PageTokens(encryptionKey);
  // One per process: a mention's first sign runs ahead of session event storage and gets database connections
  // first here (not across processes).
  const foreground = new Foreground();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    urgency: () => foreground.urgency(),
    onPoolError: (error) => log.error({ event: 'database.pool_error', err: error }),
  }).catch((error) => {
    throw new StartupError(
      redactUrlCredentials(`Cannot open the database (${(error as Error).message}). Check DATABASE_URL or DATA_DIR.`),
    );
  });
  const redis = await connectRedis(config, 'producer');
  const installationStore = new DbInstallationStore(database.db, secrets);
  // Every Slack call spends its method's budget in Redis; the session writer spends its own (with priorities), so
  // its clients do not spend again. They do not retry either: the writer does, looking for a post before sending it
  // again.
  const budgets = new SlackBudgets(redis, config.redisPrefix, {
    'chat.update': slackUpdateBudget(config.slack.cardUpdatesPerMinute),
  });
  const timeoutMs = config.slack.apiTimeoutMs;
  const clientOptions = webClientOptions(config.slack.apiUrl, config.slack.apiRetries, { budgets, timeoutMs });
  const writerClientOptions = webClientOptions(config.slack.apiUrl, 0, { timeoutMs });
  const clientsWith = (options: typeof clientOptions) =>
    config.slack.auth.mode === 'token'
      ? new SingleTokenClients(config.slack.auth.botToken, options)
      : new InstalledClients(installationStore, options);
  const slack = clientsWith(clientOptions);
  const queue = new BullJobQueue(redis, config.redisPrefix, config.jobBackoffMs);
  const { db } = database;
  const stopMetrics = useMetricSources({ jobCounts: () => queue.counts(), sessionCounts: () => countSessions(db) });
  const audit = new AuditLog(db);
  const codeHost = config.githubApp ? new GitHubApp({ ...config.githubApp, apiUrl: config.githubApiUrl }) : undefined;
  const connectStates = new ConnectStates(secrets);
  const github = new GitHubRepositoryStore(db, secrets);
  const stores: BotStores = {
    bots: new BotRepository(db),
    keys: new ProviderKeyRepository(db, secrets),
    connections: new ClaudeConnectionRepository(db),
    cursor: new CursorConnectionRepository(db),
    selfHosted: new SelfHostedConnectionRepository(db, secrets),
    deliveries: new WebhookDeliveryRepository(db),
    inbox: new RuntimeEventRepository(db),
    admins: new WorkspaceAdminRepository(db),
    skills: new SkillRepository(db),
    mcpServers: new McpServerRepository(db, secrets),
    audit,
    github,
    githubLinks: codeHost ? new GitHubLinks(connectStates, config.publicUrl) : undefined,
  };
  const access = new AccessPolicy(stores.admins);
  const claude = new AnthropicClaudeApi({
    baseURL: config.anthropicBaseUrl,
    maxRetries: config.anthropicRetries,
    timeoutMs: config.anthropicTimeoutMs,
  });
  const signer = new SignInSigner(encryptionKey, config.publicUrl);
  const cursor = new CursorApi({ baseUrl: config.cursorApiUrl });
  const webhooks: WebhookOutbox = {
    send: (delivery) =>
      queue.enqueue(
        createDeliverWebhookJob(
          { traceId: delivery.webhookId, ...delivery },
          { attempts: config.webhooks.attempts, backoffMs: config.webhooks.backoffMs },
        ),
      ),
  };
  const proposals = new RedisProposalStore(redis, config.redisPrefix);
  // Slack events are claimed in Redis before the ack; GitHub deliveries and connect states in the database.
  const events = new RedisEventClaims(redis, config.redisPrefix);
  const claims = new ProcessedEvents(db);
  const sessions = new SessionRepository(db);
  const starter = new SessionStarter(sessions, queue, config.queuedCardAfterMs);
  const guidance = new GuidanceRepository(db);
  const channels = new ChannelSettingsRepository(db);
  const triggers = new SessionTriggerRepository(db);
  const spend = new SpendRepository(db);
  const settings: ConfigSources = {
    bots: stores.bots,
    connections: stores.connections,
    guidance: {
      forBot: async (bot, connection) =>
        (bot.type === 'cursor' ? (await stores.cursor.get(bot.id))?.guidance : connection?.guidance) ?? '',
    },
    keys: stores.keys,
    channels,
    workspace: { sessionBudgetCents: (teamId) => spend.workspaceBudgetCents(teamId) },
    repositories: githubRepositories(github),
    tools: botTools(stores),
  };
  const accessTokens = new AccessTokenRepository(db);
  const apiUrl = `${config.publicUrl}/api/v1`;
  const members = new ChannelMembers();
  const shutdown = stopController();
  // The worker posts replies and cards through it, and the web role's MCP tools post comments through it.
  const writer = new SlackThreadWriter({
    slack: clientsWith(writerClientOptions),
    foreground,
    redis,
    prefix: config.redisPrefix,
    posts: sessions,
    cardsPerMinute: config.slack.cardUpdatesPerMinute,
    retries: config.slack.apiRetries,
    log,
  });
  const names = new KnownNames({ now: () => now().getTime() });
  const tools: ToolDeps = {
    slack,
    names,
    bots: stores.bots,
    sessions,
    tokens: accessTokens,
    guidance,
    threads: new ThreadCache(),
    writer,
    launcher: starter,
    notifier: new CardRefresher(sessions, stores, writer, spend),
    limiter: new RedisRateLimiter(redis, config.redisPrefix),
    inbox: stores.inbox,
    apiUrl,
    runtimeCredentials: runtimeCredentials(accessTokens, { mcpUrl: `${config.publicUrl}/mcp`, apiUrl }),
    audit,
    log,
    members,
    maxActiveSessions: config.maxActiveSessions,
  };

  const githubRoutes = (host: GitHubApp) => {
    const redraw = async (teamId: string, userId: string, botId: string, viewId: string | undefined) => {
      await queue.enqueue(createPublishHomeJob(`github-${newTraceId()}`, { traceId: newTraceId(), teamId, userId }));
      if (!viewId) return;
      const view = await connectionView(stores, { teamId, userId }, botId);
      if (view) await (await slack.forTeam({ teamId })).views.update({ view_id: viewId, view });
    };
    const setup = { codeHost: host, states: connectStates, github, stores, dedupe: claims, slack, access, redraw, log };
    return [
      githubInstallRoute(setup),
      githubSetupRoute(setup),
      githubWebhookRoute({ codeHost: host, github, dedupe: claims, audit, log }),
    ];
  };

  const signIn = new McpSignIn({
    stores,
    claude,
    signer,
    now: () => new Date(),
    onReconnected: (done) => offerRetry(writer, sessions, stores, done),
    log,
  });

  let app: App | undefined;
  let port: number | undefined;
  if (config.role !== 'worker') {
    app = createSlackApp({
      config,
      log,
      clientOptions,
      installationStore,
      foreground,
      botIdentity:
        config.slack.auth.mode === 'token' ? await verifyBotToken(config, config.slack.auth.botToken) : undefined,
      customRoutes: [
        healthRoute({ database: () => database.ping(), redis: () => redis.ping() }),
        mcpRoute(tools),
        apiRoute(tools),
        ...mcpSignInRoutes(signIn, log),
        ...(codeHost ? githubRoutes(codeHost) : []),
        ...(config.metricsToken ? [metricsRoute(config.metricsToken)] : []),
        queueDashboardRoute({
          queues: queue.queues,
          isAllowed: async (req) =>
            hasOperatorToken(req, config.metricsToken) || isSignedInAdmin(req, { tokens: pageTokens, slack, access }),
        }),
        sessionPageRoute({
          tokens: pageTokens,
          sessions,
          viewers: new SessionViewers({ slack, access, settings, members, audit }),
          isSecure: config.publicUrl.startsWith('https:'),
          pollMs: SESSION_PAGE_POLL_MS,
          log,
        }),
      ],
    });
    registerHandlers(app, {
      queue,
      // A mention's 👀 is foreground work here too (see Foreground); one that fails is only a sign not shown yet.
      hear: (team, channel, ts) =>
        foreground
          .run(() => writer.acknowledge(team, channel, ts))
          .catch((error: unknown) => {
            log.warn({ event: 'slack.mention.acknowledge_failed', teamId: team.teamId, err: error });
            return false;
          }),
      events,
      installations: installationStore,
      audit,
      stores,
      access,
      sessionAccess: new SessionAccess(members, access),
      proposals,
      sessions,
      channels,
      settings,
      spend,
      tokens: accessTokens,
      apiUrl,
      signInLinks: signer,
      webhookRotationOverlapMs: config.webhooks.rotationOverlapMs,
      // Socket Mode installs without PUBLIC_URL have no address people's browsers can reach.
      pageLinks:
        config.hasPublicUrl || !config.slack.appToken ? new SessionPageLinks(pageTokens, config.publicUrl) : undefined,
      log,
    });
    const server = await app.start(config.port);
    if (server instanceof Server) timeHttpRequests(server);
    const address = server instanceof Server ? server.address() : undefined;
    port = typeof address === 'object' && address ? address.port : config.port;
    log.info({ event: 'web.started', port, socketMode: Boolean(config.slack.appToken) });
  }

  let worker: RunningWorker | undefined;
  let workerRedis: Redis | undefined;
  let metricsServer: { close(): Promise<void> } | undefined;
  if (config.role === 'worker' && config.metricsToken) {
    metricsServer = await startMetricsServer(config.port, config.metricsToken);
  }
  if (config.role !== 'web') {
    workerRedis = await connectRedis(config, 'worker');
    const session: SessionDeps = {
      sessions,
      stores,
      providers: {
        claude: new ManagedAgentsProvider(
          {
            baseURL: config.anthropicBaseUrl,
            maxRetries: config.anthropicRetries,
            timeoutMs: config.anthropicTimeoutMs,
          },
          {
            connection: (botId) => stores.connections.get(botId),
            apiKey: (teamId, keyId) => stores.keys.reveal(teamId, keyId),
          },
        ),
        cursor: new CursorProvider({
          api: cursor,
          settings: { get: (botId) => stores.cursor.get(botId), revealKey: (t, k) => stores.keys.reveal(t, k) },
          followUps: new RedisFollowUpQueue(redis, config.redisPrefix),
        }),
        self_hosted: new SelfHostedProvider({
          connections: stores.selfHosted,
          inbox: stores.inbox,
          outbox: webhooks,
          apiUrl,
        }),
      },
      writer,
      slack,
      mcpTokens: new SessionTokens(accessTokens),
      mcpUrl: `${config.publicUrl}/mcp`,
      apiUrl,
      queue,
      confirmTimeoutMs: config.confirmTimeoutMs,
      settings,
      spend,
      github: codeHost ? new GitHubSessionTokens(codeHost, github, config.githubMcpUrl, now) : undefined,
      githubTokenCheckMs: clock.githubTokenCheckMs ?? GITHUB_TOKEN_CHECK_MS,
      now,
      sleep: clock.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      maxActiveSessions: config.maxActiveSessions,
      foreground,
      stopping: shutdown.signal,
      taskMessage: taskMessageFor({ slack, names, apiUrl, apiTokenVariable: DIRECT_API_SECRET_NAME }),
      log,
    };
    worker = startWorker({
      connection: workerRedis,
      prefix: config.redisPrefix,
      concurrency: config.workerConcurrency,
      sessionConcurrency: config.sessionConcurrency,
      lockMs: config.jobLockMs,
      deps: {
        session,
        slack,
        stores,
        queue,
        lookupTokenEndpoint: (url) => lookupTokenEndpoint(url),
        access,
        proposals,
        events: claims,
        triggers,
        channels,
        picks: new RedisPickStore(redis, config.redisPrefix),
        cursor,
        webhooks: config.webhooks,
        queuedCardAfterMs: config.queuedCardAfterMs,
        claude,
        log,
      },
    });
    await queue.scheduleHousekeeping();
    // Sessions a stopped or crashed process left running get their run job back (a live one is not doubled).
    for (const unfinished of await sessions.listUnfinished()) {
      const traceId = (await triggers.traceOf(unfinished.id)) ?? 'resume';
      await queue.enqueue(createRunSessionJob(unfinished, traceId));
    }
    log.info({ event: 'worker.started', concurrency: config.workerConcurrency });
  }

  const stop = async () => {
    log.info({ event: 'baton.stopping' });
    await app?.stop();
    await metricsServer?.close();
    // Sessions waiting on their providers give their jobs back now; other jobs get the worker's grace to finish.
    shutdown.abort();
    await worker?.close();
    await writer.close();
    await queue.close();
    await Promise.all([redis.quit(), workerRedis?.quit()]);
    await database.close();
    stopMetrics();
    log.info({ event: 'baton.stopped' });
  };
  let stopping: Promise<void> | undefined;
  return { port, stop: () => (stopping ??= stop()) };
}
