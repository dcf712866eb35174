import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdapterOptions } from '../../core/adapter/adapter.js';
import { createDuckDBAdapter, type DuckDBAdapter } from './duckdb-adapter.js';
import { readDuckDBTarget } from './duckdb-target.js';

// Attaching other database files: `attach:` in profiles.yml (as dbt-duckdb), and attachReadOnly,
// which deferral uses to read production's relations from their own file.

const root = mkdtempSync(path.join(os.tmpdir(), 'strata-attach-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const options = (target: Record<string, unknown>): AdapterOptions => ({ target: { type: 'duckdb', schema: 'main', ...target }, targetName: 'ci', projectRoot: root, threads: 2 });

async function withAdapter<T>(target: Record<string, unknown>, work: (adapter: DuckDBAdapter) => Promise<T>): Promise<T> {
  const adapter = createDuckDBAdapter(options(target)) as DuckDBAdapter;
  try {
    await adapter.open();
    return await work(adapter);
  } finally {
    await adapter.close();
  }
}

describe('DuckDB attach', () => {
  it('attach: in the target opens production read-only for every connection', async () => {
    await withAdapter({ path: 'prod.duckdb' }, (a) => a.execute('create table orders as select 42 as id'));
    await withAdapter({ path: 'ci.duckdb', attach: [{ path: 'prod.duckdb' }] }, async (ci) => {
      expect(await ci.hasDatabase('prod')).toBe(true);
      // Two statements at once use two connections of the pool: both see the attached file.
      const [a, b] = await Promise.all([ci.execute('select id from prod.main.orders'), ci.execute('select count(*)::int from prod.main.orders')]);
      expect(a.rows).toEqual([[42]]);
      expect(b.rows).toEqual([[1]]);
      await expect(ci.execute('insert into prod.main.orders values (1)')).rejects.toThrow(/read-only/i);
    });
  });

  it('attachReadOnly gives the file the name asked for', async () => {
    await withAdapter({ path: 'ci2.duckdb' }, async (ci) => {
      expect(await ci.hasDatabase('production')).toBe(false);
      await ci.attachReadOnly(path.join(root, 'prod.duckdb'), 'production');
      expect((await ci.execute('select id from production.main.orders')).rows).toEqual([[42]]);
      expect(ci.databaseLocation()).toBe(path.join(root, 'ci2.duckdb'));
    });
  });

  it('a missing file is a user error naming it', async () => {
    await withAdapter({ path: 'ci3.duckdb' }, async (ci) => {
      await expect(ci.attachReadOnly(path.join(root, 'nowhere', 'prod.duckdb'), 'prod')).rejects.toThrow(/cannot attach the DuckDB file .*nowhere.*prod\.duckdb as 'prod'/);
    });
  });

  it('checks attach entries', () => {
    const read = (attach: unknown) => readDuckDBTarget(options({ path: 'x.duckdb', attach }));
    expect(read([{ path: 'a/prod.duckdb', alias: 'p', read_only: false }]).attach).toEqual([{ path: path.join(root, 'a/prod.duckdb'), alias: 'p', readOnly: false }]);
    expect(read([{ path: 's3://bucket/prod.duckdb' }]).attach).toEqual([{ path: 's3://bucket/prod.duckdb', alias: 'prod', readOnly: true }]);
    expect(() => read('prod.duckdb')).toThrow(/'attach' must be a list/);
    expect(() => read([{ alias: 'p' }])).toThrow(/attach entry 1 needs a 'path'/);
    expect(() => read([{ path: 'p.duckdb', readonly: true }])).toThrow(/unknown key 'readonly'/);
  });
});
