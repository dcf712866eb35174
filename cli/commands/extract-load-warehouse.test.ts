import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDuckDBAdapter } from '../../adapters/duckdb/duckdb-adapter.js';
import { DuckDBParquetAppender } from '../../adapters/duckdb/duckdb-parquet-appender.js';
import type { Adapter, SqlDialect } from '../../core/adapter/adapter.js';
import { lakeUrl, tableMetadataColumns, type LakeLoader, type LakeTableLoad } from '../../core/adapter/lake-loading.js';
import type { ExtractTableResult } from '../../core/extract/run-extract.js';
import type { LoadManifest } from '../../core/lake/lake-layout.js';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import type { SourceNode } from '../../core/manifest/nodes.js';
import { loadIntoWarehouse } from './extract-load-warehouse.js';

// The copying side of "load from lake" (what Snowflake and Redshift do), run for real on DuckDB
// with a loader that copies each load's files into a table instead of putting a view over them.
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** DuckDB's dialect, but copying: `insert ... by name` from each new load's part files. */
function copyingDialect(base: SqlDialect, failNext: { value: boolean }): SqlDialect & LakeLoader {
  const sql = Object.create(base) as SqlDialect & LakeLoader;
  sql.canLoadFromLake = () => true;
  sql.loadsInPlace = () => false;
  sql.loadFromLakeSql = (load: LakeTableLoad) => {
    if (failNext.value) {
      failNext.value = false;
      throw new Error('the warehouse is read-only right now');
    }
    const rel = base.relation(load.relation);
    const out = [`create schema if not exists ${base.quote(load.relation.schema)}`];
    const columns = [...load.schema, ...tableMetadataColumns(load)];
    out.push(`create table if not exists ${rel} (${columns.map((c) => `${base.quote(c.name)} ${c.type}`).join(', ')})`);
    const existing = new Set(load.existingColumns ?? []);
    if (existing.size) for (const c of columns.filter((c) => !existing.has(c.name))) out.push(`alter table ${rel} add column ${base.quote(c.name)} ${c.type}`);
    if (load.supersededLoads?.length) out.push(`delete from ${rel} where _strata_load_id in (${load.supersededLoads.map((id) => `'${id}'`).join(', ')})`);
    for (const batch of load.loads) if (!batch.empty) out.push(`insert into ${rel} by name select * from read_parquet('${lakeUrl(load.lakeRoot, batch.folder)}/part-*.parquet', hive_partitioning = false)`);
    return out;
  };
  return sql;
}

/** A lake, a DuckDB warehouse behind the copying dialect, and the source feed.events. */
function setUp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-lake-load-'));
  dirs.push(dir);
  const lake = path.join(dir, 'lake');
  const writer = new LakeWriter(new LocalLakeStorage(lake));
  const encoder = new DuckDBParquetAppender();
  const duckdb = createDuckDBAdapter({ target: { type: 'duckdb', schema: 'main', path: path.join(dir, 'wh.duckdb') }, targetName: 'dev', projectRoot: dir, threads: 1 });
  const failNext = { value: false };
  const sql = copyingDialect(duckdb.sql, failNext);
  // The real DuckDB adapter with the copying dialect: every other call goes to the adapter itself.
  const adapter = new Proxy(duckdb, { get: (t, key) => (key === 'sql' ? sql : typeof Reflect.get(t, key) === 'function' ? Reflect.get(t, key).bind(t) : Reflect.get(t, key)) }) as Adapter;
  const node = { unique_id: 'source.shop.feed.events', database: null, schema: 'feed', identifier: 'events' } as SourceNode;
  const target = { adapter, logger: { info: () => undefined, warn: () => undefined }, connect: () => duckdb.open(), sources: new Map([[node.unique_id, node]]) };
  const run = (loads: LoadManifest[]): ExtractTableResult[] => [
    {
      task: { source: { name: 'feed', type: 'test', settings: {}, tables: [], file: 'models/sources.yml' }, table: { name: 'events', settings: {} }, uniqueId: node.unique_id },
      status: 'success', rows: 0, bytes: 0, loads, message: null, startedAt: new Date(), completedAt: new Date(), thread: 1,
    },
  ];
  const load = (loads: LoadManifest[]) => {
    const results = run(loads);
    return loadIntoWarehouse(target, results, lake, writer).then(() => results[0]);
  };
  const close = async () => {
    await encoder.close();
    await duckdb.close();
  };
  return { writer, encoder, duckdb, failNext, load, close };
}

describe('loading landed tables into a copying warehouse', () => {
  it('copies each committed load once: a copy that failed is made on the next run, new columns are added', async () => {
    const { writer, encoder, duckdb, failNext, load, close } = setUp();
    const land = (loadId: string, rows: Record<string, unknown>[]) =>
      writer.writeLoad({ source: 'feed', table: 'events', encoder, system: 'test', disposition: 'append', loadId, rows, schema: Object.keys(rows[0]).map((name) => ({ name, type: name === 'id' ? 'BIGINT' : 'VARCHAR' })) });
    try {
      expect((await load([await land('20261101T000000Z-00000001', [{ id: 1, kind: 'a' }, { id: 2, kind: 'b' }])])).status).toBe('success');
      failNext.value = true;
      expect(await load([await land('20261102T000000Z-00000002', [{ id: 3, kind: 'c' }])])).toMatchObject({ status: 'error', message: 'source feed, table events: landed in the lake, but loading it into the warehouse failed: the warehouse is read-only right now' });
      await load([await land('20261103T000000Z-00000003', [{ id: 4, kind: 'd', note: 'new' }])]);
      // A run with nothing new copies nothing again.
      await load([]);
      const rows = await duckdb.execute('select id, kind, note, _strata_load_id from feed.events order by id');
      expect(rows.rows).toEqual([
        ['1', 'a', null, '20261101T000000Z-00000001'],
        ['2', 'b', null, '20261101T000000Z-00000001'],
        ['3', 'c', null, '20261102T000000Z-00000002'],
        ['4', 'd', 'new', '20261103T000000Z-00000003'],
      ]);
    } finally {
      await close();
    }
  });

  it("whole files under append: a changed file's new version replaces its rows, even when two versions arrive in one run", async () => {
    const { writer, encoder, duckdb, load, close } = setUp();
    const land = (loadId: string, file: string, rows: Record<string, unknown>[]) =>
      writer.writeLoad({ source: 'feed', table: 'events', encoder, system: 'test', disposition: 'append', loadId, rows, sourceFile: file, wholeFile: true, schema: [{ name: 'id', type: 'BIGINT' }, { name: 'kind', type: 'VARCHAR' }] });
    try {
      const firstRun = await load([await land('20261101T000000Z-00000001', 'a.csv', [{ id: 1, kind: 'a1' }, { id: 2, kind: 'a1' }]), await land('20261101T000000Z-00000002', 'b.csv', [{ id: 3, kind: 'b1' }])]);
      expect(firstRun.message).toBeNull();
      const a2 = await land('20261102T000000Z-00000003', 'a.csv', [{ id: 1, kind: 'a2' }]);
      expect(a2.source_file).toBe('a.csv');
      const second = await load([a2, await land('20261102T000000Z-00000004', 'b.csv', [{ id: 3, kind: 'b2' }]), await land('20261102T000000Z-00000005', 'b.csv', [])]);
      expect(second.message).toBeNull();
      const rows = await duckdb.execute('select id, kind, _strata_load_id from feed.events order by id');
      expect(rows.rows).toEqual([['1', 'a2', '20261102T000000Z-00000003']]);
    } finally {
      await close();
    }
  });
});
