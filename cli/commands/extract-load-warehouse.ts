import { canLoadFromLake, type LakeTableLoad } from '../../core/adapter/lake-loading.js';
import { lakeNames, type ExtractTableResult } from '../../core/extract/run-extract.js';
import { combinedSchema } from '../../core/extract/schema-evolution.js';
import { LOAD_ID_COLUMN, tableKey, type LoadManifest } from '../../core/lake/lake-layout.js';
import type { LakeWriter } from '../../core/lake/lake-writer.js';
import { isRemoteLakeRoot } from '../../core/lake/lake-root.js';
import type { Adapter } from '../../core/adapter/adapter.js';
import type { SourceNode } from '../../core/manifest/nodes.js';
import type { Logger } from '../output/logger.js';

/** The warehouse side of a run: its adapter (connected on demand) and the source nodes naming the raw tables. */
export interface LoadTarget {
  adapter: Adapter;
  logger: Pick<Logger, 'info' | 'warn'>;
  connect(): Promise<void>;
  sources: Map<string, SourceNode>;
}

/**
 * After landing: makes each extracted table queryable in the warehouse as its raw table, through
 * the dialect's "load from lake" (a view over the lake files on DuckDB). A failure here is the
 * table's error; the data stays committed in the lake, and the next run loads it again.
 */
export async function loadIntoWarehouse(warehouse: LoadTarget, results: ExtractTableResult[], lakeRoot: string, writer: LakeWriter): Promise<void> {
  const { adapter, logger, sources } = warehouse;
  const sql = adapter.sql;
  if (!canLoadFromLake(sql)) {
    logger.info(`The ${adapter.type} target cannot load from the lake yet: the tables are in the lake only.`, 'lake_load_unsupported');
    return;
  }
  // A view over the lake needs redoing only when loads came; a copying warehouse may owe older loads.
  const landed = results.filter((r) => r.status === 'success' && (r.loads.length || !sql.loadsInPlace?.()));
  if (!landed.length) return;
  if (adapter.type === 'duckdb' && isRemoteLakeRoot(lakeRoot)) {
    // DuckDB reads s3:// only through its httpfs extension, which it downloads on first use.
    logger.warn(`DuckDB reads ${lakeRoot} only with its httpfs extension (downloaded on first use, not bundled): no raw views were created for the extracted tables.`, 'lake_load_skipped');
    return;
  }
  await warehouse.connect();
  for (const result of landed) {
    const node = sources.get(result.task.uniqueId);
    if (!node) continue;
    const names = lakeNames(result.task);
    const relation = { database: node.database, schema: node.schema, identifier: node.identifier };
    let loads = result.loads;
    let existingColumns: string[] = [];
    let supersededLoads: string[] = [];
    try {
      if (!sql.loadsInPlace?.()) {
        // Copying warehouses take every committed load newer than the newest they hold, so a load
        // whose copy failed on an earlier run is copied now: each load goes in exactly once.
        existingColumns = (await adapter.getColumns(relation)).map((c) => c.name);
        let committed: LoadManifest[] | undefined;
        if (existingColumns.includes(LOAD_ID_COLUMN)) {
          const newest = (await adapter.execute(`select max(${sql.quote(LOAD_ID_COLUMN)}) from ${sql.relation(relation)}`)).rows[0]?.[0];
          committed = await writer.committedLoads(names.source, names.table);
          loads = committed.filter((l) => typeof newest !== 'string' || l.load_id > newest);
        }
        if (loads.some((l) => l.source_file !== undefined)) ({ loads, supersededLoads } = newestFileVersions(loads, committed ?? (await writer.committedLoads(names.source, names.table))));
      }
    } catch (error) {
      result.status = 'error';
      result.message = `source ${result.task.source.name}, table ${result.task.table.name}: landed in the lake, but the warehouse table could not be read: ${error instanceof Error ? error.message : String(error)}`;
      continue;
    }
    if (!loads.length) continue;
    const last = loads.at(-1)!;
    const load: LakeTableLoad = {
      relation,
      lakeRoot,
      folder: tableKey(names.source, names.table),
      format: last.format,
      disposition: last.disposition,
      primaryKey: last.primary_key,
      ...(last.group_key?.length ? { groupKey: last.group_key } : {}),
      ...(result.task.table.load?.cursorField ? { cursorField: result.task.table.load.cursorField } : {}),
      schema: combinedSchema(loads.map((l) => l.schema)),
      loads: loads.map((l) => ({ loadId: l.load_id, folder: `${tableKey(names.source, names.table)}/load_id=${l.load_id}`, schema: l.schema, ...(l.file_column ? { fileColumn: true } : {}), ...(l.parts.length ? {} : { empty: true }) })),
      ...(supersededLoads.length ? { supersededLoads } : {}),
      existingColumns,
    };
    try {
      await adapter.transaction(sql.loadFromLakeSql(load));
    } catch (error) {
      result.status = 'error';
      result.message = `source ${result.task.source.name}, table ${result.task.table.name}: landed in the lake, but loading it into the warehouse failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/**
 * Append loads of whole files: of the new loads, only each file's newest version is copied, and
 * the older loads of those files the warehouse already holds are named so their rows are deleted.
 */
export function newestFileVersions(loads: LoadManifest[], committed: LoadManifest[]): { loads: LoadManifest[]; supersededLoads: string[] } {
  const newest = new Map<string, string>();
  for (const load of [...committed, ...loads]) {
    if (load.source_file === undefined) continue;
    const seen = newest.get(load.source_file);
    if (seen === undefined || load.load_id > seen) newest.set(load.source_file, load.load_id);
  }
  const files = new Set(loads.map((l) => l.source_file).filter((f): f is string => f !== undefined));
  const superseded = (l: LoadManifest) => l.source_file !== undefined && newest.get(l.source_file) !== l.load_id;
  const fresh = new Set(loads.map((l) => l.load_id));
  const held = committed.filter((l) => !fresh.has(l.load_id) && l.source_file !== undefined && files.has(l.source_file) && superseded(l));
  return { loads: loads.filter((l) => !superseded(l)), supersededLoads: held.map((l) => l.load_id).sort() };
}
