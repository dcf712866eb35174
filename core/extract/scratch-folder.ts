import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A new folder for a run's scratch files (downloads, Parquet parts): `<tmp>/strata-<kind>-<pid>-XXXXXX`.
 * Its owner removes it when done; a run that was killed (SIGKILL, a crash) cannot, so making one
 * first removes the `strata-<kind>-` folders of processes that no longer run. Folders of running
 * processes, and names of another shape, are left alone.
 */
export function makeScratchFolder(kind: string, tmp = os.tmpdir()): string {
  const prefix = `strata-${kind}-`;
  let entries: string[] = [];
  try {
    entries = readdirSync(tmp);
  } catch {
    // An unreadable temp folder: nothing to tidy; mkdtemp below says what is wrong, if anything.
  }
  for (const name of entries) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-[A-Za-z0-9]{6}$/.exec(name.slice(prefix.length))?.[1];
    if (pid === undefined || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
  return mkdtempSync(path.join(tmp, `${prefix}${process.pid}-`));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
