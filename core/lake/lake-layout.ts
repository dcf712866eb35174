/**
 * The landing-zone layout: the one contract that extract-load sources, the raw-data generator
 * and the warehouse's external sources all share. Pure functions, no I/O.
 *
 *   raw/<source>/<table>/load_date=YYYY-MM-DD/<batch_id>-<part 5 digits>.<ext>   data parts
 *   raw/<source>/<table>/_committed/<batch_id>.json                               commit markers
 *
 * A batch is visible to readers once its commit marker exists, and only then.
 */

/** File formats a part can have; `csv.gz` is gzipped CSV. */
export type LakeFormat = 'jsonl' | 'csv' | 'csv.gz' | 'parquet';

/** Formats a reader asks for: `csv` reads `.csv` and `.csv.gz` parts alike. */
export type LakeReadFormat = 'jsonl' | 'csv' | 'parquet';

export const LAKE_FORMATS: readonly LakeFormat[] = ['jsonl', 'csv', 'csv.gz', 'parquet'];
export const LAKE_READ_FORMATS: readonly LakeReadFormat[] = ['jsonl', 'csv', 'parquet'];

/** Load metadata columns every landed row carries. */
export const LOADED_AT_COLUMN = '_loaded_at';
export const BATCH_ID_COLUMN = '_batch_id';
export const SOURCE_COLUMN = '_source';
/** File sources only: the path of the file the row came from. */
export const SOURCE_FILE_COLUMN = '_source_file';
export const METADATA_COLUMNS = [LOADED_AT_COLUMN, BATCH_ID_COLUMN, SOURCE_COLUMN, SOURCE_FILE_COLUMN] as const;

/** Folder of all raw landed data under the lake root. */
export const RAW_PREFIX = 'raw';
/** Folder of a table's commit markers. */
export const COMMITTED_FOLDER = '_committed';

/** Source and table names: lower snake case, starting with a letter, at most 63 characters. */
const NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** `20261125T083000Z-1a2b3c4d`: UTC second, then 8 random hex digits; sorts by time. */
const BATCH_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

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

/** Whether `id` is a well-formed batch id. */
export function isBatchId(id: string): boolean {
  return BATCH_ID.test(id);
}

/** A new sortable batch id for a load started at `at`: `YYYYMMDDTHHMMSSZ-<8 hex>`. */
export function newBatchId(at: Date, random: () => number = Math.random): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const hex = Array.from({ length: 8 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${stamp}-${hex}`;
}

/** The UTC date a load belongs to, `YYYY-MM-DD`. */
export function loadDate(loadedAt: Date): string {
  return loadedAt.toISOString().slice(0, 10);
}

/** `raw/<source>/<table>`: the folder of one landed table. */
export function tableKey(source: string, table: string): string {
  checkLakeName(source, 'source');
  checkLakeName(table, 'table');
  return `${RAW_PREFIX}/${source}/${table}`;
}

/** The key of one data part of a batch. */
export function partKey(source: string, table: string, loadedAt: Date, batchId: string, part: number, format: LakeFormat): string {
  if (!isBatchId(batchId)) throw new Error(`batch id '${batchId}' must look like 20261125T083000Z-1a2b3c4d`);
  if (!Number.isInteger(part) || part < 0 || part > 99999) throw new Error(`part number ${part} must be between 0 and 99999`);
  return `${tableKey(source, table)}/load_date=${loadDate(loadedAt)}/${batchId}-${String(part).padStart(5, '0')}.${format}`;
}

/** The key of a batch's commit marker. */
export function commitMarkerKey(source: string, table: string, batchId: string): string {
  return `${tableKey(source, table)}/${COMMITTED_FOLDER}/${batchId}.json`;
}

/** Globs a reader uses for a table folder (an absolute path or URL, `/`-separated): data parts and commit markers. */
export function tableGlobs(tableFolder: string, format: LakeReadFormat): { files: string; commits: string } {
  const base = tableFolder.replace(/\/+$/, '');
  // `*.csv*` also matches `.csv.gz` parts, which the CSV reader decompresses by itself.
  const ext = format === 'csv' ? 'csv*' : format;
  return { files: `${base}/load_date=*/*.${ext}`, commits: `${base}/${COMMITTED_FOLDER}/*.json` };
}

/** What a commit marker records about one part. */
export interface CommittedPart {
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** A commit marker, `_committed/<batch_id>.json`: a batch's parts and totals. */
export interface CommittedBatch {
  lake_layout_version: 1;
  source: string;
  table: string;
  batch_id: string;
  /** UTC ISO timestamp, the `_loaded_at` of every row. */
  loaded_at: string;
  load_date: string;
  format: LakeFormat;
  /** The `_source` of every row: the kind of system it came from (mysql, mongodb, sftp, rest...). */
  system: string;
  rows: number;
  bytes: number;
  parts: CommittedPart[];
  /** sha256 over the parts' sha256 values in order. */
  sha256: string;
}
