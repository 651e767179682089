import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** What a Node process prints on stderr when 200 running sessions listen for `factory`'s signal. */
function stderrWith(factory: string): string {
  const script = `const controller = ${factory};
    for (let i = 0; i < 200; i++) controller.signal.addEventListener('abort', () => undefined, { once: true });
    controller.abort();`;
  const root = path.join(__dirname, '../..');
  return spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: root, encoding: 'utf8' })
    .stderr;
}

// Node writes its leak warning from its own `process`, out of reach of a test's sandbox: a child process shows it.
describe("the process's stop signal", () => {
  it('takes a listener per running session without a leak warning', () => {
    expect(stderrWith('new AbortController()')).toContain('MaxListenersExceededWarning');
    expect(stderrWith(`require('./src/ops/stop-signal').stopController()`)).toBe('');
  });
});
