/**
 * "Load from lake": how a warehouse makes a landed table queryable as the raw table the staging
 * models read. DuckDB puts a view over the lake files; Snowflake `COPY INTO` from a stage and
 * Redshift `COPY ... FORMAT AS PARQUET` copy each new load in. A capability, asked with a type guard.
 */

import type { LakeColumn, LakeFormat, WriteDisposition } from '../lake/lake-layout.js';
import type { RelationRef, SqlDialect } from './adapter.js';

/** One committed load to bring into the warehouse. */
export interface LakeLoadBatch {
  loadId: string;
  /** The load's folder relative to the lake root: `raw/<source>/<table>/load_id=<id>`. */
  folder: string;
  /** The load's data columns in file order (without the metadata columns). */
  schema: LakeColumn[];
  /** File sources: the part files also hold `_strata_source_file`, after the other metadata columns. */
  fileColumn?: boolean;
  /** The load landed no rows, so it has no part files to copy (it still counts: a replace empties the table). */
  empty?: boolean;
}

/** A landed table and the loads of it the warehouse has not seen yet. */
export interface LakeTableLoad {
  /** The raw table to create or fill: the source's database, schema and identifier. */
  relation: RelationRef;
  /** The lake root: an absolute folder or `s3://bucket/prefix`. */
  lakeRoot: string;
  /** The table's folder relative to the lake root: `raw/<source>/<table>`. */
  folder: string;
  format: LakeFormat;
  disposition: WriteDisposition;
  primaryKey: string[];
  /**
   * Child tables under merge: the newest load that holds a value of these columns holds all of that
   * group's rows, so rows a group no longer has disappear; a row whose primary key is null only marks
   * its group as emptied.
   */
  groupKey?: string[];
  cursorField?: string;
  /** Every data column of the table across its loads (new columns added, types widened). */
  schema: LakeColumn[];
  /** New committed loads, oldest first. */
  loads: LakeLoadBatch[];
  /** Append tables of whole files: loads the warehouse holds (or is given here) that a newer load of the same file replaces. */
  supersededLoads?: string[];
  /** Columns the warehouse table has now (empty: it does not exist yet), so new ones can be added. */
  existingColumns?: string[];
}

/** The metadata columns every landed row carries, as a warehouse table declares them. */
export const LAKE_METADATA_COLUMNS: LakeColumn[] = [
  { name: '_strata_load_id', type: 'VARCHAR' },
  { name: '_strata_loaded_at', type: 'TIMESTAMPTZ' },
];

const SOURCE_FILE_METADATA: LakeColumn = { name: '_strata_source_file', type: 'VARCHAR' };

/** The metadata columns of a load's part files, in file order. */
export function batchMetadataColumns(batch: LakeLoadBatch): LakeColumn[] {
  return batch.fileColumn ? [...LAKE_METADATA_COLUMNS, SOURCE_FILE_METADATA] : LAKE_METADATA_COLUMNS;
}

/** The metadata columns of the warehouse table: `_strata_source_file` too once a load of file rows comes. */
export function tableMetadataColumns(load: LakeTableLoad): LakeColumn[] {
  return load.loads.some((b) => b.fileColumn) || load.existingColumns?.includes(SOURCE_FILE_METADATA.name) ? [...LAKE_METADATA_COLUMNS, SOURCE_FILE_METADATA] : LAKE_METADATA_COLUMNS;
}

/** A dialect that can generate the statements that load landed lake files into the warehouse. */
export interface LakeLoader {
  /** Whether this dialect loads from the lake (for the type guard). */
  canLoadFromLake(): boolean;
  /** Whether the raw table reads the lake files in place (a view): every committed load is in it at once. */
  loadsInPlace?(): boolean;
  /** The statements, run in order in one transaction, that bring the table's new loads in. */
  loadFromLakeSql(load: LakeTableLoad): string[];
}

/** Whether a dialect can load from the lake. */
export function canLoadFromLake(sql: SqlDialect): sql is SqlDialect & LakeLoader {
  const candidate = sql as SqlDialect & Partial<LakeLoader>;
  return typeof candidate.canLoadFromLake === 'function' && candidate.canLoadFromLake() && typeof candidate.loadFromLakeSql === 'function';
}

/** The lake URL of a folder or file under the root (`/`-separated; root already absolute). */
export function lakeUrl(lakeRoot: string, key: string): string {
  return `${lakeRoot.replace(/\/+$/, '')}/${key}`;
}
