import { checkLoaderKeys, loaderError } from '../../../core/extract/check-loader-keys.js';
import type { SourceLoaderConfig, SourceTableConfig } from '../../../core/extract/source-adapter.js';

/** A MySQL source's connection settings (`loader:` of the source, or the profile's `sources.<name>`). */
export interface MySqlSourceSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: boolean | Record<string, unknown>;
  /** Seconds to wait for the server to answer a connect. */
  connectTimeout: number;
  /** The zone DATETIME values are wall time in (`UTC`, `Europe/Berlin`); absent: they stay zone-less TIMESTAMP. */
  datetimeZone?: string;
  /** Rows per primary-key chunk (one query each). */
  chunkSize: number;
  /** Whether chunks go to the lake as text straight from the wire (default); `text_path: false` parses rows in JS. */
  textPath: boolean;
  /**
   * Whether chunks whose columns allow it are parsed straight into DuckDB vectors (default;
   * mysql-vector-rows.ts) instead of text; `vector_path: false` keeps them on the text path.
   */
  vectorPath: boolean;
}

/** One table's settings (`loader:` of the table). */
export interface MySqlTableSettings {
  /** The table in MySQL (default: the source table's name). */
  table: string;
  /** Columns to read (default: all). */
  columns?: string[];
  /** Extra SQL condition every query adds. */
  where?: string;
  /** Re-read this far behind the last cursor value (seconds for temporal cursors, units for numeric ones). */
  lookback: number;
  /** The first run starts at this cursor value (default: everything). */
  initialValue?: string;
  chunkSize: number;
}

export const MYSQL_SOURCE_KEYS = ['host', 'port', 'user', 'username', 'password', 'database', 'ssl', 'connect_timeout', 'datetime_time_zone', 'chunk_size', 'text_path', 'vector_path'] as const;
export const MYSQL_TABLE_KEYS = ['table', 'columns', 'where', 'lookback', 'initial_value', 'chunk_size'] as const;

const UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

/** `7200`, `'2 hours'`, `'30 minutes'`, `'1 day'` as seconds (or as plain units for a numeric cursor). */
export function parseLookback(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$/i.exec(value);
  if (!match) return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  const unit = UNITS[match[2].toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

function positiveInt(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Checks and reads a MySQL source's loader settings; each mistake names the YAML line. */
export function readMySqlSettings(source: SourceLoaderConfig): MySqlSourceSettings {
  checkLoaderKeys(source, MYSQL_SOURCE_KEYS, MYSQL_TABLE_KEYS);
  const s = source.settings;
  const fail = (key: string, message: string, hint?: string) => loaderError(source, undefined, key, `source '${source.name}': ${message}`, hint);
  const text = (key: string): string | undefined => {
    const v = s[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') throw fail(key, `'${key}' must be text`);
    return String(v);
  };
  const database = text('database');
  if (!database) throw fail('database', `a mysql loader needs a 'database'`, 'database: shop');
  const port = s.port === undefined ? 3306 : Number(s.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw fail('port', `'port' must be a port number, got ${JSON.stringify(s.port)}`);
  const connectTimeout = s.connect_timeout === undefined ? 10 : Number(s.connect_timeout);
  if (!(connectTimeout > 0)) throw fail('connect_timeout', `'connect_timeout' must be a number of seconds`);
  const chunkSize = positiveInt(s.chunk_size, 100_000);
  if (chunkSize === undefined) throw fail('chunk_size', `'chunk_size' must be a whole number of rows above 0`);
  if (s.text_path !== undefined && typeof s.text_path !== 'boolean') throw fail('text_path', `'text_path' must be true or false`);
  if (s.vector_path !== undefined && typeof s.vector_path !== 'boolean') throw fail('vector_path', `'vector_path' must be true or false`);
  if (s.ssl !== undefined && typeof s.ssl !== 'boolean' && (typeof s.ssl !== 'object' || s.ssl === null)) throw fail('ssl', `'ssl' must be true, false or a mapping of TLS options`);
  return {
    host: text('host') ?? '127.0.0.1',
    port,
    user: text('user') ?? text('username') ?? 'root',
    password: text('password'),
    database,
    ...(s.ssl !== undefined && s.ssl !== false ? { ssl: s.ssl === true ? {} : (s.ssl as Record<string, unknown>) } : {}),
    connectTimeout,
    ...(text('datetime_time_zone') ? { datetimeZone: text('datetime_time_zone') } : {}),
    chunkSize,
    textPath: s.text_path !== false,
    vectorPath: s.vector_path !== false,
  };
}

/** Reads one table's loader settings. */
export function readMySqlTableSettings(source: SourceLoaderConfig, table: SourceTableConfig, defaults: MySqlSourceSettings): MySqlTableSettings {
  const s = table.settings;
  const fail = (key: string, message: string, hint?: string) => loaderError(source, table, key, `table '${source.name}.${table.name}': ${message}`, hint);
  if (s.table !== undefined && (typeof s.table !== 'string' || !s.table)) throw fail('table', `'table' must be the table's name in MySQL`);
  if (s.columns !== undefined && (!Array.isArray(s.columns) || !s.columns.length || s.columns.some((c) => typeof c !== 'string'))) throw fail('columns', `'columns' must be a list of column names`, 'columns: [order_id, amount]');
  if (s.where !== undefined && typeof s.where !== 'string') throw fail('where', `'where' must be an SQL condition`);
  const lookback = parseLookback(s.lookback);
  if (lookback === undefined) throw fail('lookback', `'lookback' must be a number of seconds or a duration like '2 hours'`, `got ${JSON.stringify(s.lookback)}`);
  const chunkSize = positiveInt(s.chunk_size, defaults.chunkSize);
  if (chunkSize === undefined) throw fail('chunk_size', `'chunk_size' must be a whole number of rows above 0`);
  // A lookback re-reads rows: merge folds them by key, append would land them twice.
  if (lookback && table.load?.disposition === 'append') throw fail('lookback', `'lookback' re-reads rows, which an append table would land twice`, "use disposition: merge with a primary_key, or drop the lookback");
  return {
    table: (s.table as string | undefined) ?? table.name,
    ...(s.columns ? { columns: s.columns as string[] } : {}),
    ...(s.where ? { where: s.where as string } : {}),
    lookback,
    ...(s.initial_value !== undefined && s.initial_value !== null ? { initialValue: String(s.initial_value) } : {}),
    chunkSize,
  };
}
