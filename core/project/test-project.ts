import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject, type Project } from './load-project.js';
import { readProjectFile } from './project-file.js';

/**
 * For tests: writes `files` (relative path to contents) to a fresh temp folder, loads it as a
 * project named for DuckDB (relations `database.schema.identifier`, schema `main`) and removes
 * the folder again. A UserError from loading is thrown as it is.
 */
export async function loadTestProject(files: Record<string, string>, options: { defaultDatabase?: string | null } = {}): Promise<Project> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-test-project-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return await loadProject({
      project: readProjectFile(root),
      naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.database, r.schema, r.identifier].filter(Boolean).join('.') }, defaultDatabase: options.defaultDatabase ?? null, defaultSchema: 'main' },
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
