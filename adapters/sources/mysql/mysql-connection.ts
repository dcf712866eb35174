import mysql from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { didYouMean } from '../../../core/errors/did-you-mean.js';
import type { ExtractLoad, ExtractRequest, SourceConnection, SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import type { CursorRange } from '../../../core/lake/lake-layout.js';
import { readMySqlTableSettings, type MySqlSourceSettings, type MySqlTableSettings } from './mysql-settings.js';
import { cursorParameter, fixValue, mapMySqlColumn, type MappedColumn, type MySqlColumnInfo } from './mysql-types.js';
import { MySqlTextRows } from './mysql-text-rows.js';
import { queryRowPackets } from './mysql-row-packets.js';
import { MySqlVectorRows, vectorKinds } from './mysql-vector-rows.js';
import type { TextBatch } from '../../../core/lake/lake-writer.js';
import { isColumnBatch, type ColumnBatch } from '../../../core/lake/column-batch.js';

/** The state a MySQL table's manifest carries: the cursor reached, never a secret. */
interface MySqlState {
  cursor_field?: string;
  cursor_value?: string | null;
}

/** An open MySQL source: a small pool; each table streams through one connection, chunk by chunk. */
export class MySqlConnection implements SourceConnection {
  constructor(
    private readonly source: SourceLoaderConfig,
    private readonly settings: MySqlSourceSettings,
    private readonly pool: Pool,
  ) {}

  async *extract(request: ExtractRequest): AsyncIterable<ExtractLoad> {
    const { table } = request;
    const load = table.load ?? { disposition: 'replace', primaryKey: [], format: 'parquet' as const };
    const tableSettings = readMySqlTableSettings(this.source, table, this.settings);
    const columns = await this.columns(tableSettings);
    const primaryKey = load.primaryKey.length ? load.primaryKey : await this.primaryKey(tableSettings.table);
    const cursorField = load.cursorField;
    const mapped = columns.map((c) => mapMySqlColumn(c, this.settings.datetimeZone));
    const byName = new Map(mapped.map((m) => [m.column.name, m]));
    for (const name of [...primaryKey, ...(cursorField ? [cursorField] : [])]) {
      if (!byName.has(name)) throw new Error(`column '${name}' (primary_key or cursor_field) is not a column of MySQL table ${this.settings.database}.${tableSettings.table}${hint(name, [...byName.keys()])}`);
    }
    // A numeric cursor is compared as a number by the lake writer, not as text.
    const cursor = cursorField ? byName.get(cursorField)! : undefined;
    if (cursor && /INT/.test(cursor.column.type) && !cursor.fix) cursor.fix = 'bigint';
    const previous = (request.state ?? {}) as MySqlState;
    const from = previous.cursor_field === cursorField ? (previous.cursor_value ?? tableSettings.initialValue) : tableSettings.initialValue;
    const strict = load.disposition === 'append' && !tableSettings.lookback;
    // With a key, chunks go to the lake as text straight from the wire (mysql-text-rows.ts).
    const batches = primaryKey.length && this.settings.textPath ? this.batches(tableSettings, mapped, primaryKey, cursor, from, strict, request.signal) : undefined;
    const rows = batches ? noRows() : this.rows(tableSettings, mapped, primaryKey, cursor, from, strict, request.signal);
    yield {
      rows,
      ...(batches ? { batches } : {}),
      schema: mapped.map((m) => m.column),
      format: load.format,
      disposition: load.disposition,
      primaryKey,
      ...(cursorField ? { cursorField } : {}),
      state: (range: CursorRange | null): Record<string, unknown> => (cursorField ? { cursor_field: cursorField, cursor_value: range?.max ?? from ?? null } : {}),
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The table's columns, in order, with exact types. */
  private async columns(settings: MySqlTableSettings): Promise<MySqlColumnInfo[]> {
    const [rows] = await this.pool.query(
      'select COLUMN_NAME as name, DATA_TYPE as dataType, COLUMN_TYPE as columnType, NUMERIC_PRECISION as `precision`, NUMERIC_SCALE as scale from information_schema.COLUMNS where TABLE_SCHEMA = ? and TABLE_NAME = ? order by ORDINAL_POSITION',
      [this.settings.database, settings.table],
    );
    const found = rows as { name: string; dataType: string; columnType: string; precision: string | number | null; scale: string | number | null }[];
    if (!found.length) {
      const [tables] = await this.pool.query('select TABLE_NAME as name from information_schema.TABLES where TABLE_SCHEMA = ?', [this.settings.database]);
      throw new Error(`table ${this.settings.database}.${settings.table} does not exist in MySQL${hint(settings.table, (tables as { name: string }[]).map((t) => t.name))}`);
    }
    const json = await this.jsonColumns(settings.table);
    const all = found.map((r) => ({
      name: r.name,
      dataType: r.dataType,
      columnType: r.columnType,
      precision: r.precision === null ? null : Number(r.precision),
      scale: r.scale === null ? null : Number(r.scale),
      isJson: json.has(r.name),
    }));
    if (!settings.columns) return all;
    const names = new Map(all.map((c) => [c.name, c]));
    return settings.columns.map((name) => {
      const column = names.get(name);
      if (!column) throw new Error(`column '${name}' (loader 'columns') is not a column of MySQL table ${this.settings.database}.${settings.table}${hint(name, [...names.keys()])}`);
      return column;
    });
  }

  /** MariaDB's JSON columns: LONGTEXT with a `json_valid(col)` check constraint. */
  private async jsonColumns(table: string): Promise<Set<string>> {
    try {
      const [rows] = await this.pool.query('select CHECK_CLAUSE as clause from information_schema.CHECK_CONSTRAINTS where CONSTRAINT_SCHEMA = ? and TABLE_NAME = ?', [this.settings.database, table]);
      const out = new Set<string>();
      for (const { clause } of rows as { clause: string }[]) {
        const match = /^json_valid\(`([^`]+)`\)$/i.exec(clause.trim());
        if (match) out.add(match[1]);
      }
      return out;
    } catch {
      // MySQL before 8.0.16 has no CHECK_CONSTRAINTS; its JSON columns say so in DATA_TYPE.
      return new Set();
    }
  }

  private async primaryKey(table: string): Promise<string[]> {
    const [rows] = await this.pool.query(
      "select COLUMN_NAME as name from information_schema.STATISTICS where TABLE_SCHEMA = ? and TABLE_NAME = ? and INDEX_NAME = 'PRIMARY' order by SEQ_IN_INDEX",
      [this.settings.database, table],
    );
    return (rows as { name: string }[]).map((r) => r.name);
  }

  /** The `where` conditions and parameters of every chunk: the loader's filter and the cursor window. */
  private conditions(settings: MySqlTableSettings, cursor: MappedColumn | undefined, from: string | undefined, strictCursor: boolean): { conditions: string[]; params: unknown[] } {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (settings.where) conditions.push(`(${settings.where})`);
    if (cursor && from !== undefined && from !== null) {
      const value = cursorParameter(from, cursor.fix, this.settings.datetimeZone);
      const temporal = /TIMESTAMP|DATE/.test(cursor.column.type);
      const lookback = settings.lookback ? (temporal ? ` - interval ${Number(settings.lookback)} second` : ` - ${Number(settings.lookback)}`) : '';
      conditions.push(`${mysql.escapeId(cursor.column.name)} ${strictCursor ? '>' : '>='} ${temporal && lookback ? `cast(? as datetime(6))` : '?'}${lookback}`);
      params.push(value);
    }
    return { conditions, params };
  }

  /**
   * The query of each chunk: the table's columns within the loader's conditions and, with a primary
   * key, after the key `last` (none for the first chunk), in key order, `chunkSize` rows. Without a
   * key, the one query of the whole table.
   */
  private chunkQuery(settings: MySqlTableSettings, mapped: MappedColumn[], primaryKey: string[], filter: { conditions: string[]; params: unknown[] }): (last: readonly unknown[] | undefined) => { sql: string; params: unknown[] } {
    const q = (name: string) => mysql.escapeId(name);
    const select = `select ${mapped.map((m) => q(m.column.name)).join(', ')} from ${q(this.settings.database)}.${q(settings.table)}`;
    const keyList = primaryKey.map(q).join(', ');
    const after = primaryKey.length === 1 ? `${keyList} > ?` : `(${keyList}) > (${primaryKey.map(() => '?').join(', ')})`;
    return (last) => {
      const conditions = last ? [...filter.conditions, after] : filter.conditions;
      const where = conditions.length ? ` where ${conditions.join(' and ')}` : '';
      const params = last ? [...filter.params, ...last] : filter.params;
      return { sql: primaryKey.length ? `${select}${where} order by ${keyList} limit ${settings.chunkSize}` : `${select}${where}`, params };
    };
  }

  /**
   * Primary-key chunks as column batches where every column allows it (mysql-vector-rows.ts),
   * else as text batches; the next chunk's query runs while the lake writer encodes the current
   * one (DuckDB works off the main thread), so reading and writing overlap.
   */
  private async *batches(settings: MySqlTableSettings, mapped: MappedColumn[], primaryKey: string[], cursor: MappedColumn | undefined, from: string | undefined, strictCursor: boolean, signal: AbortSignal): AsyncIterable<TextBatch | ColumnBatch> {
    const query = this.chunkQuery(settings, mapped, primaryKey, this.conditions(settings, cursor, from, strictCursor));
    const connection = await this.pool.getConnection();
    const core = (connection as unknown as { connection: mysql.Connection }).connection;
    const kinds = this.settings.vectorPath ? vectorKinds(mapped) : undefined;
    // Memory of batches the lake writer is done with (it asks for the next batch only then): AHEAD + 2 take turns.
    const spare: (TextBatch | ColumnBatch)[] = [];
    const collector = (): MySqlTextRows | MySqlVectorRows => {
      const reuse = spare.pop();
      const options = { cursor: cursor?.column.name, primaryKey };
      if (kinds) return new MySqlVectorRows(mapped, kinds, { ...options, ...(reuse && isColumnBatch(reuse) ? { reuse } : {}) });
      const buffer = reuse && !isColumnBatch(reuse) ? Buffer.from(reuse.text.buffer, reuse.text.byteOffset, reuse.text.buffer.byteLength - reuse.text.byteOffset) : undefined;
      return new MySqlTextRows(mapped, { ...options, datetimeZone: this.settings.datetimeZone, buffer });
    };
    const chunk = (last: (string | null)[] | undefined): Promise<MySqlTextRows | MySqlVectorRows> => {
      const { sql, params } = query(last);
      return queryRowPackets(core, sql, params, collector());
    };
    // The next chunk's query starts as soon as the one before it has arrived, while the lake writer
    // still encodes an earlier one: up to AHEAD arrived chunks wait for the writer, so the server, the
    // parse and DuckDB's Parquet writer keep working at once, and memory stays bounded.
    type Rows = MySqlTextRows | MySqlVectorRows;
    const arrived: Rows[] = [];
    let inFlight: Promise<void> | undefined;
    let more = true;
    let failure: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    const launch = (last: (string | null)[] | undefined) => {
      inFlight = chunk(last).then(
        (rows) => {
          inFlight = undefined;
          arrived.push(rows);
          more = rows.rows === settings.chunkSize;
          if (more && arrived.length <= AHEAD && !signal.aborted) launch(rows.lastKey);
          wake?.();
        },
        (error: unknown) => {
          inFlight = undefined;
          failure = { error };
          wake?.();
        },
      );
    };
    launch(undefined);
    try {
      for (;;) {
        while (!arrived.length && !failure && inFlight) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        if (failure) throw failure.error;
        if (signal.aborted) throw signal.reason ?? new Error('interrupted');
        const rows = arrived.shift();
        if (!rows) return;
        const newest = arrived.at(-1) ?? rows;
        if (!inFlight && more) launch(newest.lastKey);
        const batch = rows.take();
        yield batch;
        spare.push(batch);
      }
    } finally {
      await inFlight;
      connection.release();
    }
  }

  /**
   * Streams the rows: by primary-key chunks (`where (pk) > (last) order by pk limit n`, so each
   * query is an index range and memory stays flat), or one streamed query without a key.
   */
  private async *rows(settings: MySqlTableSettings, mapped: MappedColumn[], primaryKey: string[], cursor: MappedColumn | undefined, from: string | undefined, strictCursor: boolean, signal: AbortSignal): AsyncIterable<Record<string, unknown>> {
    const query = this.chunkQuery(settings, mapped, primaryKey, this.conditions(settings, cursor, from, strictCursor));
    const fixes = mapped.filter((m) => m.fix).map((m) => [m.column.name, m.fix!] as const);
    const zone = this.settings.datetimeZone;
    const connection = await this.pool.getConnection();
    try {
      if (!primaryKey.length) {
        const { sql, params } = query(undefined);
        for await (const row of stream(connection, sql, params)) {
          if (signal.aborted) throw signal.reason ?? new Error('interrupted');
          yield fixRow(row, fixes, zone);
        }
        return;
      }
      let last: unknown[] | undefined;
      for (;;) {
        const { sql, params } = query(last);
        let count = 0;
        let lastRow: Record<string, unknown> | undefined;
        for await (const row of stream(connection, sql, params)) {
          if (signal.aborted) throw signal.reason ?? new Error('interrupted');
          count++;
          lastRow = row;
          yield fixRow(row, fixes, zone);
        }
        if (count < settings.chunkSize || !lastRow) return;
        last = primaryKey.map((k) => lastRow![k]);
      }
    } finally {
      connection.release();
    }
  }
}

/** Arrived chunks that may wait for the lake writer while the next one is read (each is one batch of memory). */
const AHEAD = 1;

async function* noRows(): AsyncIterable<Record<string, unknown>> {}

/** A query's rows as they arrive (mysql2 pauses the socket when the consumer is slow). */
function stream(connection: PoolConnection, sql: string, params: unknown[]): AsyncIterable<Record<string, unknown>> {
  const core = (connection as unknown as { connection: mysql.Connection }).connection;
  return core.query(sql, params).stream({ highWaterMark: 2048 }) as unknown as AsyncIterable<Record<string, unknown>>;
}

function fixRow(row: Record<string, unknown>, fixes: readonly (readonly [string, NonNullable<MappedColumn['fix']>])[], zone: string | undefined): Record<string, unknown> {
  for (const [name, fix] of fixes) row[name] = fixValue(row[name], fix, zone);
  return row;
}

function hint(name: string, candidates: string[]): string {
  const guess = didYouMean(name, candidates);
  return guess ? ` (${guess})` : '';
}
