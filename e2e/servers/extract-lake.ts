import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBParquetAppender } from '../../adapters/duckdb/duckdb-parquet-appender.js';
import { queryDuckDB } from '../duckdb-query.js';
import type { SourceConnection, SourceTableConfig } from '../../core/extract/source-adapter.js';
import type { LakeStorage } from '../../core/lake/lake-storage.js';
import type { LoadManifest } from '../../core/lake/lake-layout.js';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { JsonLinesEncoder } from '../../core/lake/part-encoders.js';

/** How one extract of one table went. */
export interface ExtractOutcome {
  manifests: LoadManifest[];
  error?: unknown;
}

/**
 * A local lake for source tests: drives a SourceConnection through the contract the way the
 * extract runner does (state from the newest committed load, each load committed before the next
 * is asked for) with the real LakeWriter and the Parquet encoder the CLI uses, and reads committed loads with DuckDB.
 */
export class ExtractLake {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'strata-lake-'));
  readonly storage = new LocalLakeStorage(this.root);
  readonly writer = new LakeWriter(this.storage);

  /** Extracts one table. `stopAfter` loads simulates a run killed between loads; `storage` a lake that fails. */
  async extract(connection: SourceConnection, system: string, source: string, table: SourceTableConfig, options: { fullRefresh?: boolean; stopAfter?: number; storage?: LakeStorage } = {}): Promise<ExtractOutcome> {
    const writer = options.storage ? new LakeWriter(options.storage) : this.writer;
    const state = options.fullRefresh ? undefined : await this.writer.latestState(source, table.name);
    const manifests: LoadManifest[] = [];
    // One encoder per table, as the runner does: tables may be extracted at the same time.
    const parquet = new DuckDBParquetAppender();
    try {
      for await (const load of connection.extract({ table, state, fullRefresh: options.fullRefresh ?? false, signal: new AbortController().signal })) {
        const encoder = load.format === 'jsonl' ? new JsonLinesEncoder() : parquet;
        manifests.push(await writer.writeLoad({ source, table: table.name, system, ...load, encoder }));
        if (options.stopAfter !== undefined && manifests.length >= options.stopAfter) break;
      }
      return { manifests };
    } catch (error) {
      return { manifests, error };
    } finally {
      await parquet.close();
    }
  }

  /** Runs `sql` over a view `t` of the table's committed loads (a replace load hides the loads before it). */
  async query(source: string, table: string, sql: string): Promise<Record<string, unknown>[]> {
    const loads = await this.writer.committedLoads(source, table);
    const lastReplace = loads.map((l) => l.disposition).lastIndexOf('replace');
    const visible = loads.slice(Math.max(0, lastReplace));
    const files = visible.flatMap((l) => l.parts.map((p) => this.storage.pathOf(p.key)));
    const format = visible[0]?.format ?? 'parquet';
    const list = `[${files.map((f) => `'${f}'`).join(', ')}]`;
    const view = !files.length
      ? `create view t as select null as nothing where false`
      : format === 'jsonl'
        ? `create view t as select * from read_json(${list}, format = 'newline_delimited', union_by_name = true)`
        : `create view t as select * from read_parquet(${list}, union_by_name = true)`;
    return queryDuckDB(sql, { setup: [`set TimeZone = 'UTC'`, view] });
  }

  async close(): Promise<void> {
    rmSync(this.root, { recursive: true, force: true });
  }
}
