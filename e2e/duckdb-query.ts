import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs a query against a project's DuckDB file after the CLI has closed it; rows as JSON objects. */
export async function queryProject(dir: string, sql: string, file = 'target/shop.duckdb'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path.join(dir, file));
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
