/**
 * The extract-load source contract: what every source adapter (`adapters/sources/<type>/`)
 * implements. The extract runner (core/extract) reads each table's state from the lake, asks the
 * adapter for loads, and lands each through the one LakeWriter; an adapter never writes files.
 */

import type { CursorRange, LakeColumn, LakeFormat, WriteDisposition } from '../lake/lake-layout.js';
import type { TextBatch } from '../lake/lake-writer.js';
import type { ColumnBatch } from '../lake/column-batch.js';
import type { TableLoadSettings } from '../project/source-loader-block.js';

/** A source adapter: one per kind of system (mysql, mongodb, sftp, rest). */
export interface SourceAdapter {
  /** The `loader.type` it serves, e.g. `mysql`. */
  readonly type: string;
  /** Checks a source's loader block and each table's; throws a UserError naming the bad key. */
  validate(source: SourceLoaderConfig): void;
  /** Opens the connection(s) a source's tables need; secrets come resolved from the environment. */
  connect(source: SourceLoaderConfig): Promise<SourceConnection>;
}

/** An open source: extracts tables, then is closed. */
export interface SourceConnection {
  /**
   * The loads that bring one table up to date, in order. The runner commits each load (data and
   * state together) before it asks for the next, so a source with many files yields a load per file.
   */
  extract(request: ExtractRequest): AsyncIterable<ExtractLoad>;
  /** Closes connections; called once, also after a failure. */
  close(): Promise<void>;
}

/** A source's `loader:` block, with each table's block: YAML values, env templates already rendered. */
export interface SourceLoaderConfig {
  /** The source's name in YAML, also its lake folder: `shop_mysql`. */
  name: string;
  type: string;
  /** The source-level settings (connection, defaults for tables), without `type`. */
  settings: Record<string, unknown>;
  tables: SourceTableConfig[];
  /** The YAML file that declared it, for messages. */
  file: string;
  /** The 1-based line of the source's `loader:` block, or of a key in it or in a table's block. */
  locate?(table?: string, key?: string): number | undefined;
}

/** One table of a source: its name (the lake table folder) and its `loader:` settings. */
export interface SourceTableConfig {
  name: string;
  settings: Record<string, unknown>;
  /** 1-based line of the table's entry in the YAML file. */
  line?: number;
  /** The shared settings (disposition, primary_key, cursor_field, format), table's over source's, defaults applied. */
  load?: TableLoadSettings;
}

/** What the runner asks a source for one table. */
export interface ExtractRequest {
  table: SourceTableConfig;
  /** The state the newest committed load of the table left; undefined on a first or full-refresh run. */
  state: Record<string, unknown> | undefined;
  fullRefresh: boolean;
  /** Aborted when the user interrupts or --fail-fast stops the run. */
  signal: AbortSignal;
}

/** One load of a table: rows streamed from the source, and how to land and commit them. */
export interface ExtractLoad {
  rows: AsyncIterable<Record<string, unknown>>;
  /**
   * Optional fast path for sources that read the wire themselves (MySQL): parts as delimited text
   * or by column, in `schema` order, one part per batch. When set, the runner lands these and never reads `rows`.
   */
  batches?: AsyncIterable<TextBatch | ColumnBatch>;
  /** The columns with exact DuckDB types where the source knows them (DECIMAL(12,2), TIMESTAMPTZ...). */
  schema?: LakeColumn[];
  format: LakeFormat;
  disposition: WriteDisposition;
  primaryKey?: string[];
  /**
   * Child tables under merge: the newest load that holds a value of these columns holds all of that
   * group's rows, so rows a group no longer has disappear; a row whose primary key is null only marks
   * its group as emptied.
   */
  groupKey?: string[];
  cursorField?: string;
  /** The table's state once this load is committed, given the cursor range its rows covered. */
  state: (cursor: CursorRange | null) => Record<string, unknown>;
  /** File sources: the file the rows came from (`_strata_source_file`). */
  sourceFile?: string;
  /** The load is the whole of `sourceFile`: it replaces what earlier loads landed from that file (a changed file's new version). */
  wholeFile?: boolean;
}
