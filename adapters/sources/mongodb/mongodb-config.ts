/**
 * A MongoDB source's `loader:` settings, checked and typed. Pure: nothing here connects.
 *
 *   loader: {type: mongodb, url: '{{env "SHOP_MONGO_URL"}}', database: shop}
 *   tables:
 *     - name: products
 *       loader: {cursor_field: updatedAt, primary_key: _id, lookback: 10 minutes}
 *     - name: products__variants
 *       loader: {collection: products, unnest: variants, cursor_field: updatedAt, primary_key: _strata_id}
 */

import { UserError } from '../../../core/errors/user-error.js';
import { checkLoaderKeys, loaderError } from '../../../core/extract/check-loader-keys.js';
import type { SourceLoaderConfig, SourceTableConfig } from '../../../core/extract/source-adapter.js';
import { LAKE_FORMATS, WRITE_DISPOSITIONS, type LakeFormat, type WriteDisposition } from '../../../core/lake/lake-layout.js';
import { CHILD_ID_COLUMN, isUnnestPath } from './child-tables.js';

/** How to reach the server; never logged (the URL may hold a password). */
export interface MongoConnectionSettings {
  url: string;
  /** The database the collections are in: `database:`, else the URL's path. */
  database: string;
  username?: string;
  password?: string;
  authSource?: string;
  serverSelectionTimeoutMs: number;
}

/** How one table is extracted from its collection. */
export interface MongoTableSettings {
  name: string;
  collection: string;
  /** A top-level or dotted field whose largest value extracted so far is the state (`updatedAt`, `_id`). */
  cursorField?: string;
  disposition: WriteDisposition;
  primaryKey: string[];
  format: LakeFormat;
  /** The array (dotted for nested arrays) whose elements are this table's rows, instead of whole documents. */
  unnest?: string;
  /** How far below the state a merge run reads again: seconds for date and ObjectId cursors, units for numbers. */
  lookback: number;
  batchSize: number;
}

export interface MongoSourceSettings {
  connection: MongoConnectionSettings;
  tables: Map<string, MongoTableSettings>;
}

const SOURCE_KEYS = ['url', 'database', 'username', 'password', 'auth_source', 'server_selection_timeout_ms', 'batch_size', 'lookback'];
const TABLE_KEYS = ['collection', 'unnest', 'batch_size', 'lookback'];
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_BATCH_SIZE = 1000;

/** The checked settings of a source; throws a UserError naming the file, line and key. */
export function readMongoSource(source: SourceLoaderConfig): MongoSourceSettings {
  checkLoaderKeys(source, SOURCE_KEYS, TABLE_KEYS);
  const s = source.settings;
  const fail = (key: string | undefined, message: string, hint?: string) => loaderError(source, undefined, key, `source '${source.name}': ${message}`, hint);
  const url = s.url;
  if (typeof url !== 'string' || !/^mongodb(\+srv)?:\/\//.test(url)) {
    throw fail('url', `'loader.url' must be a MongoDB connection string (mongodb://host:port/database)`, `take it from the environment: url: '{{env "${source.name.toUpperCase()}_URL"}}'`);
  }
  const text = (key: string): string | undefined => {
    const value = s[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !value) throw fail(key, `'loader.${key}' must be text`);
    return value;
  };
  const database = text('database') ?? databaseOfUrl(url);
  if (!database) throw fail('database', `names no database: give 'loader.database', or put it in the URL's path`, 'database: shop');
  const connection: MongoConnectionSettings = {
    url,
    database,
    username: text('username'),
    password: text('password'),
    authSource: text('auth_source'),
    serverSelectionTimeoutMs: positiveInteger(s.server_selection_timeout_ms, DEFAULT_TIMEOUT_MS, () => fail('server_selection_timeout_ms', `'loader.server_selection_timeout_ms' must be a whole number >= 1`)),
  };
  if (connection.password !== undefined && connection.username === undefined) throw fail('password', `has a 'loader.password' but no 'loader.username'`);
  const tables = new Map<string, MongoTableSettings>();
  for (const table of source.tables) tables.set(table.name, readTable(source, table));
  return { connection, tables };
}

