/**
 * The landing-zone layout: the one contract that extract-load sources, the raw-data generator
 * and the warehouses' lake readers all share. Pure functions, no I/O.
 *
 *   raw/<source>/<table>/load_id=<load_id>/part-<N>.<ext>    data parts (N from 0, no padding)
 *   raw/<source>/<table>/load_id=<load_id>/_manifest.json    the load's manifest, written last
 *
 * A load is committed, and visible to readers, once its manifest exists, and only then. The
 * manifest also carries the source's extract state after the load (cursor, files seen), so data
 * and state are committed by one atomic write: a rerun neither loses nor duplicates rows.
 */

/** File formats of a part: Parquet for rows, NDJSON for documents; csv is for small exports. */
export type LakeFormat = 'parquet' | 'jsonl' | 'csv';

export const LAKE_FORMATS: readonly LakeFormat[] = ['parquet', 'jsonl', 'csv'];

/** What a rerun of a table's extract does to the rows already landed. */
export type WriteDisposition = 'append' | 'replace' | 'merge';

export const WRITE_DISPOSITIONS: readonly WriteDisposition[] = ['append', 'replace', 'merge'];

/** Load metadata columns every landed row carries. */
export const LOAD_ID_COLUMN = '_strata_load_id';
export const LOADED_AT_COLUMN = '_strata_loaded_at';
/** File sources only: the path of the file the row came from. */
export const SOURCE_FILE_COLUMN = '_strata_source_file';
export const METADATA_COLUMNS = [LOAD_ID_COLUMN, LOADED_AT_COLUMN, SOURCE_FILE_COLUMN] as const;

/** Folder of all raw landed data under the lake root. */
export const RAW_PREFIX = 'raw';
/** The file name of a load's manifest inside its `load_id=` folder. */
export const MANIFEST_FILE = '_manifest.json';
export const LAKE_LAYOUT_VERSION = 1;

/** Source and table names: lower snake case, starting with a letter, at most 63 characters. */
const NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** `20261125T083000Z-1a2b3c4d`: UTC second, then 8 random hex digits; sorts by time. */
const LOAD_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/** Whether `name` may be a source or table folder in the lake. */
export function isLakeName(name: string): boolean {
  return NAME.test(name);
}

/** Turns `OrderItems`, `order-items` or `Order Items` into `order_items`. */
export function toLakeName(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const named = /^[a-z]/.test(snake) ? snake : `t_${snake}`;
  return named.slice(0, 63);
}

/** Throws when a source or table name breaks the naming rule. */
export function checkLakeName(name: string, what: 'source' | 'table'): void {
  if (!isLakeName(name)) {
    throw new Error(`lake ${what} name '${name}' must be lower snake case (a-z, 0-9, _), start with a letter and have at most 63 characters; e.g. '${toLakeName(name) || 'orders'}'`);
  }
}

/** Whether `id` is a well-formed load id. */
export function isLoadId(id: string): boolean {
  return LOAD_ID.test(id);
}

