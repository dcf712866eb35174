import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AdapterOptions } from '../../core/adapter/adapter.js';
import { UserError } from '../../core/errors/user-error.js';
import { describeAdapterConformance } from '../conformance/adapter-conformance.js';
import { createDuckDBAdapter, type DuckDBAdapter } from './duckdb-adapter.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'strata-duckdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function options(target: Record<string, unknown> = {}, threads = 1): AdapterOptions {
  return { target: { type: 'duckdb', schema: 'main', ...target }, targetName: 'dev', projectRoot: root, threads };
}

describeAdapterConformance('duckdb file', () => createDuckDBAdapter(options({ path: 'target/conformance.duckdb' }, 4)));
describeAdapterConformance('duckdb :memory:', () => createDuckDBAdapter(options({ path: ':memory:' }, 2)));

describe('DuckDBAdapter', () => {
  const opened: DuckDBAdapter[] = [];
  const open = async (target: Record<string, unknown>, threads = 1) => {
    const adapter = createDuckDBAdapter(options(target, threads)) as DuckDBAdapter;
    opened.push(adapter);
    await adapter.open();
    return adapter;
  };
  const openError = async (target: Record<string, unknown>): Promise<UserError> => {
    const error = await open(target).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  };
  afterEach(async () => {
    for (const adapter of opened.splice(0)) await adapter.close();
  });

  it('creates the folder of the database file and names the database after the file', async () => {
    const adapter = await open({ path: 'nested/deeper/shop.duckdb' });
    expect(adapter.defaultDatabase).toBe('shop');
    expect(adapter.describe()).toBe(`duckdb file ${path.join('nested', 'deeper', 'shop.duckdb')} (schema main)`);
    await adapter.execute('create table t as select 1 as id');
    await adapter.close();
    const again = await open({ path: path.join(root, 'nested/deeper/shop.duckdb') });
    expect((await again.execute('select id from t')).rows).toEqual([[1]]);
  });

  it('an in-memory database is called memory', async () => {
    const adapter = await open({ path: ':memory:', schema: 'analytics' });
    expect(adapter.defaultDatabase).toBe('memory');
    expect(adapter.defaultSchema).toBe('analytics');
    expect(adapter.describe()).toBe('duckdb in memory (schema analytics)');
  });

  it('returns big numbers, decimals and timestamps as strings and counts changed rows', async () => {
    const adapter = await open({ path: ':memory:' });
    const result = await adapter.execute(
      `select 9007199254740993::bigint as big, 1.50::decimal(10,2) as price, timestamp '2024-01-05 10:30:00' as at, date '2024-01-05' as day, true as yes`,
    );
    expect(result.columns).toEqual([
      { name: 'big', dataType: 'BIGINT' },
      { name: 'price', dataType: 'DECIMAL(10,2)' },
      { name: 'at', dataType: 'TIMESTAMP' },
      { name: 'day', dataType: 'DATE' },
      { name: 'yes', dataType: 'BOOLEAN' },
    ]);
    expect(result.rows).toEqual([['9007199254740993', '1.50', '2024-01-05 10:30:00', '2024-01-05', true]]);
    expect(result.rowsAffected).toBeNull();
    await adapter.execute('create table t (id integer)');
    expect((await adapter.execute('insert into t values (1), (2), (3)')).rowsAffected).toBe(3);
    expect((await adapter.execute('delete from t where id > 1')).rowsAffected).toBe(2);
  });

  it('a path that names a folder is a user error', async () => {
    mkdirSync(path.join(root, 'a-folder.duckdb'), { recursive: true });
    const error = await openError({ path: 'a-folder.duckdb' });
    expect(error.message).toContain('a-folder.duckdb');
    expect(error.hint).toMatch(/folder/);
  });

  it('a file that is not a DuckDB database is a user error', async () => {
    writeFileSync(path.join(root, 'notes.duckdb'), 'these are not the bytes you are looking for\n'.repeat(200));
    const error = await openError({ path: 'notes.duckdb' });
    expect(error.message).toContain('notes.duckdb');
    expect(error.hint).toMatch(/not a database/);
  });

  it('a file locked by another process is a user error', async () => {
    const file = path.join(root, 'locked.duckdb');
    const holder = await holdOpen(file);
    try {
      const error = await openError({ path: file });
      expect(error.message).toContain('locked.duckdb');
      expect(error.hint).toMatch(/another process/);
    } finally {
      holder.kill();
    }
  });

  it('settings are checked before anything opens', () => {
    expect(() => createDuckDBAdapter(options({ path: ':memory:', extentions: ['json'] }))).toThrow(/did you mean 'extensions'/);
    expect(() => createDuckDBAdapter(options({ path: ':memory:', extensions: 'json' }))).toThrow(UserError);
    expect(() => createDuckDBAdapter(options({ path: ':memory:', settings: { 'x; drop': 1 } }))).toThrow(UserError);
    expect(() => createDuckDBAdapter(options({ path: 42 }))).toThrow(UserError);
  });

  it('loads extensions and applies settings on every connection', async () => {
    const adapter = await open({ path: ':memory:', extensions: ['json'], settings: { threads: 2, memory_limit: '1GB', TimeZone: 'UTC' } }, 3);
    for (let i = 0; i < 3; i++) {
      const { rows } = await adapter.execute(`select current_setting('threads'), current_setting('TimeZone'), json_valid('{}')`);
      expect(rows).toEqual([['2', 'UTC', true]]);
    }
  });

  it('an extension that is not installed is a user error, never a download', async () => {
    const error = await openError({ path: ':memory:', extensions: ['strata_no_such_extension'] });
    expect(error.message).toContain("extension 'strata_no_such_extension'");
    expect(error.hint).toMatch(/INSTALL strata_no_such_extension/);
  });

  it('an unknown setting is a user error', async () => {
    const error = await openError({ path: ':memory:', settings: { no_such_setting: 1 } });
    expect(error.message).toContain('no_such_setting');
  });

  it('a database name other than the file name is a user error', async () => {
    const error = await openError({ path: 'warehouse.duckdb', database: 'elsewhere' });
    expect(error.hint).toContain('database: warehouse');
    await open({ path: 'warehouse.duckdb', database: 'WAREHOUSE' });
  });

  it('with threads=4, eight concurrent executes all succeed', async () => {
    const adapter = await open({ path: 'concurrent.duckdb' }, 4);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => adapter.execute(`create table t${i} as select range as n from range(${20000 + i}); select count(*) from t${i}`)),
    );
    expect(results.map((r) => r.rows[0][0])).toEqual(Array.from({ length: 8 }, (_, i) => String(20000 + i)));
  });

  it('concurrent transactions on different tables all commit', async () => {
    const adapter = await open({ path: ':memory:' }, 4);
    const { sql } = adapter;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const rel = { database: null, schema: 'main', identifier: `swap_${i}` };
        const tmp = { ...rel, identifier: `swap_${i}__tmp` };
        return adapter
          .execute(`${sql.createTableAs(rel, 'select 1 as v')}; ${sql.createTableAs(tmp, `select ${i} as v`)}`)
          .then(() => adapter.transaction([sql.drop(rel, 'table'), sql.rename(tmp, 'table', rel.identifier)]));
      }),
    );
    const { rows } = await adapter.execute(`select sum(v) from (${Array.from({ length: 8 }, (_, i) => `select v from swap_${i}`).join(' union all ')})`);
    expect(rows).toEqual([['28']]);
  });

  it('a view over a swapped table reads the new table (DuckDB binds views by name)', async () => {
    const adapter = await open({ path: ':memory:' });
    await adapter.execute(`create table orders as select 'old' as v; create view recent as select v from orders; create table orders__tmp as select 'new' as v`);
    await adapter.transaction(['drop table orders', 'alter table orders__tmp rename to orders']);
    expect((await adapter.execute('select v from recent')).rows).toEqual([['new']]);
  });

  it('insertRows names the column and row of a bad value and inserts nothing', async () => {
    const adapter = await open({ path: ':memory:' });
    await adapter.execute('create table s (id integer, day date)');
    const columns = [
      { name: 'id', dataType: 'INTEGER' },
      { name: 'day', dataType: 'DATE' },
    ];
    const attempt = adapter.insertRows({ database: null, schema: 'main', identifier: 's' }, columns, [
      ['1', '2024-01-05'],
      ['2', '2024-02-30'],
    ]);
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(/'2024-02-30' into column "day" \(DATE\), data row 2/);
    expect((await adapter.execute('select count(*) from s')).rows).toEqual([['0']]);
  });

  it('insertRows reports a bad value on the INSERT path too', async () => {
    const adapter = await open({ path: ':memory:' });
    await adapter.execute('create table s (id integer, day date, note varchar)');
    const attempt = adapter.insertRows({ database: null, schema: 'main', identifier: 's' }, [{ name: 'day', dataType: 'DATE' }], [['2024-01-05'], ['soon']]);
    await expect(attempt).rejects.toThrow(UserError);
    expect((await adapter.execute('select count(*) from s')).rows).toEqual([['0']]);
  });

  it('listRelations and getColumns find names whatever their case', async () => {
    const adapter = await open({ path: ':memory:' });
    await adapter.execute('create schema "Sales"; create table "Sales"."Orders" ("Id" integer)');
    expect(await adapter.listRelations(null, 'sales')).toEqual([{ database: 'memory', schema: 'Sales', identifier: 'Orders', type: 'table' }]);
    expect(await adapter.getColumns({ database: null, schema: 'SALES', identifier: 'orders' })).toEqual([{ name: 'Id', dataType: 'INTEGER' }]);
  });

  it('execute before open is a bug, not a user error', async () => {
    const adapter = createDuckDBAdapter(options({ path: ':memory:' }));
    await expect(adapter.execute('select 1')).rejects.toThrow(/not open/);
    await expect(adapter.execute('select 1')).rejects.not.toBeInstanceOf(UserError);
  });
});

/** Starts a separate process that keeps `file` open (and so locked) until killed. */
async function holdOpen(file: string): Promise<ChildProcess> {
  const script = `
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(${JSON.stringify(file)});
    await (await instance.connect()).run('create table if not exists held (id integer)');
    console.log('ready');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`the process holding ${file} exited with ${code}`)));
  });
  return child;
}
