import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  BATCH_ID_COLUMN,
  commitMarkerKey,
  COMMITTED_FOLDER,
  isBatchId,
  loadDate,
  LOADED_AT_COLUMN,
  newBatchId,
  partKey,
  SOURCE_COLUMN,
  SOURCE_FILE_COLUMN,
  tableKey,
  type CommittedBatch,
  type CommittedPart,
  type LakeFormat,
} from './lake-layout.js';
import type { LakeStorage } from './lake-storage.js';
import { encodeCsv, encodeJsonLine } from './part-encoders.js';

/** One batch to land: rows of one table from one load. */
export interface WriteBatchOptions {
  /** Lake source folder (lower snake case), e.g. `shop_mysql`. */
  source: string;
  /** Lake table folder (lower snake case), e.g. `orders`. */
  table: string;
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  format: LakeFormat;
  /** The `_source` column: the kind of system (mysql, mongodb, sftp, rest...); default `source`. */
  system?: string;
  /** File sources: the `_source_file` of every row; a row's own `_source_file` wins. */
  sourceFile?: string;
  /** The `_loaded_at` of every row and the `load_date=` folder; default now. */
  loadedAt?: Date;
  /** Default: a new id from `loadedAt`. */
  batchId?: string;
  /** Rows per part file; default 100,000. A part is held in memory until it is written. */
  maxRowsPerFile?: number;
}

const DEFAULT_MAX_ROWS_PER_FILE = 100_000;

/**
 * The one way data enters the lake. Parts are written whole under their final keys, then the
 * batch's commit marker is written; readers read only batches with a marker, so a write that
 * fails or is killed before the marker leaves nothing visible.
 */
export class LakeWriter {
  constructor(readonly storage: LakeStorage) {}

  /** Lands a batch and commits it; returns its commit marker. On failure, removes the parts it wrote. */
  async writeBatch(options: WriteBatchOptions): Promise<CommittedBatch> {
    const { source, table, format } = options;
    tableKey(source, table);
    if (format === 'parquet') throw new Error('the lake writer does not write parquet parts yet; use jsonl, csv or csv.gz');
    const loadedAt = options.loadedAt ?? new Date();
    const batchId = options.batchId ?? newBatchId(loadedAt);
    if (!isBatchId(batchId)) throw new Error(`batch id '${batchId}' must look like 20261125T083000Z-1a2b3c4d`);
    const maxRows = options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE;
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new Error(`maxRowsPerFile must be a whole number >= 1, got ${maxRows}`);
    const metadata = {
      [LOADED_AT_COLUMN]: loadedAt.toISOString(),
      [BATCH_ID_COLUMN]: batchId,
      [SOURCE_COLUMN]: options.system ?? source,
    };

    const parts: CommittedPart[] = [];
    let pending: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!pending.length) return;
      const key = partKey(source, table, loadedAt, batchId, parts.length, format);
      const text = format === 'jsonl' ? pending.map(encodeJsonLine).join('') : encodeCsv(pending);
      const raw = Buffer.from(text, 'utf8');
      const bytes = format === 'csv.gz' ? gzipSync(raw) : raw;
      // Recorded before the put, so that a failed put is cleaned up too.
      parts.push({ key, rows: pending.length, bytes: bytes.length, sha256: sha256(bytes) });
      pending = [];
      await this.storage.put(key, bytes);
    };

    try {
      for await (const row of options.rows) {
        const landed: Record<string, unknown> = { ...row, ...metadata };
        if (options.sourceFile !== undefined && row[SOURCE_FILE_COLUMN] === undefined) landed[SOURCE_FILE_COLUMN] = options.sourceFile;
        pending.push(landed);
        if (pending.length >= maxRows) await flush();
      }
      await flush();
      const batch: CommittedBatch = {
        lake_layout_version: 1,
        source,
        table,
        batch_id: batchId,
        loaded_at: metadata[LOADED_AT_COLUMN],
        load_date: loadDate(loadedAt),
        format,
        system: metadata[SOURCE_COLUMN],
        rows: parts.reduce((n, p) => n + p.rows, 0),
        bytes: parts.reduce((n, p) => n + p.bytes, 0),
        parts,
        sha256: sha256(Buffer.from(parts.map((p) => p.sha256).join('\n'))),
      };
      // The commit: one whole-object write makes the batch visible.
      await this.storage.put(commitMarkerKey(source, table, batchId), Buffer.from(`${JSON.stringify(batch, null, 2)}\n`));
      return batch;
    } catch (error) {
      await Promise.allSettled(parts.map((p) => this.storage.delete(p.key)));
      throw error;
    }
  }

  /** The committed batches of a table, oldest first. */
  async committedBatches(source: string, table: string): Promise<CommittedBatch[]> {
    const prefix = `${tableKey(source, table)}/${COMMITTED_FOLDER}/`;
    const batches: CommittedBatch[] = [];
    for (const key of await this.storage.list(prefix)) {
      if (!key.endsWith('.json')) continue;
      const bytes = await this.storage.get(key);
      if (bytes) batches.push(JSON.parse(Buffer.from(bytes).toString('utf8')) as CommittedBatch);
    }
    return batches.sort((a, b) => a.batch_id.localeCompare(b.batch_id));
  }

  /** Part keys of a table that belong to no committed batch: leftovers of failed or running writes. */
  async uncommittedParts(source: string, table: string): Promise<string[]> {
    const committed = new Set((await this.committedBatches(source, table)).flatMap((b) => b.parts.map((p) => p.key)));
    const keys = await this.storage.list(`${tableKey(source, table)}/`);
    return keys.filter((k) => /\/load_date=[^/]+\/[^/]+$/.test(k) && !committed.has(k));
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
