// A throwaway mariadbd for the benchmarks, as e2e/servers/mariadb-server.ts starts one for tests:
// data under a folder of the bench's work folder, a free port on 127.0.0.1, stopped by its caller.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Initialises `dir` (emptied first) and starts mariadbd on it in UTC; `serverArgs` are added to
 * mariadbd's command line (buffer pool and log sizes for large tables). Returns the port, `sql(text,
 * database?)` through the `mariadb` client as root, the server's CPU seconds so far, and `stop()`.
 */
export async function startMariaDb(dir, serverArgs = []) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const init = spawnSync('mariadb-install-db', [`--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
  const port = await freePort();
  const child = spawn('/usr/sbin/mariadbd', ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', ...serverArgs, '--default-time-zone=+00:00', ...asRoot], { stdio: 'ignore' });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  const sql = (text, database) => {
    const result = spawnSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', ...(database ? [database] : [])], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(`mariadb failed: ${result.stderr}`);
    return result.stdout;
  };
  for (let i = 0; ; i++) {
    if (spawnSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot', '-e', 'select 1'], { stdio: 'ignore' }).status === 0) break;
    if (i > 300) {
      await stop();
      throw new Error('mariadbd did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    sql,
    /** CPU seconds mariadbd has used so far (user + system), from /proc. */
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop,
  };
}
