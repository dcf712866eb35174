import { UserError } from '../../core/errors/user-error.js';
import type { SourceLoaderConfig, SourceTableConfig } from '../../core/extract/source-adapter.js';
import { LAKE_FORMATS, WRITE_DISPOSITIONS, type LakeColumn, type LakeFormat, type WriteDisposition } from '../../core/lake/lake-layout.js';

/** Where a `loader:` block sits, for messages: the source, maybe its table, the YAML file and line. */
export interface SettingsPlace {
  source: string;
  table?: string;
  file: string;
  line?: number;
  /** The YAML reader's line finder (SourceLoaderConfig.locate). */
  locate?: SourceLoaderConfig['locate'];
}

/**
 * Reads one `loader:` block (or a block nested in it) with typed getters; every mistake is a
 * UserError naming the source, table, key and YAML file. Shared by the source adapters.
 */
export class SettingsReader {
  constructor(
    readonly place: SettingsPlace,
    readonly values: Record<string, unknown>,
    /** The dotted path of this block inside `loader:`, e.g. `auth.` */
    private readonly prefix = '',
  ) {}

  /** The reader for a table's block of a source. */
  static forTable(source: SourceLoaderConfig, table: SourceTableConfig): SettingsReader {
    // table.line is read only when a message needs it (finding it parses the YAML again).
    return new SettingsReader({ source: source.name, table: table.name, file: source.file, get line() { return table.line; }, locate: source.locate }, table.settings ?? {});
  }

  /** The reader for a source's own block. */
  static forSource(source: SourceLoaderConfig): SettingsReader {
    return new SettingsReader({ source: source.name, file: source.file, locate: source.locate }, source.settings ?? {});
  }

  /** A UserError about this block, or about `key` in it (its line when the YAML reader can say). */
  error(message: string, hint?: string, key?: string): UserError {
    const { source, table, file } = this.place;
    const where = table ? `table '${source}.${table}'` : `source '${source}'`;
    const topKey = this.prefix ? this.prefix.split('.')[0] : key;
    const line = this.place.locate?.(table, topKey) ?? this.place.line;
    return new UserError(`${where}: ${message}`, { file, line, hint });
  }

  /** Throws for a key that is not one of `allowed`, suggesting the nearest allowed key. */
  allowOnly(allowed: readonly string[]): void {
    for (const key of Object.keys(this.values)) {
      if (!allowed.includes(key)) {
        const near = nearest(key, allowed);
        throw this.error(`unknown loader key '${this.prefix}${key}'`, near ? `did you mean '${this.prefix}${near}'?` : `allowed keys: ${allowed.join(', ')}`, key);
      }
    }
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== null;
  }

  string(key: string): string | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') throw this.error(`loader key '${this.prefix}${key}' must be text`, undefined, key);
    return value;
  }

  requiredString(key: string, hint?: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') throw this.error(`loader key '${this.prefix}${key}' is required`, hint, key);
    return value;
  }

  number(key: string, options: { min?: number; integer?: boolean } = {}): number | undefined {
    const raw = this.values[key];
    if (raw === undefined || raw === null) return undefined;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    const ok = typeof value === 'number' && Number.isFinite(value) && (!options.integer || Number.isInteger(value)) && (options.min === undefined || value >= options.min);
    if (!ok) throw this.error(`loader key '${this.prefix}${key}' must be ${options.integer ? 'a whole number' : 'a number'}${options.min !== undefined ? ` >= ${options.min}` : ''}, got ${JSON.stringify(raw)}`, undefined, key);
    return value as number;
  }

  boolean(key: string): boolean | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw this.error(`loader key '${this.prefix}${key}' must be true or false, got ${JSON.stringify(value)}`, undefined, key);
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) {
      const near = nearest(value, choices);
      throw this.error(`loader key '${this.prefix}${key}' must be one of ${choices.join(', ')}, got '${value}'`, near ? `did you mean '${near}'?` : undefined, key);
    }
    return value as T;
  }

  /** A list of names, also written as one name: `primary_key: id` or `[a, b]`. */
  names(key: string): string[] | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((v) => typeof v === 'string' && v !== '')) throw this.error(`loader key '${this.prefix}${key}' must be a name or a list of names`, undefined, key);
    return list as string[];
  }

  /** A map of text values (`headers`, `params`); numbers and booleans become text. */
  textMap(key: string): Record<string, string> {
    const value = this.values[key];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw this.error(`loader key '${this.prefix}${key}' must be a mapping of names to values`, undefined, key);
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'object') throw this.error(`loader key '${this.prefix}${key}.${name}' must be a single value`);
      out[name] = String(v);
    }
    return out;
  }

  /** The reader of a nested block, or undefined when it is absent. */
  block(key: string): SettingsReader | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) throw this.error(`loader key '${this.prefix}${key}' must be a mapping`, undefined, key);
    return new SettingsReader(this.place, value, `${this.prefix}${key}.`);
  }
}

/** How a table lands, read from the keys every source shares. */
export interface TableLanding {
  disposition: WriteDisposition;
  primaryKey?: string[];
  cursorField?: string;
  format: LakeFormat;
  /** Declared column types (`column_types: {amount: DECIMAL(12,2)}`, as dbt seeds spell it). */
  schema?: LakeColumn[];
}

/** The table keys every source type shares (core/extract checks them too), at source or table level. */
export const COMMON_KEYS = ['disposition', 'primary_key', 'cursor_field', 'format'] as const;

/**
 * Reads `disposition`, `primary_key`, `cursor_field` and `format` (the table's over the source's, as
 * the project reader does) and the table's `column_types`. Without a disposition: `merge` with a
 * primary key, `append` with a cursor field, else the adapter's default.
 */
export function readTableLanding(source: SourceLoaderConfig, table: SourceTableConfig, defaultDisposition: WriteDisposition): TableLanding {
  const tableReader = SettingsReader.forTable(source, table);
  const sourceReader = SettingsReader.forSource(source);
  const pick = (key: string) => (tableReader.has(key) ? tableReader : sourceReader);
  const primaryKey = pick('primary_key').names('primary_key');
  const cursorField = pick('cursor_field').string('cursor_field');
  const disposition = pick('disposition').oneOf('disposition', WRITE_DISPOSITIONS) ?? (primaryKey?.length ? 'merge' : cursorField ? 'append' : defaultDisposition);
  if (disposition === 'merge' && !primaryKey?.length) throw tableReader.error(`disposition merge needs a primary_key`, 'primary_key: [id]', 'disposition');
  const format = pick('format').oneOf('format', LAKE_FORMATS) ?? 'parquet';
  const types = tableReader.textMap('column_types');
  const schema = Object.keys(types).length ? Object.entries(types).map(([name, type]) => ({ name, type: type.trim().toUpperCase() })) : undefined;
  return { disposition, primaryKey, cursorField, format, schema };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The allowed word closest to `word` by edit distance, if it is close. */
function nearest(word: string, words: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const w of words) {
    const d = editDistance(word, w);
    if (d < bestDistance) [best, bestDistance] = [w, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}
