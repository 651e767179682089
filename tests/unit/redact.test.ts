import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { formatCheck } from '../../src/doctor/report';
import { redactSecrets, redactUrlCredentials } from '../../src/redact';

describe('URL credentials never reach logs or errors', () => {
  it('masks the password (and user) of every URL in a text', () => {
    const text = 'Cannot reach redis://:hunter2@cache:6379 or postgres://baton:s3cret@db/baton (x)';
    const out = redactUrlCredentials(text);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('s3cret');
    expect(out).toContain('redis://***@cache:6379');
    expect(out).toContain('postgres://***@db/baton');
    expect(redactUrlCredentials('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
  });

  it('logs errors and strings with their URL credentials masked', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('info', sink);
    log.error({ event: 'x', err: new Error('connect to redis://:hunter2@cache:6379 failed'), url: 'redis://u:pw@h' });
    expect(lines.join('')).not.toContain('hunter2');
    expect(lines.join('')).not.toContain(':pw@');
    expect(lines.join('')).toContain('redis://***@cache:6379');
  });

  it('masks them in every line of baton doctor, whether the check passed or failed', () => {
    const ok = formatCheck({ name: 'Redis', status: 'ok', detail: 'answers at redis://:hunter2@cache:6379' });
    expect(ok).toBe('ok    Redis: answers at redis://***@cache:6379');
    const failed = formatCheck({
      name: 'Database',
      status: 'fail',
      detail: 'postgres://baton:s3cret@db/baton unreachable',
      fix: 'fix DATABASE_URL (now postgres://baton:s3cret@db/baton)',
    });
    expect(failed).not.toContain('s3cret');
    expect(failed).toBe(
      'FAIL  Database: postgres://***@db/baton unreachable → fix DATABASE_URL (now postgres://***@db/baton)',
    );
  });

  it('masks credential-named JSON and form fields in a text, such as the body of an OAuth exchange', () => {
    const body = 'http request body: {"code":"oauth-code-1","client_id":"111.222","client_secret":"cs-42"}';
    expect(redactSecrets(body)).toBe('http request body: {"code":"***","client_id":"111.222","client_secret":"***"}');
    expect(redactSecrets('GET /mcp-oauth/callback?code=abc123&state=s1')).toBe(
      'GET /mcp-oauth/callback?code=***&state=s1',
    );
    expect(redactSecrets('{"refresh_token":"rt-9","bot_token":"xoxb-1","password":"p\\"w"}')).toBe(
      '{"refresh_token":"***","bot_token":"***","password":"***"}',
    );
    const untouched = '{"error":"invalid_auth","codename":"x","ok":false} An API error occurred: invalid_auth';
    expect(redactSecrets(untouched)).toBe(untouched);
  });

  it("logs Slack's debug line of an OAuth exchange without the client secret or the code", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    createLogger('debug', sink).debug(
      'http request body: {"code":"oauth-code-1","client_id":"111.222","client_secret":"cs-42"}',
    );
    expect(lines.join('')).not.toMatch(/oauth-code-1|cs-42/);
    expect(lines.join('')).toContain('111.222');
  });
});
