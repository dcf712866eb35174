import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startServerProcess } from './server-process.js';

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

export { freePort };

/** Initialises a data folder in a temp dir and starts mariadbd on a free port of 127.0.0.1. */
export async function startMariaDb(): Promise<MariaDbServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-mariadb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const init = spawnSync('mariadb-install-db', [`--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const sql = (statements: string, database?: string): string => {
    const result = spawnSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', ...(database ? [database] : [])], { input: statements, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (result.status !== 0) throw new Error(`mariadb client failed: ${result.stderr}`);
    return result.stdout;
  };
  const server = await startServerProcess({
    name: 'mariadbd',
    command: MARIADBD,
    args: [
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
    ready: () => spawnSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot', '-e', 'select 1'], { stdio: 'ignore' }).status === 0,
    timeoutMs: 30_000,
    graceMs: 15_000,
    logLimit: 4000,
    onFailure: () => rmSync(dir, { recursive: true, force: true }),
  });
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    sql,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
