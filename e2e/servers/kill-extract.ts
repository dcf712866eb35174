import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/bin.js');

/**
 * Runs the built `strata extract --threads 1 <args>` on `dir` in a child process and SIGKILLs it the
 * moment `when(stdout so far)` holds (checked every 2 ms). Resolves once it has exited: true if it was
 * killed there, false if it finished first. The child's temporary folder (TMPDIR) is one of its own,
 * removed once it has exited (a killed process cannot remove its scratch files: downloads, Parquet
 * parts), unless the caller gives one as `env.TMPDIR` (and removes it).
 */
export async function extractKilledWhen(dir: string, env: Record<string, string>, when: (output: string) => boolean, ...args: string[]): Promise<boolean> {
  const own = env.TMPDIR === undefined;
  const tmp = env.TMPDIR ?? mkdtempSync(path.join(os.tmpdir(), 'strata-killed-extract-'));
  const child = spawn(process.execPath, [bin, 'extract', '--threads', '1', ...args, '--project-dir', dir], { env: { ...process.env, CI: 'true', TMPDIR: tmp, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let killed = false;
  const timer = setInterval(() => {
    if (!killed && when(output)) {
      killed = true;
      child.kill('SIGKILL');
    }
  }, 2);
  await exited;
  clearInterval(timer);
  if (own) rmSync(tmp, { recursive: true, force: true });
  return killed;
}
