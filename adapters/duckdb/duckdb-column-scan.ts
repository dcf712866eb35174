import duckdb from '@duckdb/node-bindings';
import {
  BIGINT,
  DATE,
  DuckDBDecimalType,
  DuckDBTableFunction,
  INTEGER,
  SMALLINT,
  TIMESTAMP,
  TIMESTAMPTZ,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { COLUMN_BLOCK_ROWS, type ColumnBatch } from '../../core/lake/column-batch.js';
import type { LakeColumn } from '../../core/lake/lake-layout.js';
import { quote } from './duckdb-scratch.js';

/**
 * A table function that DuckDB pulls a ColumnBatch from, one block per data chunk: each fixed
 * column is one copy into its vector, each text piece one copy of its inline views; only values
 * held whole (long or not ASCII) go in one by one. No table in between: `select` from it straight
 * into `copy ... to` Parquet. Text columns are their pieces joined, then cast to their type.
 */
export class DuckDBColumnScan {
  private batch?: { data: ColumnBatch; staging: Staging[] };
  private readonly name = 'strata_column_batch';

  constructor(connection: DuckDBConnection) {
    connection.registerTableFunction(
      DuckDBTableFunction.create({
        name: this.name,
        bindFunction: (info) => {
          try {
            const batch = this.current();
            for (const s of batch.staging) info.addResultColumn(s.name, s.type);
            info.setCardinality(batch.data.rows, true);
          } catch (error) {
            info.setError(error instanceof Error ? error.message : String(error));
          }
        },
        initFunction: (info) => {
          info.setInitData({ next: 0 });
          info.setMaxThreads(1);
        },
        mainFunction: (info, output) => {
          try {
            const state = info.getInitData() as { next: number };
            const batch = this.current();
            if (state.next >= batch.data.blocks.length) {
              output.rowCount = 0;
              return;
            }
            fill(batch.data, batch.staging, state.next++, output.chunk);
          } catch (error) {
            info.setError(error instanceof Error ? error.message : String(error));
          }
        },
      }),
    );
  }

  /** `select` list and `from` of a query over `batch`, which stays readable until `done()`. */
  open(batch: ColumnBatch, columns: LakeColumn[]): { select: string[]; from: string } {
    if (batch.columns.length !== columns.length) throw new Error(`a column batch of ${batch.columns.length} columns for ${columns.length} lake columns`);
    const staging: Staging[] = [];
    const select = columns.map((column, i) => {
      const layout = batch.columns[i];
      if (layout.kind === 'fixed') {
        const type = fixedType(column.type);
        if (!type || type.bytes !== layout.bytes) throw new Error(`column ${column.name}: no ${layout.bytes}-byte layout for ${column.type}`);
        staging.push({ name: `c${i}`, type: type.type, column: i, piece: -1, bytes: layout.bytes });
        return `c${i} as ${quote(column.name)}`;
      }
      const pieces = Array.from({ length: Math.max(1, layout.pieces) }, (_p, p) => {
        staging.push({ name: `c${i}_${p}`, type: VARCHAR, column: i, piece: p, bytes: 16 });
        return `c${i}_${p}`;
      });
      const text = pieces.join(' || ');
      const upper = column.type.toUpperCase();
      return `${upper === 'VARCHAR' ? text : `cast(${text} as ${column.type})`} as ${quote(column.name)}`;
    });
    this.batch = { data: batch, staging };
    return { select, from: `${this.name}()` };
  }

  done(): void {
    this.batch = undefined;
  }

  private current(): { data: ColumnBatch; staging: Staging[] } {
    if (!this.batch) throw new Error('no column batch is open');
    return this.batch;
  }
}

/** One column of the table function: a fixed column, or one piece of a text column. */
interface Staging {
  name: string;
  type: DuckDBType;
  column: number;
  /** -1: a fixed column. */
  piece: number;
  bytes: number;
}

const FIXED: Record<string, { type: DuckDBType; bytes: number }> = {
  TINYINT: { type: TINYINT, bytes: 1 },
  UTINYINT: { type: UTINYINT, bytes: 1 },
  SMALLINT: { type: SMALLINT, bytes: 2 },
  USMALLINT: { type: USMALLINT, bytes: 2 },
  INTEGER: { type: INTEGER, bytes: 4 },
  UINTEGER: { type: UINTEGER, bytes: 4 },
  BIGINT: { type: BIGINT, bytes: 8 },
  UBIGINT: { type: UBIGINT, bytes: 8 },
  DATE: { type: DATE, bytes: 4 },
  TIMESTAMP: { type: TIMESTAMP, bytes: 8 },
  TIMESTAMPTZ: { type: TIMESTAMPTZ, bytes: 8 },
};

/** The DuckDB type and width of a lake type a column batch may hold fixed. */
function fixedType(type: string): { type: DuckDBType; bytes: number } | undefined {
  const upper = type.toUpperCase().replace(/\s+/g, '');
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(upper);
  if (decimal) {
    const p = Number(decimal[1]);
    if (p > 18) return undefined;
    return { type: new DuckDBDecimalType(p, Number(decimal[2])), bytes: p <= 4 ? 2 : p <= 9 ? 4 : 8 };
  }
  return FIXED[upper];
}

/** Fills DuckDB's output chunk with block `index` of the batch. */
function fill(batch: ColumnBatch, staging: Staging[], index: number, chunk: duckdb.DataChunk): void {
  const block = batch.blocks[index];
  const rows = block.rows;
  if (rows > COLUMN_BLOCK_ROWS) throw new Error(`a column block of ${rows} rows`);
  for (let c = 0; c < staging.length; c++) {
    const s = staging[c];
    const vector = duckdb.data_chunk_get_vector(chunk, c);
    const data = block.data[s.column];
    const buffer = s.piece < 0 ? (data as ArrayBuffer) : (data as ArrayBuffer[])[s.piece];
    if (buffer.byteLength < rows * s.bytes) throw new Error(`column block ${index} holds ${buffer.byteLength} bytes for ${rows} rows`);
    duckdb.copy_data_to_vector(vector, 0, buffer, 0, rows * s.bytes);
    if (s.piece > 0) continue;
    const validity = block.validity[s.column];
    if (validity) {
      duckdb.vector_ensure_validity_writable(vector);
      duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, validity.byteOffset, Math.ceil(rows / 64) * 8);
    }
    const long = block.long[s.column];
    if (long) {
      const heap = block.heap;
      for (let k = 0; k < long.length; k += 3) duckdb.vector_assign_string_element_len(vector, long[k], heap.subarray(long[k + 1], long[k + 2]));
    }
  }
  duckdb.data_chunk_set_size(chunk, rows);
}
