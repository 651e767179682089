import { ConfigError, loadConfig } from '../../src/config';

const valid = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1-abc' };

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './.data',
      redisUrl: 'redis://127.0.0.1:6379',
      role: 'all',
      logLevel: 'info',
      anthropicBaseUrl: 'https://api.anthropic.com',
      githubApiUrl: 'https://api.github.com',
      cursorApiUrl: 'https://api.cursor.com',
    });
    expect(config.slack).toMatchObject({ apiUrl: 'https://slack.com/api/', auth: { mode: 'token' } });
  });

  it('names a missing signing secret and says where to find it', () => {
    const message = configError({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(message).toBe(
      'Config error: SLACK_SIGNING_SECRET is missing. Set it in .env or the environment: ' +
        'copy it from your Slack app: Basic Information › App Credentials › Signing Secret.',
    );
  });

  it('asks for a bot token or the OAuth trio when neither is set', () => {
    expect(configError({ SLACK_SIGNING_SECRET: 's' })).toMatch(
      /^Config error: SLACK_BOT_TOKEN is missing\..*SLACK_CLIENT_ID/,
    );
  });

  it('names each missing OAuth variable', () => {
    const message = configError({ SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: 'id' });
    expect(message).toContain('SLACK_CLIENT_SECRET is missing');
    expect(message).toContain('SLACK_STATE_SECRET is missing');
    expect(message).not.toContain('SLACK_CLIENT_ID is');
  });

  it('rejects malformed values by name', () => {
    expect(configError({ ...valid, PORT: 'eighty' })).toMatch(/^Config error: PORT /);
    expect(configError({ ...valid, REDIS_URL: 'localhost:6379' })).toMatch(
      /^Config error: REDIS_URL must start with redis:\/\//,
    );
    expect(configError({ ...valid, DATABASE_URL: 'mysql://x' })).toMatch(
      /^Config error: DATABASE_URL must start with postgres/,
    );
    expect(configError({ ...valid, BATON_ENCRYPTION_KEY: 'c2hvcnQ=' })).toMatch(
      /^Config error: BATON_ENCRYPTION_KEY must be 32 bytes encoded as base64\. .*openssl rand -base64 32/,
    );
    expect(configError({ ...valid, SLACK_BOT_TOKEN: 'xoxp-user' })).toMatch(/SLACK_BOT_TOKEN must start with xoxb-/);
    expect(configError({ ...valid, BATON_ROLE: 'both' })).toMatch(
      /^Config error: BATON_ROLE .*one of all, web, worker/,
    );
  });

  it('requires an encryption key in production only', () => {
    expect(configError({ ...valid, NODE_ENV: 'production' })).toMatch(
      /BATON_ENCRYPTION_KEY is required when NODE_ENV=production/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ ...valid, NODE_ENV: 'production', BATON_ENCRYPTION_KEY: key }).encryptionKey).toBe(key);
  });

  it('switches to OAuth when the client credentials are set', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: 'id',
      SLACK_CLIENT_SECRET: 'cs',
      SLACK_STATE_SECRET: 'st',
    });
    expect(config.slack.auth).toEqual({ mode: 'oauth', clientId: 'id', clientSecret: 'cs', stateSecret: 'st' });
  });

  it('needs no signing secret for Socket Mode or a worker-only process', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.appToken).toBe('xapp-1');
    const pg = 'postgres://localhost/baton';
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', BATON_ROLE: 'worker', DATABASE_URL: pg }).role).toBe('worker');
  });

  it('needs PostgreSQL when web and worker run as separate processes', () => {
    expect(configError({ ...valid, BATON_ROLE: 'web' })).toMatch(
      /^Config error: DATABASE_URL is required when BATON_ROLE=web/,
    );
  });
});

describe('loadConfig: GitHub App', () => {
  const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n';
  const app = { GITHUB_APP_ID: '42', GITHUB_APP_SLUG: 'baton-acme', GITHUB_WEBHOOK_SECRET: 'whsec' };

  it('leaves GitHub off when none of its variables are set', () => {
    expect(loadConfig(valid).githubApp).toBeUndefined();
  });

  it('takes the private key inline, with literal \\n escapes', () => {
    const config = loadConfig({ ...valid, ...app, GITHUB_APP_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    expect(config.githubApp).toMatchObject({ appId: '42', slug: 'baton-acme', privateKey: pem });
  });

  it('names each missing variable when only some are set', () => {
    const message = configError({ ...valid, GITHUB_APP_ID: '42' });
    expect(message).toContain('GITHUB_APP_PRIVATE_KEY is missing (the GitHub App needs all of');
    expect(message).toContain('GITHUB_WEBHOOK_SECRET is missing');
  });

  it('says when the private key is neither a PEM nor a readable file', () => {
    expect(configError({ ...valid, ...app, GITHUB_APP_PRIVATE_KEY: '/nope/key.pem' })).toContain(
      'GITHUB_APP_PRIVATE_KEY is neither a PEM private key nor the path of a readable file holding one',
    );
  });
});
