import path from 'node:path';
import type { AdapterOptions } from '../../core/adapter/adapter.js';
import { didYouMean } from '../../core/errors/did-you-mean.js';
import { UserError } from '../../core/errors/user-error.js';

/** A DuckDB target's settings from profiles.yml, checked and with the path resolved. */
export interface DuckDBTarget {
  /** Absolute path of the database file, or `:memory:`. */
  path: string;
  /** The path as users wrote it relative to the project root, for messages. */
  shownPath: string;
  inMemory: boolean;
  schema: string;
  /** The catalog name asked for in profiles.yml, if any; it must be the one DuckDB gives the file. */
  database?: string;
  threads: number;
  /** Extensions to LOAD on every connection (never INSTALLed: runs have no network). */
  extensions: string[];
  /** `SET key = value` on every connection. */
  settings: Record<string, string | number | boolean>;
  /** Other database files to attach when opening (dbt-duckdb's `attach:`), e.g. production's for deferred refs. */
  attach: DuckDBAttachment[];
}

/** One entry of `attach:`: a database file (path resolved from the project root) and the catalog name it gets. */
export interface DuckDBAttachment {
  path: string;
  alias: string;
  readOnly: boolean;
}

// lake_path, lake_s3 and sources are every target's: where the lake is, and per-source extract settings (strata extract).
const KNOWN_KEYS = ['type', 'schema', 'database', 'threads', 'path', 'extensions', 'settings', 'lake_path', 'lake_s3', 'sources', 'attach'];
const MEMORY = ':memory:';

/** Reads and checks the settings of a `type: duckdb` target. */
export function readDuckDBTarget(options: AdapterOptions): DuckDBTarget {
  const { target, targetName, projectRoot } = options;
  const fail = (message: string, hint?: string) => new UserError(`target '${targetName}': ${message}`, { hint });

  for (const key of Object.keys(target)) {
    if (!KNOWN_KEYS.includes(key)) {
      const suggestion = didYouMean(key, KNOWN_KEYS);
      throw fail(`unknown DuckDB setting '${key}'${suggestion ? `: ${suggestion}` : ''}`, `a duckdb target takes: ${KNOWN_KEYS.join(', ')}`);
    }
  }

  const rawPath = target.path ?? MEMORY;
  if (typeof rawPath !== 'string' || rawPath.trim() === '') throw fail(`'path' must be a file name, got ${JSON.stringify(rawPath)}`, 'e.g. path: target/shop.duckdb, or path: ":memory:"');
  const inMemory = rawPath === MEMORY;
  const absolute = inMemory ? MEMORY : path.resolve(projectRoot, rawPath);
  const relative = path.relative(projectRoot, absolute);
  const shownPath = inMemory ? MEMORY : relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;

  if (typeof target.schema !== 'string' && target.schema !== undefined) throw fail(`'schema' must be a name, got ${JSON.stringify(target.schema)}`);
  const schema = target.schema || 'main';

  if (target.database !== undefined && typeof target.database !== 'string') throw fail(`'database' must be a name, got ${JSON.stringify(target.database)}`);

  const extensions = target.extensions ?? [];
  if (!Array.isArray(extensions) || extensions.some((e) => typeof e !== 'string' || e.trim() === '')) {
    throw fail(`'extensions' must be a list of extension names`, 'e.g. extensions: [json, parquet]');
  }

  const settings = target.settings ?? {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw fail(`'settings' must be a mapping of DuckDB settings to values`, "e.g. settings: { memory_limit: '2GB' }");
  }
  for (const [key, value] of Object.entries(settings)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw fail(`'${key}' in 'settings' is not a DuckDB setting name`);
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw fail(`setting '${key}' must be a string, number or boolean, got ${JSON.stringify(value)}`);
  }

  const attach = readAttachments(target.attach, projectRoot, fail);

  return {
    path: absolute,
    shownPath,
    inMemory,
    schema,
    database: target.database,
    threads: Math.max(1, Math.floor(options.threads || Number(target.threads) || 1)),
    extensions: extensions as string[],
    settings: settings as Record<string, string | number | boolean>,
    attach,
  };
}

/** Checks `attach: [{path, alias, read_only}]`; the alias defaults to the file's catalog name, read_only to true. */
function readAttachments(raw: unknown, projectRoot: string, fail: (message: string, hint?: string) => UserError): DuckDBAttachment[] {
  if (raw === undefined) return [];
  const example = 'e.g. attach: [{path: ../prod/target/prod.duckdb, alias: prod}]';
  if (!Array.isArray(raw)) throw fail("'attach' must be a list of database files", example);
  return raw.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || typeof (entry as { path?: unknown }).path !== 'string' || (entry as { path: string }).path.trim() === '') {
      throw fail(`attach entry ${i + 1} needs a 'path'`, example);
    }
    const { path: file, alias, read_only: readOnly, ...rest } = entry as { path: string; alias?: unknown; read_only?: unknown };
    const unknown = Object.keys(rest)[0];
    if (unknown) throw fail(`attach entry ${i + 1}: unknown key '${unknown}'`, 'an attach entry takes path, alias and read_only');
    if (alias !== undefined && (typeof alias !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias))) throw fail(`attach entry ${i + 1}: 'alias' must be a name`, example);
    if (readOnly !== undefined && typeof readOnly !== 'boolean') throw fail(`attach entry ${i + 1}: 'read_only' must be true or false`);
    // URLs (s3://, md:) go to DuckDB as written; files are relative to the project.
    const resolved = /^[a-z][a-z0-9+]*:/i.test(file) && !path.isAbsolute(file) ? file : path.resolve(projectRoot, file);
    return { path: resolved, alias: (alias as string | undefined) ?? catalogNameFor(resolved), readOnly: readOnly !== false };
  });
}

/** The catalog name DuckDB gives a database file: its base name up to the first dot. */
export function catalogNameFor(file: string): string {
  return file === MEMORY ? 'memory' : path.basename(file).split('.')[0];
}
