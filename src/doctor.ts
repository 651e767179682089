import { existsSync, readFileSync } from 'node:fs';
import { LogLevel } from '@slack/web-api';
import path from 'node:path';
import { createRedis } from '../jobs/redis';
import { openDatabase, type DatabaseHandle } from '../models/database';
import { installedTeams, pendingMigrations, savedKeys } from '../models/doctor-queries';
import { DbInstallationStore } from '../models/installation-store';
import { ProviderKeyRepository } from '../models/provider-keys';
import { AnthropicClaudeApi } from './adapters/anthropic/claude-api';
import { GitHubApp } from './adapters/github/github-app';
import { createWebClient, webClientOptions } from './adapters/slack/web-client';
import { ConfigError, loadConfig, type Config } from './config';
import { Secrets } from './crypto/secrets';
import { exitCodeOf, formatCheck, guarded, type CheckResult } from './doctor/report';
import { checkCursorKey, checkPublicUrl } from './doctor/service-checks';
import { checkBotToken, checkEventsUrl, checkSocketMode } from './doctor/slack-checks';
import { within } from './ops/within';

const TIMEOUT_MS = 5_000;

async function checkRedis(config: Config): Promise<CheckResult> {
  const name = 'Redis';
  const redis = createRedis(config.redisUrl, 'producer');
  redis.on('error', () => {});
  try {
    const connected = redis.connect().then(() => true);
    if (!(await within(connected, TIMEOUT_MS, false))) throw new Error('timed out');
    await redis.ping();
    return { name, status: 'ok', detail: `answers at ${config.redisUrl}` };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `${config.redisUrl} unreachable (${(error as Error).message})`,
      fix: 'start Redis or fix REDIS_URL',
    };
  } finally {
    redis.disconnect();
  }
}

/** The key that decrypts stored tokens and keys, without creating one as `npm start` would in development. */
function encryptionKey(config: Config): { key: Buffer | undefined; result: CheckResult } {
  const name = 'Encryption key';
  if (config.encryptionKey) {
    return {
      key: Buffer.from(config.encryptionKey, 'base64'),
      result: { name, status: 'ok', detail: 'BATON_ENCRYPTION_KEY is set' },
    };
  }
  const file = path.join(config.dataDir, 'encryption.key');
  const fix = 'set BATON_ENCRYPTION_KEY (openssl rand -base64 32) before storing anything you keep';
  if (!existsSync(file)) {
    return { key: undefined, result: { name, status: 'warn', detail: `none yet; npm start will create ${file}`, fix } };
  }
  return {
    key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'),
    result: { name, status: 'warn', detail: `development key from ${file}`, fix },
  };
}

async function checkDatabase(config: Config, results: CheckResult[]): Promise<DatabaseHandle | undefined> {
  const name = 'Database';
  if (!config.databaseUrl) {
    // PGlite belongs to one process; opening it beside a running Baton could damage it.
    results.push({
      name,
      status: 'skip',
      detail: `embedded PGlite under ${config.dataDir} (opened only by Baton itself; migrations apply at start)`,
      fix: 'set DATABASE_URL to a PostgreSQL database for production',
    });
    return undefined;
  }
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, isMigrating: false });
    await handle.ping();
  } catch (error) {
    results.push({
      name,
      status: 'fail',
      detail: `cannot connect (${(error as Error).message})`,
      fix: 'start PostgreSQL or fix DATABASE_URL',
    });
    return undefined;
  }
  results.push({ name, status: 'ok', detail: 'PostgreSQL answers' });
  const pending = await pendingMigrations(handle.db);
  results.push(
    pending.length === 0
      ? { name: 'Migrations', status: 'ok', detail: 'all applied' }
      : {
          name: 'Migrations',
          status: 'fail',
          detail: `${pending.length} not applied (${pending.join(', ')})`,
          fix: 'start Baton once (npm start applies migrations), or check it runs this version',
        },
  );
  if (pending.length === 0) return handle;
  await handle.close();
  return undefined;
}

async function checkSlack(config: Config, secrets: Secrets | undefined, db: DatabaseHandle | undefined) {
  const options = { ...webClientOptions(config.slack.apiUrl, 0, { timeoutMs: TIMEOUT_MS }), logLevel: LogLevel.ERROR };
  const results: CheckResult[] = [];
  if (config.slack.auth.mode === 'token') {
    const fix = 'copy the Bot User OAuth Token (xoxb-) from OAuth & Permissions into SLACK_BOT_TOKEN';
    results.push(
      ...(await checkBotToken('Slack bot token', createWebClient(config.slack.auth.botToken, options), fix)),
    );
  } else if (!db || !secrets) {
    results.push({
      name: 'Slack installs',
      status: 'skip',
      detail: 'needs a migrated PostgreSQL database (DATABASE_URL) and the encryption key',
    });
  } else {
    const store = new DbInstallationStore(db.db, secrets);
    const teams = await installedTeams(db.db);
    if (teams.length === 0) {
      results.push({
        name: 'Slack installs',
        status: 'warn',
        detail: 'no workspace has installed Baton yet',
        fix: `open ${config.publicUrl}/slack/install`,
      });
    }
    for (const team of teams) {
      const ref = { teamId: team.teamId ?? undefined, enterpriseId: team.enterpriseId ?? undefined };
      const installation = await store.fetchInstallation({ ...ref, isEnterpriseInstall: !team.teamId });
      const client = createWebClient(installation.bot?.token, options);
      const fix = 'reinstall Baton to this workspace';
      results.push(...(await checkBotToken(`Slack workspace ${team.teamId ?? team.enterpriseId}`, client, fix)));
    }
  }
  results.push(
    config.slack.appToken
      ? await checkSocketMode(createWebClient(config.slack.appToken, options))
      : await checkEventsUrl(config.publicUrl, TIMEOUT_MS),
  );
  return results;
}

