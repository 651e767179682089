import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { redactUrlCredentials } from '../../src/redact';

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
});
