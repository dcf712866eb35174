import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs `sql` on a fresh DuckDB session (in memory, or on `database`), after the `setup` statements
 * (attach, set, create view...); rows as JSON objects. The session is closed afterwards.
 */
export async function queryDuckDB(sql: string, options: { database?: string; setup?: string[] } = {}): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(options.database ?? ':memory:');
  const connection = await instance.connect();
  try {
    for (const statement of options.setup ?? []) await connection.run(statement);
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs a query against a project's DuckDB file after the CLI has closed it; rows as JSON objects. */
export async function queryProject(dir: string, sql: string, file = 'target/shop.duckdb'): Promise<Record<string, unknown>[]> {
  return queryDuckDB(sql, { database: path.join(dir, file) });
}

/** Writes encoded bytes (a Parquet part) to a temporary file, calls `use` with its path, then removes it. */
export async function withTempFile<T>(bytes: Uint8Array, use: (file: string) => Promise<T>, extension = 'parquet'): Promise<T> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'strata-bytes-'));
  try {
    const file = path.join(folder, `part.${extension}`);
    writeFileSync(file, bytes);
    return await use(file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
