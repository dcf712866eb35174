import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A throwaway MariaDB server on 127.0.0.1, for tests; the test that starts it stops it. */
export interface MariaDbServer {
  host: string;
  port: number;
  /** The root user has no password; tests create their own users. */
  user: string;
  /** Runs SQL through the `mariadb` client as root; returns stdout. */
  sql(statements: string, database?: string): string;
  stop(): Promise<void>;
}

const MARIADBD = process.env.MARIADBD ?? '/usr/sbin/mariadbd';

/** Whether MariaDB is installed here (CI installs it; see .ci/run). */
export function mariaDbAvailable(): boolean {
  return spawnSync(MARIADBD, ['--version'], { stdio: 'ignore' }).status === 0 && spawnSync('mariadb-install-db', ['--help'], { stdio: 'ignore' }).status === 0;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Initialises a data folder in a temp dir and starts mariadbd on a free port of 127.0.0.1. */
export async function startMariaDb(): Promise<MariaDbServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-mariadb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const init = spawnSync('mariadb-install-db', [`--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=256M',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-allowed-packet=256M',
      '--default-time-zone=+00:00',
      ...asRoot,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const sql = (statements: string, database?: string): string => {
    const result = spawnSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', ...(database ? [database] : [])], { input: statements, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (result.status !== 0) throw new Error(`mariadb client failed: ${result.stderr}`);
    return result.stdout;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`mariadbd exited while starting: ${stderr}`);
    if (spawnSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot', '-e', 'select 1'], { stdio: 'ignore' }).status === 0) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mariadbd did not start within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    sql,
    stop: async () => {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
