import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A TCP port nobody listens on right now, on 127.0.0.1. */
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

/** A test server's process, started by `startServerProcess`; the test that started it stops it. */
export interface ServerProcess {
  /** The tail of what the process wrote to stderr. */
  log(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Named in errors: "mariadbd did not start within 30 s: <log>". */
  name: string;
  command: string;
  args: string[];
  /** Polled until true: the server accepts clients. */
  ready: (log: string) => boolean;
  timeoutMs: number;
  pollMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  graceMs: number;
  /** How much of stderr to keep. */
  logLimit?: number;
  /** Run when the server fails to start (after it is killed), e.g. to remove its temp folder. */
  onFailure?: () => void;
}

/**
 * Spawns a server, keeps the tail of its stderr and waits until `ready` says it serves. If it exits
 * or the time runs out first, it is killed and the error carries its log.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { name, timeoutMs, graceMs, pollMs = 100, logLimit = 20_000 } = options;
  const child: ChildProcess = spawn(options.command, options.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk) => (log = (log + chunk.toString()).slice(-logLimit)));
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', (error) => {
    exited = true;
    log += `\n${error.message}`;
  });
  const deadline = Date.now() + timeoutMs;
  while (!options.ready(log)) {
    if (exited) {
      options.onFailure?.();
      throw new Error(`${name} exited while starting: ${log}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      options.onFailure?.();
      throw new Error(`${name} did not start within ${Math.round(timeoutMs / 1000)} s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return {
    log: () => log,
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}
