import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startServerProcess } from './server-process.js';

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
  const server = await startServerProcess({
    name: 'sshd',
    command: 'unshare',
    args: ['-m', '--propagation', 'private', 'sh', '-c', script],
    ready: (log) => log.includes('Server listening'),
    timeoutMs: 15_000,
    pollMs: 50,
    graceMs: 10_000,
    onFailure: () => rmSync(dir, { recursive: true, force: true }),
  });
  return {
    host: '127.0.0.1',
    port,
    username: 'root',
    password,
    privateKeyPath: clientKey,
    hostKeySha256: fingerprint,
    files,
    log: () => server.log(),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