function readTable(source: SourceLoaderConfig, table: SourceTableConfig): MongoTableSettings {
  const fail = (key: string | undefined, message: string, hint?: string) => loaderError(source, table, key, `table '${source.name}.${table.name}': ${message}`, hint);
  // The source's table keys are defaults for each of its tables.
  const s: Record<string, unknown> = {};
  for (const key of ['disposition', 'primary_key', 'cursor_field', 'format', 'batch_size', 'lookback']) if (key in source.settings) s[key] = source.settings[key];
  Object.assign(s, table.settings);
  const unnest = s.unnest;
  if (unnest !== undefined && (typeof unnest !== 'string' || !isUnnestPath(unnest))) {
    throw fail('unnest', `'loader.unnest' must be the path of an array field (dotted for a nested array)`, 'unnest: variants.options');
  }
  const collection = s.collection ?? (unnest && table.name.includes('__') ? table.name.split('__')[0] : table.name);
  if (typeof collection !== 'string' || !collection) throw fail('collection', `'loader.collection' must be a collection name`);
  // The runner's reading of the shared keys wins, so that the lake reader and the loads agree.
  const shared = table.load ?? readSharedKeys(s, fail);
  const lookback = parseLookback(s.lookback);
  if (lookback === undefined) throw fail('lookback', `'loader.lookback' must be a number of seconds or a duration like '10 minutes'`, `got ${JSON.stringify(s.lookback)}`);
  if (lookback > 0 && shared.disposition === 'append') {
    throw fail('lookback', `'loader.lookback' reads documents again, which an append table would land twice`, 'use disposition: merge with a primary_key, or drop the lookback');
  }
  return {
    name: table.name,
    collection,
    ...(shared.cursorField ? { cursorField: shared.cursorField } : {}),
    disposition: shared.disposition,
    primaryKey: shared.primaryKey.length ? shared.primaryKey : [unnest ? CHILD_ID_COLUMN : '_id'],
    format: table.load ? shared.format : ((s.format as LakeFormat | undefined) ?? 'jsonl'),
    ...(unnest ? { unnest: unnest as string } : {}),
    lookback,
    batchSize: positiveInteger(s.batch_size, DEFAULT_BATCH_SIZE, () => fail('batch_size', `'loader.batch_size' must be a whole number >= 1`)),
  };
}

/** disposition, primary_key, cursor_field and format when no runner read them (the adapter used on its own). */
function readSharedKeys(s: Record<string, unknown>, fail: (key: string, message: string, hint?: string) => UserError): { disposition: WriteDisposition; primaryKey: string[]; cursorField?: string; format: LakeFormat } {
  const cursorField = s.cursor_field;
  if (cursorField !== undefined && (typeof cursorField !== 'string' || !cursorField)) throw fail('cursor_field', `'loader.cursor_field' must be a field name`, 'cursor_field: updatedAt');
  const given = typeof s.primary_key === 'string' ? [s.primary_key] : s.primary_key;
  if (given !== undefined && (!Array.isArray(given) || !given.length || given.some((k) => typeof k !== 'string' || !k))) {
    throw fail('primary_key', `'loader.primary_key' must be a field name or a list of them`, 'primary_key: _id');
  }
  const primaryKey = (given as string[] | undefined) ?? [];
  const disposition = s.disposition ?? (primaryKey.length ? 'merge' : cursorField ? 'append' : 'replace');
  if (!WRITE_DISPOSITIONS.includes(disposition as WriteDisposition)) throw fail('disposition', `'loader.disposition' must be one of ${WRITE_DISPOSITIONS.join(', ')}, got ${JSON.stringify(disposition)}`);
  const format = s.format ?? 'jsonl';
  if (!LAKE_FORMATS.includes(format as LakeFormat)) throw fail('format', `'loader.format' must be one of ${LAKE_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  return { disposition: disposition as WriteDisposition, primaryKey, ...(cursorField ? { cursorField: cursorField as string } : {}), format: format as LakeFormat };
}

const UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

/** `600`, `'10 minutes'`, `'2 hours'`, `'1 day'` as seconds (plain units for a numeric cursor); 0 when absent. */
export function parseLookback(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([a-z]+?)s?)?\s*$/i.exec(value);
  if (!match) return undefined;
  if (!match[2]) return Number(match[1]);
  const unit = UNITS[match[2].toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

function positiveInteger(value: unknown, fallback: number, fail: () => UserError): number {
  const n = value ?? fallback;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw fail();
  return n;
}

/** The database in a connection string's path (`mongodb://h:27017/shop?x=y` -> `shop`). */
export function databaseOfUrl(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** The hosts of a connection string, without user or password: for messages. */
export function hostsOfUrl(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(url);
  return match?.[1] || url.replace(/\/\/[^@/]*@/, '//');
}