async function checkProviderKeys(config: Config, secrets: Secrets | undefined, db: DatabaseHandle | undefined) {
  if (!db || !secrets) {
    return [
      {
        name: 'Provider keys',
        status: 'skip',
        detail: 'needs a migrated PostgreSQL database (DATABASE_URL) and the encryption key',
      } as CheckResult,
    ];
  }
  const keys = await savedKeys(db.db);
  const repository = new ProviderKeyRepository(db.db, secrets);
  const claude = new AnthropicClaudeApi({ baseURL: config.anthropicBaseUrl, maxRetries: 0, timeoutMs: TIMEOUT_MS });
  const results: CheckResult[] = [];
  for (const key of keys) {
    const secret = await repository.reveal(key.teamId, key.id).catch(() => undefined);
    const name = `${key.provider === 'cursor' ? 'Cursor' : 'Anthropic'} key "${key.label}" (${key.teamId})`;
    if (!secret) {
      results.push({
        name,
        status: 'fail',
        detail: 'cannot be decrypted',
        fix: 'set BATON_ENCRYPTION_KEY (or BATON_PREVIOUS_ENCRYPTION_KEYS) to the key it was saved with',
      });
    } else if (key.provider === 'cursor') {
      results.push({ ...(await checkCursorKey(config.cursorApiUrl, key.label, secret, TIMEOUT_MS)), name });
    } else {
      results.push(
        await claude.validateKey(secret).then(
          (models): CheckResult => ({ name, status: 'ok', detail: `accepted (${models.length} models)` }),
          (error: Error): CheckResult => ({
            name,
            status: 'fail',
            detail: error.message,
            fix: 'open the bot’s Agent connection in Slack and save a working key',
          }),
        ),
      );
    }
  }
  if (!keys.some((k) => k.provider === 'anthropic')) {
    results.push({
      name: 'Anthropic keys',
      status: 'skip',
      detail: 'none saved yet (admins add them in a bot’s Agent connection)',
    });
  }
  return results;
}

/** The app's ID and private key sign a JWT GitHub accepts (GET /app, as for the install link). */
async function checkGitHubApp(config: Config): Promise<CheckResult> {
  const name = 'GitHub App';
  const app = config.githubApp;
  if (!app) return { name, status: 'skip', detail: 'not configured (GITHUB_APP_ID unset)' };
  const github = new GitHubApp({ ...app, apiUrl: config.githubApiUrl });
  try {
    await github.installationUrl('doctor');
    return { name, status: 'ok', detail: `app ${app.slug} (ID ${app.appId}) signs in to ${config.githubApiUrl}` };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: (error as Error).message,
      fix: 'check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY against the GitHub App’s settings page (generate a new private key if needed)',
    };
  }
}

/** Runs every check, writes one line per check, and returns the exit code. */
export async function runDoctor(env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const results = error.message.split('\n').map((line): CheckResult => ({
      name: 'Configuration',
      status: 'fail',
      detail: line.replace(/^Config error: /, ''),
    }));
    results.forEach((r) => write(formatCheck(r)));
    return exitCodeOf(results);
  }
  const results: CheckResult[] = [];
  const emit = (...lines: CheckResult[]) => {
    results.push(...lines);
    lines.forEach((line) => write(formatCheck(line)));
  };
  const mode = config.slack.appToken ? 'Socket Mode' : 'HTTP';
  emit({
    name: 'Configuration',
    status: 'ok',
    detail: `role ${config.role}, Slack ${config.slack.auth.mode} over ${mode}`,
  });
  const { key, result } = encryptionKey(config);
  emit(result);
  const secrets = key
    ? new Secrets(
        key,
        config.previousEncryptionKeys.map((k) => Buffer.from(k, 'base64')),
      )
    : undefined;
  emit(await checkRedis(config));
  const databaseLines: CheckResult[] = [];
  const db = await checkDatabase(config, databaseLines);
  emit(...databaseLines);
  try {
    emit(
      ...(await guarded('Slack', () => checkSlack(config, secrets, db), 'check SLACK_API_URL and the Slack variables')),
    );
    emit(...(await guarded('Provider keys', () => checkProviderKeys(config, secrets, db), 'check ANTHROPIC_BASE_URL')));
    emit(await checkGitHubApp(config));
    emit(await checkPublicUrl(config.publicUrl, config.hasPublicUrl, TIMEOUT_MS));
  } finally {
    await db?.close();
  }
  return exitCodeOf(results);
}
