import { rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { makeScratchFolder } from '../../core/extract/scratch-folder.js';

/**
 * An in-memory DuckDB with a temporary folder, for turning rows into Parquet parts: opened on
 * first use, one connection, removed with its folder by `close`. It runs on one thread: a part
 * (100,000 rows, ~16 MB of text) is too small for DuckDB's parallel CSV reader and Parquet writer
 * to pay back their coordination, and the caller overlaps reading the next part with this one
 * (bench/RESULTS.md, "Extract from MariaDB").
 */
export class DuckDBScratch {
  private session?: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }>;
  // Removed by close; a killed run's is removed by the next run that makes one.
  private readonly folder = makeScratchFolder('parquet');
  private count = 0;

  /** The connection, opening the database the first time. */
  async connection(): Promise<DuckDBConnection> {
    this.session ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      const connection = await instance.connect();
      // Timestamps without an offset are UTC, whatever the machine's zone (core/lake TextBatch).
      await connection.run("set TimeZone = 'UTC'");
      return { instance, connection };
    })();
    return (await this.session).connection;
  }

  /** A new part's number, and paths of its input file (with `inputExtension`) and Parquet output, unique in the folder. */
  nextPart(inputExtension: string): { n: number; input: string; output: string } {
    const n = this.count++;
    return { n, input: path.join(this.folder, `part-${n}.${inputExtension}`), output: path.join(this.folder, `part-${n}.parquet`) };
  }

  async close(): Promise<void> {
    if (this.session) {
      const { instance, connection } = await this.session;
      connection.closeSync();
      instance.closeSync();
      this.session = undefined;
    }
    rmSync(this.folder, { recursive: true, force: true });
  }
}

export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
