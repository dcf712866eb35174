import { readFile, rm, writeFile } from 'node:fs/promises';
import { DuckDBScratch, literal, quote } from './duckdb-scratch.js';
import type { LakeColumn } from '../../core/lake/lake-layout.js';
import type { PartEncoder } from '../../core/lake/part-encoders.js';
import type { ColumnBatch } from '../../core/lake/column-batch.js';
import { DuckDBColumnScan } from './duckdb-column-scan.js';
import { PARQUET_OPTIONS } from './duckdb-parquet-encoder.js';

/**
 * Writes lake parts as Parquet through an in-memory DuckDB's appender: each value goes straight
 * into a staging table of VARCHAR (BLOB for binary) columns, no intermediate text file, then one
 * `copy (select cast(...)) to ... (format parquet)` casts each column to its declared type, so
 * DECIMAL stays exact and timestamps keep their zone. ZSTD-compressed at level 1 (PARQUET_OPTIONS). Sources that read the wire
 * themselves hand over whole parts as delimited text (`encodeText`) or by column (`encodeColumns`).
 */
export class DuckDBParquetAppender implements PartEncoder {
  readonly format = 'parquet' as const;
  private readonly scratch = new DuckDBScratch();
  private scan?: DuckDBColumnScan;

  async encode(rows: Record<string, unknown>[], schema: LakeColumn[]): Promise<Uint8Array> {
    const connection = await this.scratch.connection();
    const { n, output } = this.scratch.nextPart('none');
    const table = `strata_part_${n}`;
    const blob = schema.map((c) => c.type.toUpperCase() === 'BLOB');
    const names = schema.map((c) => c.name);
    try {
      await connection.run(`create table ${table} (${schema.map((_c, i) => `c${i} ${blob[i] ? 'BLOB' : 'VARCHAR'}`).join(', ')})`);
      const appender = await connection.createAppender(table);
      try {
        const width = names.length;
        for (const row of rows) {
          for (let i = 0; i < width; i++) {
            const value = row[names[i]];
            if (value === null || value === undefined) appender.appendNull();
            else if (blob[i]) appender.appendBlob(value instanceof Uint8Array ? value : Buffer.from(String(value), 'base64'));
            else appender.appendVarchar(typeof value === 'string' ? value : textOf(value));
          }
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      const select = schema.map((c, i) => `${castFrom(`c${i}`, c.type)} as ${quote(c.name)}`).join(', ');
      await connection.run(`copy (select ${select} from ${table}) to ${literal(output)} (${PARQUET_OPTIONS})`);
      return await readFile(output);
    } finally {
      await connection.run(`drop table if exists ${table}`).catch(() => undefined);
      await rm(output, { force: true });
    }
  }

  /** A part from delimited text (core/lake TextBatch): DuckDB's CSV reader parses it, in parallel. */
  async encodeText(text: Uint8Array, textColumns: LakeColumn[], constants: { column: LakeColumn; value: string }[], longestLine: number): Promise<Uint8Array> {
    const connection = await this.scratch.connection();
    const { input, output } = this.scratch.nextPart('tsv');
    try {
      await writeFile(input, text);
      // Numbers, dates and timestamps are parsed by the CSV reader as their type (no VARCHAR in between).
      const columns = textColumns.map((c, i) => `c${i}: ${literal(readsTyped(c.type) ? c.type : 'VARCHAR')}`).join(', ');
      const select = [
        ...textColumns.map((c, i) => `${c.type.toUpperCase() === 'BLOB' ? `from_base64(c${i})` : readsTyped(c.type) ? `c${i}` : castFrom(`c${i}`, c.type)} as ${quote(c.name)}`),
        ...constants.map(({ column, value }) => `${castFrom(literal(value), column.type)} as ${quote(column.name)}`),
      ].join(', ');
      const read =
        `read_csv(${literal(input)}, delim = '\t', quote = '"', escape = '"', header = false, auto_detect = false, columns = {${columns}}, ` +
        `allow_quoted_nulls = false, max_line_size = ${Math.max(2_097_152, longestLine + 1024)})`;
      await connection.run(`copy (select ${select} from ${read}) to ${literal(output)} (${PARQUET_OPTIONS})`);
      return await readFile(output);
    } finally {
      await Promise.allSettled([rm(input, { force: true }), rm(output, { force: true })]);
    }
  }

  /** A part from a ColumnBatch: DuckDB pulls its blocks through a table function (duckdb-column-scan.ts), no text to parse. */
  async encodeColumns(batch: ColumnBatch, columns: LakeColumn[], constants: { column: LakeColumn; value: string }[]): Promise<Uint8Array> {
    const connection = await this.scratch.connection();
    this.scan ??= new DuckDBColumnScan(connection);
    const { output } = this.scratch.nextPart('none');
    try {
      const { select, from } = this.scan.open(batch, columns);
      const all = [...select, ...constants.map(({ column, value }) => `${castFrom(literal(value), column.type)} as ${quote(column.name)}`)].join(', ');
      await connection.run(`copy (select ${all} from ${from}) to ${literal(output)} (${PARQUET_OPTIONS})`);
      return await readFile(output);
    } finally {
      this.scan.done();
      await rm(output, { force: true });
    }
  }

  close(): Promise<void> {
    this.scan = undefined;
    return this.scratch.close();
  }
}

/** The text DuckDB casts from: numbers and bigints exact, dates ISO, nested values JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

/** Types DuckDB's CSV reader parses exactly as a cast from text would (checked in duckdb-parquet-appender.test.ts). */
function readsTyped(type: string): boolean {
  return /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|HUGEINT|DECIMAL\(\d+,\s*\d+\)|FLOAT|DOUBLE|BOOLEAN|DATE|TIMESTAMP|TIMESTAMPTZ)$/i.test(type.trim());
}

function castFrom(column: string, type: string): string {
  const upper = type.toUpperCase();
  return upper === 'VARCHAR' || upper === 'BLOB' ? column : `cast(${column} as ${type})`;
}

