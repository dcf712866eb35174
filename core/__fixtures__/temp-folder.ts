import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A new folder under the system's temporary folder, with `files` (relative path to contents) written
 * in it, removed when the test that asked for it finishes, whether it passed or not. Call it inside a test.
 */
export function tempFolder(prefix: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `strata-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFiles(dir, files);
  return dir;
}

/** Writes each file (relative path to contents) under `dir`, making its folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, contents] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, contents);
  }
}
