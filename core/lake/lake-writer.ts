import { createHash } from 'node:crypto';
import {
  LAKE_LAYOUT_VERSION,
  LOAD_ID_COLUMN,
  LOADED_AT_COLUMN,
  loadIdAfter,
  loadIdOfKey,
  manifestKey,
  MANIFEST_FILE,
  partKey,
  SOURCE_FILE_COLUMN,
  tableKey,
  type CursorRange,
  type LakeColumn,
  type LoadManifest,
  type LoadPart,
  type WriteDisposition,
} from './lake-layout.js';
import type { LakeStorage } from './lake-storage.js';
import type { PartEncoder } from './part-encoders.js';
import { isColumnBatch, type ColumnBatch } from './column-batch.js';
import { inferLakeType, lakeFileType, widenLakeType } from './lake-types.js';

/**
 * Rows of one part as delimited text: UTF-8, one row a line (`\n`), fields separated by a tab, a
 * field quoted with `"` (doubled inside) when it holds a tab, quote, CR or LF; an empty unquoted
 * field is null and `""` the empty string. BLOB values are base64; a TIMESTAMPTZ value without an
 * offset or zone is UTC. Columns in the schema's order.
 */
export interface TextBatch {
  /** Valid until the next batch is asked for: a source may reuse the memory for it. */
  text: Uint8Array;
  rows: number;
  /** The longest line in bytes (readers size their line buffer by it). */
  longestLine: number;
  /** Smallest and largest cursor values in the batch, as rows would carry them. */
  cursor?: { min: unknown; max: unknown };
}

/** One load to land: rows of one table from one extract run. */
export interface WriteLoadOptions {
  /** Lake source folder (lower snake case), e.g. `shop_mysql`. */
  source: string;
  /** Lake table folder (lower snake case), e.g. `orders`. */
  table: string;
  /** The rows; the writer sets the metadata columns on each row object (a frozen row is copied). */
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  /** Instead of rows: parts as text or by column, one per batch, in `schema` order (which must then be given). */
  batches?: AsyncIterable<TextBatch | ColumnBatch>;
  encoder: PartEncoder;
  /**
   * The data columns and their DuckDB types. Columns rows have beyond these are added, with an
   * inferred type; without a schema every column's type is inferred from the values.
   */
  schema?: LakeColumn[];
  /** The kind of system the rows come from (mysql, mongodb, sftp, rest, generator...). */
  system: string;
  disposition?: WriteDisposition;
  primaryKey?: string[];
  /**
   * Child tables under merge: the newest load that holds a value of these columns holds all of that
   * group's rows, so rows a group no longer has disappear; a row whose primary key is null only marks
   * its group as emptied.
   */
  groupKey?: string[];
  /** A column whose smallest and largest values are recorded as the load's cursor range. */
  cursorField?: string;
  /** The source's state after this load, given the cursor range the rows covered; stored in the manifest. */
  state?: (cursor: CursorRange | null) => Record<string, unknown>;
  /** File sources: the `_strata_source_file` of every row; a row's own value wins. */
  sourceFile?: string;
  /** The load holds the whole of `sourceFile`, so it replaces earlier loads of that file (recorded as the manifest's `source_file`). */
  wholeFile?: boolean;
  /** The `_strata_loaded_at` of every row; default now. */
  loadedAt?: Date;
  /** Default: a new id from `loadedAt`. */
  loadId?: string;
  /** Rows per part file; default 100,000. A part is held in memory until it is written. */
  maxRowsPerPart?: number;
  /** Called after each part is durable, with the rows landed so far (progress bars). */
  onProgress?: (rows: number, bytes: number) => void;
  /**
   * Called with the load's data columns before each part is written and before the commit; throws
   * to refuse the load (a type change earlier loads cannot take). The parts written are removed.
   */
  checkSchema?: (schema: LakeColumn[]) => void;
}

const DEFAULT_MAX_ROWS_PER_PART = 100_000;

/**
 * The one way data enters the lake. Parts are written whole under their final keys, then the
 * load's manifest; readers read only loads with a manifest, so a write that fails or is killed
 * before the manifest leaves nothing visible, and the state in the manifest moves with the data.
 */
export class LakeWriter {
  constructor(readonly storage: LakeStorage) {}