/** A new sortable load id for a load started at `at`: `YYYYMMDDTHHMMSSZ-<8 hex>`. */
export function newLoadId(at: Date, random: () => number = Math.random): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const hex = Array.from({ length: 8 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${stamp}-${hex}`;
}

/**
 * A new load id for a load started at `at` that sorts after `newest` (the table's newest load so far):
 * ids made in the same second would otherwise sort by their random part, and readers and the extract
 * state take the load that sorts last as the newest. In the same second (or with the clock behind),
 * the random part of `newest` plus one.
 */
export function loadIdAfter(newest: string | undefined, at: Date, random: () => number = Math.random): string {
  const id = newLoadId(at, random);
  if (newest === undefined || id > newest) return id;
  const [stamp, hex] = newest.split('-');
  const next = parseInt(hex, 16) + 1;
  if (next <= 0xffffffff) return `${stamp}-${next.toString(16).padStart(8, '0')}`;
  const later = new Date(Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(9, 11), +stamp.slice(11, 13), +stamp.slice(13, 15) + 1));
  return `${newLoadId(later, () => 0).slice(0, 16)}-00000000`;
}

/** `raw/<source>/<table>`: the folder of one landed table. */
export function tableKey(source: string, table: string): string {
  checkLakeName(source, 'source');
  checkLakeName(table, 'table');
  return `${RAW_PREFIX}/${source}/${table}`;
}

/** `raw/<source>/<table>/load_id=<id>`: the folder of one load. */
export function loadKey(source: string, table: string, loadId: string): string {
  if (!isLoadId(loadId)) throw new Error(`load id '${loadId}' must look like 20261125T083000Z-1a2b3c4d`);
  return `${tableKey(source, table)}/load_id=${loadId}`;
}

/** The key of one data part of a load. */
export function partKey(source: string, table: string, loadId: string, part: number, format: LakeFormat): string {
  if (!Number.isInteger(part) || part < 0) throw new Error(`part number ${part} must be a whole number >= 0`);
  return `${loadKey(source, table, loadId)}/part-${part}.${format}`;
}

/** The key of a load's manifest. */
export function manifestKey(source: string, table: string, loadId: string): string {
  return `${loadKey(source, table, loadId)}/${MANIFEST_FILE}`;
}

/** The load id in a key under a table folder, if any. */
export function loadIdOfKey(key: string): string | undefined {
  const match = /\/load_id=([^/]+)\//.exec(key);
  return match && isLoadId(match[1]) ? match[1] : undefined;
}

/** Globs a reader uses for a table folder (an absolute path or URL, `/`-separated): data parts and manifests. */
export function tableGlobs(tableFolder: string, format: LakeFormat): { files: string; manifests: string } {
  const base = tableFolder.replace(/\/+$/, '');
  return { files: `${base}/load_id=*/part-*.${format}`, manifests: `${base}/load_id=*/${MANIFEST_FILE}` };
}

/** One column of a landed table: its name and DuckDB type (`BIGINT`, `DECIMAL(12,2)`, `TIMESTAMPTZ`, `JSON`...). */
export interface LakeColumn {
  name: string;
  type: string;
}

/** What a manifest records about one part. */
export interface LoadPart {
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** The range of a cursor column a load covered. */
export interface CursorRange {
  field: string;
  /** Smallest and largest cursor values landed (as text); null when the load had no rows. */
  min: string | null;
  max: string | null;
}

/** A load's manifest, `load_id=<id>/_manifest.json`: what it landed, and the state after it. */
export interface LoadManifest {
  lake_layout_version: typeof LAKE_LAYOUT_VERSION;
  source: string;
  table: string;
  load_id: string;
  /** UTC ISO timestamp, the `_strata_loaded_at` of every row. */
  loaded_at: string;
  /** The kind of system the rows came from: mysql, mongodb, sftp, rest, generator... */
  system: string;
  format: LakeFormat;
  disposition: WriteDisposition;
  /** Key columns, for `merge` (the newest load's row wins per key). */
  primary_key: string[];
  /** Child tables under merge: the newest load holding a group (e.g. `_strata_root_id`) holds all its rows; rows with a null primary key only mark an emptied group. */
  group_key?: string[];
  /**
   * The one file this load holds whole (file sources under append): a newer load of the same file
   * is its new version and replaces this load's rows.
   */
  source_file?: string;
  /** File sources: the part files also hold `_strata_source_file` (after the other metadata columns). */
  file_column?: boolean;
  rows: number;
  bytes: number;
  /** The data columns (without the metadata columns), in order. */
  schema: LakeColumn[];
  parts: LoadPart[];
  cursor: CursorRange | null;
  /** The source's extract state after this load (cursor value, files seen...): never a secret. */
  state: Record<string, unknown>;
  /** sha256 over the parts' sha256 values in order. */
  sha256: string;
}
