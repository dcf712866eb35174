// Runs a command in a fresh process and measures its wall time and peak RSS, with a time limit.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const TIME = '/usr/bin/time';

/** Says why processes cannot be measured here, or returns undefined when they can. */
export function measurementUnavailable() {
  return existsSync(TIME) ? undefined : `${TIME} is missing: install it with 'apt-get install time'`;
}

const PAGE_BYTES = 4096;
const SAMPLE_MS = 50;

/** Resident bytes of all processes in process group `pgid` except `skipPid`, read from /proc. */
function groupRssBytes(pgid, skipPid) {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === skipPid) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which may hold spaces: state ppid pgrp ... rss is the 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) total += Number(fields[21]) * PAGE_BYTES;
  }
  return total;
}

/**
 * Runs `command args` under GNU time. Output goes to `logPrefix`.out/.err (a compile can print
 * tens of MB). Returns { seconds, peakRssMb, code, timedOut, logPrefix }. `seconds` is measured
 * here around the spawn (start-up included). Peak RSS is the larger of GNU time's %M (exact,
 * but only for processes that were waited for) and the peak of the whole process tree's summed
 * RSS sampled every 50 ms: the Dataform CLI SIGKILLs its compile worker and exits without
 * reaping it, so %M alone misses the worker, which does the work.
 */
export function measureProcess(command, args, { cwd, env, timeoutMs = 120_000, logPrefix }) {
  mkdirSync(path.dirname(logPrefix), { recursive: true });
  const timeFile = `${logPrefix}.time`;
  rmSync(timeFile, { force: true });
  const out = openSync(`${logPrefix}.out`, 'w');
  const err = openSync(`${logPrefix}.err`, 'w');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // detached: the child leads its own process group, so a timeout ends its workers too.
    const child = spawn(TIME, ['-f', '%e %M', '-o', timeFile, command, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, err], detached: true });
    let timedOut = false;
    let sampledPeak = 0;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, groupRssBytes(child.pid, child.pid));
    }, SAMPLE_MS);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      closeSync(out);
      closeSync(err);
      const fields = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ') : [];
      const timeRssMb = fields.length === 2 ? Number(fields[1]) / 1024 : NaN;
      const peakRssMb = Math.max(timeRssMb, sampledPeak / 2 ** 20);
      resolve({ seconds, peakRssMb, timeRssMb, sampledRssMb: sampledPeak / 2 ** 20, code: timedOut ? null : code, timedOut, logPrefix });
    });
  });
}

/** The last lines of a measured run's stderr and stdout, for error messages. */
export function tailOfLogs(logPrefix, lines = 8) {
  const read = (suffix) => (existsSync(logPrefix + suffix) ? readFileSync(logPrefix + suffix, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '');
  return [read('.err'), read('.out')].filter(Boolean).join('\n');
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
