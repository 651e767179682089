import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface ChildBaton {
  child: ChildProcessWithoutNullStreams;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  /** Waits for a JSON log line with this `event` and returns it. */
  waitForLog(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Runs src/main.ts as its own Node process, the way `npm start` runs the build, reading only `env`. */
export function runBaton(env: Record<string, string>): ChildBaton {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    out,
    exited,
    async waitForLog(event, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const line = out.stdout.split('\n').find((l) => l.includes(`"event":"${event}"`));
        if (line) return JSON.parse(line) as Record<string, unknown>;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${event} log line; stdout so far:\n${out.stdout}\nstderr:\n${out.stderr}`);
    },
  };
}
