import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder.js';
import { makeScratchFolder } from './scratch-folder.js';

describe('makeScratchFolder', () => {
  it("makes a folder named by this process, after removing those of processes that no longer run", () => {
    const dir = tempFolder('scratch-test');
    // A process that has ended: its pid is free (unless reused within this test, which would only keep its folder).
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = path.join(dir, `strata-sftp-${ended}-abc123`);
    mkdirSync(stale);
    writeFileSync(path.join(stale, 'orders.csv'), 'half a download');
    const running = path.join(dir, `strata-sftp-${process.ppid}-def456`);
    mkdirSync(running);
    const otherKind = path.join(dir, `strata-parquet-${ended}-ghi789`);
    mkdirSync(otherKind);
    const otherShape = path.join(dir, 'strata-sftp-notes');
    mkdirSync(otherShape);

    const made = makeScratchFolder('sftp', dir);
    expect(path.basename(made)).toMatch(new RegExp(`^strata-sftp-${process.pid}-[A-Za-z0-9]{6}$`));
    expect(existsSync(made)).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(existsSync(otherKind)).toBe(true);
    expect(existsSync(otherShape)).toBe(true);
    // Its own earlier folder stays (one process may use several).
    expect(existsSync(makeScratchFolder('sftp', dir)) && existsSync(made)).toBe(true);
  });
});
