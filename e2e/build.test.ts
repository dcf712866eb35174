import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects, writeFiles } from './harness.js';

const project = tempProjects();

const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, 'target', file), 'utf8'));

describe('build on embedded DuckDB', () => {
  it('seeds, views, tables and ephemeral models build in DAG order', async () => {
    const dir = project({
      'seeds/raw_orders.csv': 'order_id,amount_cents,ordered_at,is_gift\n1,1000,2024-01-05 10:00:00,true\n2,250,2024-01-06 11:30:00,false\n3,,2024-02-01 09:00:00,false\n',
      'models/stg_orders.sql': 'select order_id, amount_cents / 100.0 as amount, ordered_at, is_gift from {{ref "raw_orders"}}',
      'models/int_big.sql': '{{config materialized="ephemeral"}}\nselect * from {{ref "stg_orders"}} where amount > 5',
      'models/big_orders.sql': '{{config materialized="table"}}\nselect order_id from {{ref "int_big"}}',
    });
    const { code, output } = await strata(dir, 'build');
    expect(code, output).toBe(0);
    expect(output).toMatch(/1 of 3 OK loaded seed file main\.raw_orders/);
    expect(output).toMatch(/OK created sql view model main\.stg_orders/);
    expect(output).toMatch(/OK created sql table model main\.big_orders .*\[CREATE TABLE \(1 rows\)/);
    expect(output).toContain('Done. PASS=3 WARN=0 ERROR=0 SKIP=0 TOTAL=3');
    expect(await queryProject(dir, 'select * from big_orders')).toEqual([{ order_id: 1 }]);
    const types = await queryProject(dir, "select column_name, data_type from information_schema.columns where table_name = 'raw_orders' order by ordinal_position");
    expect(types.map((t) => t.data_type)).toEqual(['INTEGER', 'INTEGER', 'TIMESTAMP', 'BOOLEAN']);
    const views = await queryProject(dir, "select table_name, table_type from information_schema.tables where table_schema = 'main' order by 1");
    expect(views).toEqual([
      { table_name: 'big_orders', table_type: 'BASE TABLE' },
      { table_name: 'raw_orders', table_type: 'BASE TABLE' },
      { table_name: 'stg_orders', table_type: 'VIEW' },
    ]);
    const compiled = readFileSync(path.join(dir, 'target/compiled/shop/models/big_orders.sql'), 'utf8');
    expect(compiled).toMatch(/^with __strata__cte__int_big as \(/);
  });

  it('a failed node skips its descendants while the rest go on, and exits 1', async () => {
    const dir = project({
      'models/ok_a.sql': 'select 1 as id',
      'models/broken.sql': 'select * from no_such_table',
      'models/child.sql': 'select * from {{ref "broken"}}',
      'models/grandchild.sql': 'select * from {{ref "child"}}',
      'models/ok_b.sql': 'select * from {{ref "ok_a"}}',
    });
    const { code, output } = await strata(dir, 'run', '--threads', '1');
    expect(code).toBe(1);
    expect(output).toContain('Done. PASS=2 WARN=0 ERROR=1 SKIP=2 TOTAL=5');
    expect(output).toContain('Error in model broken (models/broken.sql)');
    const results = json(dir, 'run_results.json');
    const byId = Object.fromEntries(results.results.map((r: { unique_id: string; status: string }) => [r.unique_id, r.status]));
    expect(byId).toEqual({
      'model.shop.ok_a': 'success',
      'model.shop.ok_b': 'success',
      'model.shop.broken': 'error',
      'model.shop.child': 'skipped',
      'model.shop.grandchild': 'skipped',
    });
    expect(results.metadata.strata_schema_version).toBe(1);
  });

  it('--fail-fast stops everything not yet started', async () => {
    const dir = project({
      'models/a_broken.sql': 'select * from no_such_table',
      'models/b.sql': 'select 1 as id',
      'models/c.sql': 'select 2 as id',
    });
    const { code, output } = await strata(dir, 'run', '--threads', '1', '--fail-fast');
    expect(code).toBe(1);
    expect(output).toContain('ERROR=1 SKIP=2');
  });

  it('a failing rebuild leaves the old table in place', async () => {
    const dir = project({ 'models/t.sql': "{{config materialized=\"table\"}}\nselect 1 as id, 'old' as v" });
    expect((await strata(dir, 'run')).code).toBe(0);
    writeFiles(dir, { 'models/t.sql': '{{config materialized="table"}}\nselect 1 / 0 as id, error(\'boom\') as v' });
    expect((await strata(dir, 'run')).code).toBe(1);
    expect(await queryProject(dir, 'select * from t')).toEqual([{ id: 1, v: 'old' }]);
    const leftovers = await queryProject(dir, "select table_name from information_schema.tables where table_name like '%strata%'");
    expect(leftovers.length).toBeLessThanOrEqual(1);
    writeFiles(dir, { 'models/t.sql': "{{config materialized=\"table\"}}\nselect 2 as id, 'new' as v" });
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, 'select * from t')).toEqual([{ id: 2, v: 'new' }]);
    expect(await queryProject(dir, "select table_name from information_schema.tables where table_name like '%strata%'")).toEqual([]);
  });

  it('a model can change from table to view and back', async () => {
    const dir = project({ 'models/m.sql': '{{config materialized="table"}}\nselect 1 as id' });
    expect((await strata(dir, 'run')).code).toBe(0);
    writeFiles(dir, { 'models/m.sql': '{{config materialized="view"}}\nselect 2 as id' });
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, "select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'VIEW' }]);
    writeFiles(dir, { 'models/m.sql': '{{config materialized="table"}}\nselect 3 as id' });
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, 'select * from m')).toEqual([{ id: 3 }]);
  });

  it('custom schema and alias name the relation', async () => {
    const dir = project({
      'project.yml': projectYml('models:\n  shop:\n    marts:\n      +schema: marts\n      +materialized: table\n'),
      'models/marts/orders.sql': '{{config alias="fct_orders"}}\nselect 1 as id',
    });
    const { code, output } = await strata(dir, 'run');
    expect(code, output).toBe(0);
    expect(await queryProject(dir, 'select * from main_marts.fct_orders')).toEqual([{ id: 1 }]);
    const manifest = json(dir, 'manifest.json');
    expect(manifest.nodes['model.shop.orders'].relation_name).toBe('"shop"."main_marts"."fct_orders"');
  });

  it('pre- and post-hooks and on-run-start/end run around the models', async () => {
    const dir = project({
      'project.yml': projectYml("on-run-start: \"create table if not exists audit (event varchar)\"\non-run-end:\n  - \"insert into audit values ('end')\"\n"),
      'models/m.sql': '{{config materialized="table" pre_hook="insert into audit values (\'pre\')" post_hook="insert into audit select \'post \' || count(*) from {{this}}"}}\nselect 1 as id union all select 2',
    });
    const { code, output } = await strata(dir, 'run');
    expect(code, output).toBe(0);
    expect((await queryProject(dir, 'select event from audit')).map((r) => r.event)).toEqual(['pre', 'post 2', 'end']);
  });

  it('--threads runs independent models concurrently and all succeed', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`models/m${i}.sql`] = `{{config materialized="table"}}\nselect ${i} as id`;
    files['models/all_of_them.sql'] = Array.from({ length: 12 }, (_, i) => `select * from {{ref "m${i}"}}`).join('\nunion all\n');
    const dir = project(files);
    const { code, output } = await strata(dir, 'run', '--threads', '4');
    expect(code, output).toBe(0);
    const results = json(dir, 'run_results.json').results as { thread_id: string; unique_id: string }[];
    expect(new Set(results.map((r) => r.thread_id)).size).toBeGreaterThan(1);
    expect(await queryProject(dir, 'select count(*)::int as n from all_of_them')).toEqual([{ n: 12 }]);
  });

  it('--log-format json prints one JSON object per line', async () => {
    const dir = project({ 'models/m.sql': 'select 1 as id' });
    const { code, output } = await strata(dir, 'run', '--log-format', 'json');
    expect(code).toBe(0);
    const lines = output.trim().split('\n').map((l) => JSON.parse(l));
    const finished = lines.find((l) => l.event === 'node_finished');
    expect(finished.data).toMatchObject({ unique_id: 'model.shop.m', status: 'success' });
    expect(lines.find((l) => l.event === 'run_summary').data).toMatchObject({ pass: 1, error: 0, total: 1 });
  });

  it('--select limits what runs', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': 'select * from {{ref "a"}}', 'models/c.sql': 'select 3 as id' });
    const { code, output } = await strata(dir, 'run', '-s', 'a+');
    expect(code, output).toBe(0);
    expect(json(dir, 'run_results.json').results.map((r: { unique_id: string }) => r.unique_id).sort()).toEqual(['model.shop.a', 'model.shop.b']);
  });

  it('--no-write-json builds and compiles but leaves the previous manifest.json and run_results.json as they were', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': '{{config materialized="table"}}\nselect * from {{ref "a"}}' });
    expect((await strata(dir, 'build')).code).toBe(0);
    const before = { manifest: readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'), results: readFileSync(path.join(dir, 'target/run_results.json'), 'utf8') };
    writeFiles(dir, { 'models/b.sql': '{{config materialized="table"}}\nselect id, 2 as two from {{ref "a"}}' });
    for (const args of [['build', '-s', 'b'], ['parse'], ['compile'], ['docs', 'generate', '--empty-catalog']]) {
      const { code, output } = await strata(dir, ...args, '--no-write-json');
      expect(code, output).toBe(0);
      expect(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')).toBe(before.manifest);
      expect(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).toBe(before.results);
    }
    // The work itself was done: the table has its new column, the SQL files are new, the docs site shows it.
    expect(await queryProject(dir, 'select * from b')).toEqual([{ id: 1, two: 2 }]);
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/b.sql'), 'utf8')).toContain('2 as two');
    expect(readFileSync(path.join(dir, 'target/run/shop/models/b.sql'), 'utf8')).toContain('2 as two');
    // Without the flag the artifacts are written again.
    expect((await strata(dir, 'build', '-s', 'b')).code).toBe(0);
    expect(json(dir, 'manifest.json').nodes['model.shop.b'].raw_code).toContain('2 as two');
    expect(json(dir, 'run_results.json').results.map((r: { unique_id: string }) => r.unique_id)).toEqual(['model.shop.b']);
  });

  it('-q prints only warnings, errors (with their reasons) and the result', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/broken.sql': 'select * from nope_table' });
    const run = await strata(dir, 'run', '-q');
    expect(run.code).toBe(1);
    expect(run.output).toContain('Error in model broken (models/broken.sql)');
    expect(run.output).toContain('nope_table does not exist');
    for (const quiet of ['Running with', 'START', 'OK created', 'Done. PASS', 'Finished running']) expect(run.output).not.toContain(quiet);
    // The result alone, ready to pipe: the compiled SQL of the selected node.
    const compiled = await strata(dir, 'compile', '-s', 'a', '-q');
    expect(compiled.code, compiled.output).toBe(0);
    expect(compiled.output).toBe('select 1 as id\n');
  });

  it('--empty builds every model with its columns and no rows, runs the tests on them, and leaves snapshots out', async () => {
    const dir = project({
      'seeds/raw.csv': 'id,amount\n1,10\n2,20\n',
      'models/stg.sql': 'select id, amount * 2 as doubled from {{ref "raw"}}',
      'models/total.sql': '{{config materialized="table"}}\nselect s.id, s.doubled, r.amount from {{ref "stg"}} s join {{ref "raw"}} r using (id)',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: total\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
      'models/events.sql': '{{config materialized="incremental" unique_key="id"}}\nselect id, amount from {{ref "raw"}}\n{{#if (is_incremental)}}where id > (select max(id) from {{this}}){{/if}}',
      'snapshots/raw_history.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}\nselect * from {{ref "raw"}}\n',
      'snapshots/snapshots.yml': 'snapshots:\n  - name: raw_history\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    const { code, output } = await strata(dir, 'build', '--empty');
    expect(code, output).toBe(0);
    expect(output).toContain('--empty: 1 snapshot and 1 test of them not run');
    // The seed loads as usual; what reads it reads nothing.
    expect(await queryProject(dir, 'select count(*)::int as n from raw')).toEqual([{ n: 2 }]);
    expect(await queryProject(dir, 'select count(*)::int as n from total')).toEqual([{ n: 0 }]);
    const columns = await queryProject(dir, "select column_name from information_schema.columns where table_name = 'total' order by ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'doubled', 'amount']);
    expect(await queryProject(dir, "select count(*)::int as n from information_schema.tables where table_name = 'raw_history'")).toEqual([{ n: 0 }]);
    expect(json(dir, 'run_results.json').results.find((r: { unique_id: string }) => r.unique_id.startsWith('test.')).status).toBe('pass');
    const compiled = await strata(dir, 'compile', '-s', 'stg', '--empty', '-q');
    expect(compiled.output).toBe('select id, amount * 2 as doubled from (select * from "shop"."main"."raw" where false limit 0)\n');
    // An incremental model not built yet is a view under --empty: an empty table would stay empty,
    // each later run adding only rows newer than none.
    expect(output).toMatch(/OK created sql incremental model main\.events .*CREATE VIEW \(--empty: a view until a run without it\)/);
    expect(await queryProject(dir, "select table_type from information_schema.tables where table_name = 'events'")).toEqual([{ table_type: 'VIEW' }]);
    // Without --empty the same build fills them, the incremental one in full.
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await queryProject(dir, 'select count(*)::int as n from total')).toEqual([{ n: 2 }]);
    expect(await queryProject(dir, 'select count(*)::int as n from events')).toEqual([{ n: 2 }]);
    // An incremental table that exists takes no rows under --empty and keeps its own.
    expect((await strata(dir, 'build', '--empty')).code).toBe(0);
    expect(await queryProject(dir, 'select count(*)::int as n from events')).toEqual([{ n: 2 }]);
    const both = await strata(dir, 'build', '--empty', '--full-refresh');
    expect(both.code).toBe(2);
    expect(both.output).toContain('--empty with --full-refresh would replace every incremental table with an empty one');
  });
});
