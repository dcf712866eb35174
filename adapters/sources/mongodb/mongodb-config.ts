/**
 * A MongoDB source's `loader:` settings, checked and typed. Pure: nothing here connects.
 *
 *   loader: {type: mongodb, url: "{{ env_var('SHOP_MONGO_URL') }}", database: shop}
 *   tables:
 *     - name: products
 *       loader: {cursor_field: updatedAt, primary_key: _id, flatten: [variants, variants.options]}
 */

import { didYouMean } from '../../../core/errors/did-you-mean.js';
import { UserError } from '../../../core/errors/user-error.js';
import type { SourceLoaderConfig, SourceTableConfig } from '../../../core/extract/source-adapter.js';
import { LAKE_FORMATS, WRITE_DISPOSITIONS, type LakeFormat, type WriteDisposition } from '../../../core/lake/lake-layout.js';
import { childTable, type ChildTable } from './child-tables.js';

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
  /** Array paths flattened into child tables. */
  children: ChildTable[];
  batchSize: number;
  /** Set when this YAML table is a child table another table fills: it is extracted with its parent. */
  childOf?: string;
}

export interface MongoSourceSettings {
  connection: MongoConnectionSettings;
  tables: Map<string, MongoTableSettings>;
}

const CONNECTION_KEYS = ['url', 'database', 'username', 'password', 'auth_source', 'server_selection_timeout_ms'];
const TABLE_KEYS = ['collection', 'cursor_field', 'disposition', 'primary_key', 'format', 'flatten', 'batch_size'];
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_BATCH_SIZE = 1000;

/** The checked settings of a source; throws a UserError naming the file, line and key. */
export function readMongoSource(source: SourceLoaderConfig): MongoSourceSettings {
  const where = { file: source.file };
  const s = source.settings;
  checkKeys(s, [...CONNECTION_KEYS, ...TABLE_KEYS], `source '${source.name}'`, where);
  const url = s.url;
  if (typeof url !== 'string' || !/^mongodb(\+srv)?:\/\//.test(url)) {
    throw new UserError(`source '${source.name}': 'loader.url' must be a MongoDB connection string (mongodb://host:port/database)`, {
      ...where,
      hint: `take it from the environment: url: "{{ env_var('${source.name.toUpperCase()}_URL') }}"`,
    });
  }
  const database = optionalString(s, 'database', source.name, where) ?? databaseOfUrl(url);
  if (!database) throw new UserError(`source '${source.name}' names no database: give 'loader.database', or put it in the URL's path`, { ...where, hint: 'database: shop' });
  const connection: MongoConnectionSettings = {
    url,
    database,
    username: optionalString(s, 'username', source.name, where),
    password: optionalString(s, 'password', source.name, where),
    authSource: optionalString(s, 'auth_source', source.name, where),
    serverSelectionTimeoutMs: positiveInteger(s, 'server_selection_timeout_ms', DEFAULT_TIMEOUT_MS, `source '${source.name}'`, where),
  };
  if (connection.password !== undefined && connection.username === undefined) {
    throw new UserError(`source '${source.name}' has a 'loader.password' but no 'loader.username'`, where);
  }
  const tables = new Map<string, MongoTableSettings>();
  for (const table of source.tables) tables.set(table.name, readTable(source, table));
  for (const table of tables.values()) {
    for (const child of table.children) {
      const declared = tables.get(child.table);
      if (declared) declared.childOf = table.name;
    }
  }
  return { connection, tables };
}

function readTable(source: SourceLoaderConfig, table: SourceTableConfig): MongoTableSettings {
  const where = { file: source.file, line: table.line };
  const what = `table '${source.name}.${table.name}'`;
  checkKeys(table.settings, TABLE_KEYS, what, where);
  // The source's table keys are defaults for each of its tables.
  const s: Record<string, unknown> = {};
  for (const key of TABLE_KEYS) if (key in source.settings) s[key] = source.settings[key];
  Object.assign(s, table.settings);
  const collection = s.collection ?? table.name;
  if (typeof collection !== 'string' || !collection) throw new UserError(`${what}: 'loader.collection' must be a collection name`, where);
  const cursorField = s.cursor_field;
  if (cursorField !== undefined && (typeof cursorField !== 'string' || !cursorField)) throw new UserError(`${what}: 'loader.cursor_field' must be a field name`, { ...where, hint: 'cursor_field: updatedAt' });
  const givenKey = s.primary_key;
  const keys = typeof givenKey === 'string' ? [givenKey] : givenKey;
  if (keys !== undefined && (!Array.isArray(keys) || !keys.length || keys.some((k) => typeof k !== 'string' || !k))) {
    throw new UserError(`${what}: 'loader.primary_key' must be a field name or a list of them`, { ...where, hint: 'primary_key: _id' });
  }
  const disposition = s.disposition ?? (keys ? 'merge' : cursorField ? 'append' : 'replace');
  if (!WRITE_DISPOSITIONS.includes(disposition as WriteDisposition)) {
    throw new UserError(`${what}: 'loader.disposition' must be one of ${WRITE_DISPOSITIONS.join(', ')}, got ${JSON.stringify(disposition)}`, where);
  }
  const format = s.format ?? 'jsonl';
  if (!LAKE_FORMATS.includes(format as LakeFormat)) throw new UserError(`${what}: 'loader.format' must be one of ${LAKE_FORMATS.join(', ')}, got ${JSON.stringify(format)}`, where);
  const flatten = s.flatten ?? [];
  const paths = typeof flatten === 'string' ? [flatten] : flatten;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || !/^[^.$\s][^\s]*$/.test(p) || p.split('.').some((seg: string) => !seg))) {
    throw new UserError(`${what}: 'loader.flatten' must be a list of array fields (dotted for nested arrays)`, { ...where, hint: 'flatten: [variants, variants.options]' });
  }
  const children = (paths as string[]).map((p) => childTable(table.name, p));
  for (const child of children) {
    if (child.table.length > 63) throw new UserError(`${what}: child table '${child.table}' for 'flatten: ${child.path}' is longer than 63 characters`, { ...where, hint: 'give the table a shorter name' });
  }
  return {
    name: table.name,
    collection,
    ...(cursorField ? { cursorField: cursorField as string } : {}),
    disposition: disposition as WriteDisposition,
    primaryKey: (keys as string[] | undefined) ?? ['_id'],
    format: format as LakeFormat,
    children,
    batchSize: positiveInteger(s, 'batch_size', DEFAULT_BATCH_SIZE, what, where),
  };
}

function checkKeys(settings: Record<string, unknown>, allowed: string[], what: string, where: { file: string; line?: number }): void {
  for (const key of Object.keys(settings)) {
    if (!allowed.includes(key)) {
      const suggestion = didYouMean(key, allowed);
      throw new UserError(`${what}: unknown MongoDB loader setting '${key}'${suggestion ? `; ${suggestion}` : ''}`, { ...where, hint: `settings: ${allowed.join(', ')}` });
    }
  }
}

function optionalString(s: Record<string, unknown>, key: string, source: string, where: { file: string }): string | undefined {
  const value = s[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !value) throw new UserError(`source '${source}': 'loader.${key}' must be text`, where);
  return value;
}

function positiveInteger(s: Record<string, unknown>, key: string, fallback: number, what: string, where: { file: string; line?: number }): number {
  const value = s[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UserError(`${what}: 'loader.${key}' must be a whole number >= 1`, where);
  return value;
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