  /** Lands a load and commits it; returns its manifest. On failure, removes the parts it wrote. */
  async writeLoad(options: WriteLoadOptions): Promise<LoadManifest> {
    const { source, table, encoder } = options;
    tableKey(source, table);
    const loadedAt = options.loadedAt ?? new Date();
    const loadId = options.loadId ?? (await this.nextLoadId(source, table, loadedAt));
    const maxRows = options.maxRowsPerPart ?? DEFAULT_MAX_ROWS_PER_PART;
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new Error(`maxRowsPerPart must be a whole number >= 1, got ${maxRows}`);
    const loadedAtText = loadedAt.toISOString();
    const schema: LakeColumn[] = (options.schema ?? []).map((c) => ({ ...c }));
    const byName = new Map(schema.map((c) => [c.name, c]));
    const declared = new Set(byName.keys());
    const cursor = options.cursorField ? new CursorTracker(options.cursorField) : undefined;
    const fileColumn = options.sourceFile !== undefined;

    const parts: LoadPart[] = [];
    let pending: Record<string, unknown>[] = [];
    let rowsSoFar = 0;
    let bytesSoFar = 0;
    /**
     * The put of the part before, still running while the next part is encoded (batches only): at
     * most one at a time, awaited before the next put and before the commit, so the manifest never
     * names a part that is not whole in the lake.
     */
    let writing: Promise<void> | undefined;
    const putPart = (key: string, bytes: Uint8Array, rows: number, total: number): Promise<void> => {
      const put = this.storage.put(key, bytes).then(() => options.onProgress?.(rows, total));
      // Its error is thrown where it is awaited; until then it must not count as unhandled.
      put.catch(() => undefined);
      return put;
    };
    const flush = async () => {
      if (!pending.length) return;
      options.checkSchema?.(schema.map((c) => ({ name: c.name, type: lakeFileType(c.type) })));
      const key = partKey(source, table, loadId, parts.length, encoder.format);
      const bytes = await encoder.encode(pending, withMetadata(schema, fileColumn));
      // Recorded before the put, so that a failed put is cleaned up too.
      parts.push({ key, rows: pending.length, bytes: bytes.length, sha256: sha256(bytes) });
      rowsSoFar += pending.length;
      bytesSoFar += bytes.length;
      pending = [];
      await this.storage.put(key, bytes);
      options.onProgress?.(rowsSoFar, bytesSoFar);
    };

    try {
      if (options.batches) {
        if (!encoder.encodeText) throw new Error(`the ${encoder.format} encoder cannot write text batches`);
        if (!options.schema?.length) throw new Error('text batches need the schema of their columns');
        const textColumns = schema.map((c) => ({ name: c.name, type: lakeFileType(c.type) }));
        const constants = [
          { column: { name: LOAD_ID_COLUMN, type: 'VARCHAR' }, value: loadId },
          { column: { name: LOADED_AT_COLUMN, type: 'TIMESTAMPTZ' }, value: loadedAtText },
          ...(fileColumn ? [{ column: { name: SOURCE_FILE_COLUMN, type: 'VARCHAR' }, value: options.sourceFile! }] : []),
        ];
        options.checkSchema?.(textColumns);
        for await (const batch of options.batches) {
          if (!batch.rows) continue;
          const key = partKey(source, table, loadId, parts.length, encoder.format);
          let bytes: Uint8Array;
          if (!isColumnBatch(batch)) bytes = await encoder.encodeText(batch.text, textColumns, constants, batch.longestLine);
          else if (encoder.encodeColumns) bytes = await encoder.encodeColumns(batch, textColumns, constants);
          else throw new Error(`the ${encoder.format} encoder cannot write column batches`);
          parts.push({ key, rows: batch.rows, bytes: bytes.length, sha256: sha256(bytes) });
          rowsSoFar += batch.rows;
          bytesSoFar += bytes.length;
          if (batch.cursor) {
            cursor?.see(batch.cursor.min);
            cursor?.see(batch.cursor.max);
          }
          await writing;
          writing = putPart(key, bytes, rowsSoFar, bytesSoFar);
        }
        await writing;
      }
      for await (const row of options.batches ? [] : options.rows) {
        // for...in, not Object.entries: no array per row on the hot path (millions of rows).
        for (const name in row) {
          if (name === SOURCE_FILE_COLUMN || name === LOAD_ID_COLUMN || name === LOADED_AT_COLUMN) continue;
          if (declared.has(name)) continue;
          const value = row[name];
          const column = byName.get(name);
          if (!column) {
            const added = { name, type: inferLakeType(value) };
            schema.push(added);
            byName.set(name, added);
          } else {
            column.type = widenLakeType(column.type, inferLakeType(value));
          }
        }
        // The row object is the source's to give away: the metadata is set on it, not on a copy.
        const landed: Record<string, unknown> = Object.isExtensible(row) ? row : { ...row };
        landed[LOAD_ID_COLUMN] = loadId;
        landed[LOADED_AT_COLUMN] = loadedAtText;
        if (fileColumn && row[SOURCE_FILE_COLUMN] === undefined) landed[SOURCE_FILE_COLUMN] = options.sourceFile;
        cursor?.see(row[cursor.field]);
        pending.push(landed);
        if (pending.length >= maxRows) await flush();
      }
      await flush();
      options.checkSchema?.(schema.map((c) => ({ name: c.name, type: lakeFileType(c.type) })));
      const range = cursor?.range() ?? null;
      const manifest: LoadManifest = {
        lake_layout_version: LAKE_LAYOUT_VERSION,
        source,
        table,
        load_id: loadId,
        loaded_at: loadedAtText,
        system: options.system,
        format: encoder.format,
        disposition: options.disposition ?? 'append',
        primary_key: options.primaryKey ?? [],
        ...(options.groupKey?.length ? { group_key: options.groupKey } : {}),
        ...(options.wholeFile && options.sourceFile ? { source_file: options.sourceFile } : {}),
        ...(fileColumn ? { file_column: true } : {}),
        rows: rowsSoFar,
        bytes: bytesSoFar,
        schema: schema.map((c) => ({ name: c.name, type: lakeFileType(c.type) })),
        parts,
        cursor: range,
        state: options.state?.(range) ?? {},
        sha256: sha256(Buffer.from(parts.map((p) => p.sha256).join('\n'))),
      };
      // The commit: one whole-object write makes the load, and the state it carries, visible.
      await this.storage.put(manifestKey(source, table, loadId), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      return manifest;
    } catch (error) {
      // A part's put may still be running: it ends before the parts are removed.
      await writing?.catch(() => undefined);
      await Promise.allSettled(parts.map((p) => this.storage.delete(p.key)));
      throw error;
    }
  }

  /** A new id for a load of the table that sorts after every load it has (see loadIdAfter). */
  private async nextLoadId(source: string, table: string, at: Date): Promise<string> {
    let newest: string | undefined;
    for (const key of await this.storage.list(`${tableKey(source, table)}/`)) {
      const id = loadIdOfKey(key);
      if (id !== undefined && (newest === undefined || id > newest)) newest = id;
    }
    return loadIdAfter(newest, at);
  }

  /** The committed loads of a table, oldest first. */
  async committedLoads(source: string, table: string): Promise<LoadManifest[]> {
    const loads: LoadManifest[] = [];
    for (const key of await this.storage.list(`${tableKey(source, table)}/`)) {
      if (!key.endsWith(`/${MANIFEST_FILE}`)) continue;
      const bytes = await this.storage.get(key);
      if (bytes) loads.push(JSON.parse(Buffer.from(bytes).toString('utf8')) as LoadManifest);
    }
    return loads.sort((a, b) => a.load_id.localeCompare(b.load_id));
  }

  /** The state the newest committed load of a table left, or undefined before the first load. */
  async latestState(source: string, table: string): Promise<Record<string, unknown> | undefined> {
    const loads = await this.committedLoads(source, table);
    return loads.at(-1)?.state;
  }

  /** Part keys of a table that belong to no committed load: leftovers of failed or running writes. */
  async uncommittedParts(source: string, table: string): Promise<string[]> {
    const committed = new Set((await this.committedLoads(source, table)).map((l) => l.load_id));
    const keys = await this.storage.list(`${tableKey(source, table)}/`);
    return keys.filter((k) => {
      const id = loadIdOfKey(k);
      return id !== undefined && !committed.has(id) && !k.endsWith(`/${MANIFEST_FILE}`);
    });
  }
}

/** The columns a part file holds: the data columns, then the load metadata columns. */
function withMetadata(schema: LakeColumn[], fileColumn: boolean): LakeColumn[] {
  const columns = [...schema.map((c) => ({ name: c.name, type: lakeFileType(c.type) })), { name: LOAD_ID_COLUMN, type: 'VARCHAR' }, { name: LOADED_AT_COLUMN, type: 'TIMESTAMPTZ' }];
  if (fileColumn) columns.push({ name: SOURCE_FILE_COLUMN, type: 'VARCHAR' });
  return columns;
}

/** Smallest and largest value of the cursor column; numbers compare as numbers, dates as instants. */
class CursorTracker {
  private min: unknown = undefined;
  private max: unknown = undefined;

  constructor(readonly field: string) {}

  see(value: unknown): void {
    if (value === null || value === undefined) return;
    if (this.min === undefined || compare(value, this.min) < 0) this.min = value;
    if (this.max === undefined || compare(value, this.max) > 0) this.max = value;
  }

  range(): CursorRange {
    return { field: this.field, min: this.min === undefined ? null : cursorText(this.min), max: this.max === undefined ? null : cursorText(this.max) };
  }
}

function compare(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  const x = cursorText(a);
  const y = cursorText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function cursorText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
