import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A throwaway OpenSSH server on 127.0.0.1 serving SFTP, for tests; the test that starts it stops it. */
export interface SshdServer {
  host: string;
  port: number;
  /** The login: root, with `password` or the key in `privateKeyPath`. */
  username: string;
  password: string;
  privateKeyPath: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:...`. */
  hostKeySha256: string;
  /** A folder the server serves (a local temp folder: tests write files into it directly). */
  files: string;
  /** sshd's log so far (auth failures, disconnects). */
  log(): string;
  stop(): Promise<void>;
}

const SSHD = process.env.SSHD ?? '/usr/sbin/sshd';

async function freePort(): Promise<number> {
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

/**
 * Starts sshd with its own config, host key and authorized key in a temp folder, on a free port.
 * It runs as root in a private mount namespace (`unshare -m`), where a tmpfs gives it the
 * privilege-separation folder /run/sshd and a copy of /etc/shadow gives root a known password:
 * nothing of the system's own files or /etc/ssh is changed.
 */
export async function startSshd(): Promise<SshdServer> {
  if (process.getuid?.() !== 0) throw new Error('the sshd fixture runs sshd as root; run the tests as root (as CI does)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sshd-'));
  const files = path.join(dir, 'files');
  mkdirSync(files);
  const keygen = (file: string) => {
    const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'strata-test', '-f', file], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
  };
  const hostKey = path.join(dir, 'host_ed25519');
  const clientKey = path.join(dir, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKey);
  const fingerprint = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1];
  const authorized = path.join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${clientKey}.pub`));
  chmodSync(authorized, 0o600);

  const password = `pw-${Math.random().toString(36).slice(2, 12)}`;
  const hash = spawnSync('openssl', ['passwd', '-6', '-stdin'], { input: password, encoding: 'utf8' });
  if (hash.status !== 0) throw new Error(`openssl passwd failed: ${hash.stderr}`);
  const shadow = path.join(dir, 'shadow');
  const others = readFileSync('/etc/shadow', 'utf8').split('\n').filter((l) => l && !l.startsWith('root:'));
  writeFileSync(shadow, [`root:${hash.stdout.trim()}:20000:0:99999:7:::`, ...others, ''].join('\n'), { mode: 0o600 });

  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'PubkeyAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The key files live in /tmp, which is world-writable: sshd's ownership checks would refuse them.
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const script = `mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && mount --bind '${shadow}' /etc/shadow && exec '${SSHD}' -D -e -f '${config}'`;
  const child: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk) => (log = (log + chunk.toString()).slice(-20_000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 15_000;
  while (!log.includes('Server listening')) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    username: 'root',
    password,
    privateKeyPath: clientKey,
    hostKeySha256: fingerprint,
    files,
    log: () => log,
    stop: async () => {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
