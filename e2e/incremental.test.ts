import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { makeProject, projectYml, removeProject, strata, writeFiles } from './harness.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeProject(dirs.pop()!);
});

/** A project whose `events` seed feeds an incremental model with the given config. */
function project(config: string, select = 'select * from {{ref "events"}}'): string {
  const dir = makeProject({
    'project.yml': projectYml(),
    'seeds/events.csv': 'id,line,v,updated_at\n1,1,a,2024-01-01\n2,1,b,2024-01-02\n',
    'models/inc.sql': `{{config materialized="incremental" ${config}}}\n${select}\n{{#if (is_incremental)}}where updated_at > (select max(updated_at) from {{this}}){{/if}}`,
  });
  dirs.push(dir);
  return dir;
}

async function newEvents(dir: string, csv: string) {
  writeFiles(dir, { 'seeds/events.csv': `id,line,v,updated_at\n${csv}` });
}

const rows = (dir: string) => queryProject(dir, 'select id, line, v from inc order by id, line');

describe('incremental models', () => {
  it('append adds only new rows', async () => {
    const dir = project('incremental_strategy="append"');
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '1,1,a,2024-01-01\n2,1,b,2024-01-02\n3,1,c,2024-01-03\n');
    const { code, output } = await strata(dir, 'build');
    expect(code, output).toBe(0);
    expect(output).toContain('APPEND 1');
    expect(await rows(dir)).toEqual([
      { id: 1, line: 1, v: 'a' },
      { id: 2, line: 1, v: 'b' },
      { id: 3, line: 1, v: 'c' },
    ]);
  });

  it('merge keeps the newest row per key', async () => {
    const dir = project('unique_key="id"');
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '1,1,a,2024-01-01\n2,1,B,2024-01-05\n3,1,c,2024-01-05\n');
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await rows(dir)).toEqual([
      { id: 1, line: 1, v: 'a' },
      { id: 2, line: 1, v: 'B' },
      { id: 3, line: 1, v: 'c' },
    ]);
  });

  it("merge_update_columns and merge_exclude_columns choose what a matched row takes from the new one, as in dbt", async () => {
    const rowsWithDate = (dir: string) => queryProject(dir, 'select id, v, cast(updated_at as varchar) as updated_at from inc order by id');
    const only = project('unique_key="id" merge_update_columns="updated_at"');
    expect((await strata(only, 'build')).code).toBe(0);
    await newEvents(only, '2,1,B,2024-01-05\n3,1,c,2024-01-05\n');
    expect((await strata(only, 'build')).code).toBe(0);
    // Row 2 matched: its date is the new one, its v stays; row 3 is new and lands whole.
    expect(await rowsWithDate(only)).toEqual([
      { id: 1, v: 'a', updated_at: '2024-01-01' },
      { id: 2, v: 'b', updated_at: '2024-01-05' },
      { id: 3, v: 'c', updated_at: '2024-01-05' },
    ]);
    const except = project('unique_key="id" merge_exclude_columns="updated_at"');
    expect((await strata(except, 'build')).code).toBe(0);
    await newEvents(except, '2,1,B,2024-01-05\n');
    expect((await strata(except, 'build')).code).toBe(0);
    expect(await rowsWithDate(except)).toEqual([
      { id: 1, v: 'a', updated_at: '2024-01-01' },
      { id: 2, v: 'B', updated_at: '2024-01-02' },
    ]);
  });

  it('merge_update_columns naming a column the table lacks, or set with merge_exclude_columns, fails the model and leaves the table alone', async () => {
    const dir = project('unique_key="id" merge_update_columns="updatd_at"');
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '2,1,B,2024-01-05\n');
    const { code, output } = await strata(dir, 'build');
    expect(code).toBe(1);
    expect(output).toContain("merge_update_columns of 'inc' names 'updatd_at', which the table does not have");
    expect(await rows(dir)).toEqual([
      { id: 1, line: 1, v: 'a' },
      { id: 2, line: 1, v: 'b' },
    ]);
    writeFiles(dir, { 'models/inc.sql': '{{config materialized="incremental" unique_key="id" merge_update_columns="v" merge_exclude_columns="line"}}\nselect * from {{ref "events"}}' });
    const both = await strata(dir, 'run');
    expect(both.code).toBe(1);
    expect(both.output).toContain("'inc' sets both merge_update_columns and merge_exclude_columns");
  });

  it("incremental_predicates limit what a merge touches, with dbt's DBT_INTERNAL_DEST alias read as the target", async () => {
    // Only target rows of 2024-01-02 and later may be merged into: row 1 (older) gets a second copy instead.
    const dir = project(`unique_key="id"`);
    writeFiles(dir, { 'models/_inc.yml': 'version: 2\nmodels:\n  - name: inc\n    config:\n      incremental_predicates: ["DBT_INTERNAL_DEST.updated_at >= date \'2024-01-02\'"]\n' });
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '1,1,A,2024-01-05\n2,1,B,2024-01-05\n');
    const { code, output } = await strata(dir, 'build');
    expect(code, output).toBe(0);
    expect(await queryProject(dir, 'select id, v from inc order by id, v')).toEqual([
      { id: 1, v: 'A' },
      { id: 1, v: 'a' },
      { id: 2, v: 'B' },
    ]);
  });

  it('delete+insert with a two-column key replaces matching rows only', async () => {
    const dir = project('incremental_strategy="delete+insert" unique_key="id,line"');
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '2,1,B,2024-01-05\n2,2,x,2024-01-05\n');
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await rows(dir)).toEqual([
      { id: 1, line: 1, v: 'a' },
      { id: 2, line: 1, v: 'B' },
      { id: 2, line: 2, v: 'x' },
    ]);
  });

  it('merge without a unique_key is refused with a hint', async () => {
    const dir = project('incremental_strategy="merge"');
    expect((await strata(dir, 'build')).code).toBe(0);
    const { code, output } = await strata(dir, 'build');
    expect(code).toBe(1);
    expect(output).toContain("incremental strategy 'merge' needs a unique_key");
  });

  it('--full-refresh rebuilds from scratch', async () => {
    const dir = project('incremental_strategy="append"');
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '9,1,z,2023-01-01\n');
    expect((await strata(dir, 'build')).code).toBe(0);
    expect((await rows(dir)).length).toBe(2);
    expect((await strata(dir, 'build', '--full-refresh')).code).toBe(0);
    expect(await rows(dir)).toEqual([{ id: 9, line: 1, v: 'z' }]);
  });

  it("on_schema_change 'fail' refuses a new column and leaves the table alone", async () => {
    const dir = project('unique_key="id" on_schema_change="fail"');
    expect((await strata(dir, 'build')).code).toBe(0);
    writeFiles(dir, { 'models/inc.sql': '{{config materialized="incremental" unique_key="id" on_schema_change="fail"}}\nselect *, 1 as extra from {{ref "events"}}' });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toContain('new: extra');
    expect((await queryProject(dir, "select count(*)::int as n from information_schema.columns where table_name = 'inc'"))[0].n).toBe(4);
  });

  it("on_schema_change 'ignore' leaves new columns out", async () => {
    const dir = project('unique_key="id"');
    expect((await strata(dir, 'build')).code).toBe(0);
    writeFiles(dir, { 'models/inc.sql': '{{config materialized="incremental" unique_key="id"}}\nselect *, 1 as extra from {{ref "events"}}' });
    expect((await strata(dir, 'run')).code).toBe(0);
    const columns = await queryProject(dir, "select column_name from information_schema.columns where table_name = 'inc' order by ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'line', 'v', 'updated_at']);
  });

  it("on_schema_change 'append_new_columns' adds the new column and fills it for new rows", async () => {
    const dir = project('unique_key="id"');
    expect((await strata(dir, 'build')).code).toBe(0);
    writeFiles(dir, { 'models/inc.sql': '{{config materialized="incremental" unique_key="id" on_schema_change="append_new_columns"}}\nselect *, 7 as extra from {{ref "events"}} where id = 2' });
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, 'select id, extra from inc order by id')).toEqual([
      { id: 1, extra: null },
      { id: 2, extra: 7 },
    ]);
  });

  it("on_schema_change 'sync_all_columns' drops removed columns and retypes changed ones", async () => {
    const dir = project('unique_key="id"');
    expect((await strata(dir, 'build')).code).toBe(0);
    writeFiles(dir, { 'models/inc.sql': '{{config materialized="incremental" unique_key="id" on_schema_change="sync_all_columns"}}\nselect id, line::bigint as line, updated_at from {{ref "events"}}' });
    const { code, output } = await strata(dir, 'run');
    expect(code, output).toBe(0);
    const columns = await queryProject(dir, "select column_name, data_type from information_schema.columns where table_name = 'inc' order by ordinal_position");
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'line', data_type: 'BIGINT' },
      { column_name: 'updated_at', data_type: 'DATE' },
    ]);
  });

  it('compile renders the full-refresh form without creating the database, and the incremental form once the table exists', async () => {
    const dir = project('incremental_strategy="append"');
    const compiled = () => readFileSync(path.join(dir, 'target/compiled/shop/models/inc.sql'), 'utf8');
    const database = path.join(dir, 'target/shop.duckdb');
    const first = await strata(dir, 'compile');
    expect(first.code, first.output).toBe(0);
    expect(compiled()).not.toContain('where updated_at >');
    expect(existsSync(database)).toBe(false);
    expect((await strata(dir, 'build')).code).toBe(0);
    expect((await strata(dir, 'compile')).code).toBe(0);
    expect(compiled()).toContain('where updated_at > (select max(updated_at) from "shop"."main"."inc")');
  });

  it('is_incremental is false on the first run and true afterwards', async () => {
    const dir = project('incremental_strategy="append"', "select *, {{#if (is_incremental)}}'incr'{{else}}'full'{{/if}} as mode from {{ref \"events\"}}");
    expect((await strata(dir, 'build')).code).toBe(0);
    await newEvents(dir, '3,1,c,2024-02-01\n');
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await queryProject(dir, 'select id, mode from inc order by id')).toEqual([
      { id: 1, mode: 'full' },
      { id: 2, mode: 'full' },
      { id: 3, mode: 'incr' },
    ]);
  });
});
