import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline as pipelineStreams, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { LakeColumn, LakeFormat } from '../../../core/lake/lake-layout.js';
import type { TextBatch } from '../../../core/lake/lake-writer.js';
import { parseJsonExact } from '../parse-json-exact.js';
import type { SftpFileFormat } from './sftp-config.js';
import { csvRows, spoolCsvText, spooledBatches } from './sftp-csv-reader.js';

/** How to read one downloaded file. */
export interface ParseOptions {
  format: SftpFileFormat;
  gzip: boolean;
  delimiter?: string;
  header: boolean;
  /** The lake format the rows land as: for `jsonl`, Parquet's nested values stay nested. */
  landAs: LakeFormat;
}

/** The rows of one file, readable more than once (a check pass, then the load). */
export interface ParsedFile {
  /** Exact column types where the file declares them (Parquet). */
  schema?: LakeColumn[];
  rows(): AsyncIterable<Record<string, unknown>>;
  /** Reads the file through once: a malformed file throws here, before its load starts. */
  check(): Promise<void>;
  /**
   * CSV/TSV landing as Parquet, after check(): the column names in file order and the file as the
   * lake's delimited text parts (the lake writer's fast path: DuckDB parses each part at once).
   */
  text?(): { names: string[]; batches: AsyncIterable<TextBatch> };
}

/**
 * Parses local copies of remote files into rows: CSV/TSV with csv-parse, NDJSON line by line,
 * Parquet through an in-memory DuckDB (opened on first use). Errors say what is wrong and where.
 */
export class SftpFileParser {
  private duckdb?: Promise<DuckDBInstance>;

  /**
   * The file's rows; for Parquet also its schema. `scratch` is a temporary path beside the file: a
   * gzipped Parquet file is unpacked there, a CSV file re-written there as delimited text parts.
   */
  async open(file: string, options: ParseOptions, scratch: string): Promise<ParsedFile> {
    if (options.format === 'parquet') {
      let local = file;
      if (options.gzip) {
        local = scratch;
        await pipeline(createReadStream(file), createGunzip(), createWriteStream(local));
      }
      return withCheck(await this.openParquet(local, options.landAs));
    }
    // pipeline() passes a read or gunzip error on to the last stream, so the row iterator throws it.
    const stream = (): Readable => (options.gzip ? pipe(createReadStream(file), createGunzip()) : createReadStream(file));
    if (options.format === 'jsonl') return withCheck({ rows: () => jsonLines(stream) });
    const delimiter = options.delimiter ?? (options.format === 'tsv' ? '\t' : ',');
    const rows = () => csvRows(stream(), delimiter, options.header);
    if (options.landAs !== 'parquet') return withCheck({ rows });
    let spool: Awaited<ReturnType<typeof spoolCsvText>> | undefined;
    return {
      rows,
      check: async () => {
        spool = await spoolCsvText(stream(), delimiter, options.header, scratch);
      },
      text: () => {
        if (!spool) throw new Error('check() the file before reading its text');
        return { names: spool.names, batches: spooledBatches(scratch, spool.batches) };
      },
    };
  }

  async close(): Promise<void> {
    if (!this.duckdb) return;
    (await this.duckdb).closeSync();
    this.duckdb = undefined;
  }

  private async openParquet(file: string, landAs: LakeFormat): Promise<Omit<ParsedFile, 'check'>> {
    const from = `read_parquet(${literal(file)})`;
    // A connection per query: the tables of a source may be read at once (--threads), and a DuckDB
    // connection runs one streaming query at a time.
    const described = (await this.withConnection((c) => c.runAndReadAll(`describe select * from ${from}`))).getRowObjectsJson() as { column_name: string; column_type: string }[];
    const stream = (sql: string) => this.streamRows(sql);
    if (landAs === 'jsonl') {
      return {
        rows: async function* () {
          for await (const row of stream(`select to_json(t)::varchar as j from ${from} as t`)) yield JSON.parse(row.j as string) as Record<string, unknown>;
        },
      };
    }
    // Values travel as text with their exact type beside them, so DECIMAL and TIMESTAMPTZ land unchanged.
    const schema: LakeColumn[] = described.map((c) => ({ name: c.column_name, type: isNested(c.column_type) ? 'JSON' : c.column_type }));
    const select = described.map((c) => `${textOf(quote(c.column_name), c.column_type)} as ${quote(c.column_name)}`).join(', ');
    return { schema, rows: () => stream(`select ${select} from ${from}`) };
  }

  private async *streamRows(sql: string): AsyncIterable<Record<string, unknown>> {
    const connection = await (await this.instance()).connect();
    try {
      await connection.run(`set TimeZone = 'UTC'`);
      const result = await connection.stream(sql);
      for await (const chunk of result.yieldRowObjectJson()) yield* chunk as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  }

  private async withConnection<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await (await this.instance()).connect();
    try {
      return await use(connection);
    } finally {
      connection.closeSync();
    }
  }

  private instance(): Promise<DuckDBInstance> {
    this.duckdb ??= DuckDBInstance.create(':memory:');
    return this.duckdb;
  }
}

/** A parsed file whose check reads every row once. */
function withCheck(file: Omit<ParsedFile, 'check'>): ParsedFile {
  return {
    ...file,
    check: async () => {
      for await (const _row of file.rows());
    },
  };
}

/** NDJSON: one object per line; blank lines are skipped. */
async function* jsonLines(stream: () => Readable): AsyncIterable<Record<string, unknown>> {
  const lines = createInterface({ input: stream(), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch (error) {
      throw new Error(`line ${n} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`line ${n} is not a JSON object`);
    yield value as Record<string, unknown>;
  }
}

function pipe<T extends NodeJS.ReadWriteStream>(from: Readable, to: T): T {
  return pipelineStreams(from, to, () => {}) as unknown as T;
}

function isNested(type: string): boolean {
  return /^(STRUCT|MAP|UNION)\(|\[\d*\]$/i.test(type);
}

/** The SQL giving a column's value as text that casting back to its type restores exactly. */
function textOf(ref: string, type: string): string {
  if (isNested(type)) return `to_json(${ref})::varchar`;
  if (/^BLOB$/i.test(type)) return `to_base64(${ref})`;
  return `${ref}::varchar`;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
