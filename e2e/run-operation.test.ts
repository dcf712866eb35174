import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { strata, tempProjects } from './harness.js';

const project = tempProjects();

const runResults = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));

describe('strata run-operation, as dbt run-operation', () => {
  it('runs a partial with --args on the target, several statements, and prints the rows the last returns', async () => {
    const dir = project({
      'macros/make_audit.sql': [
        'create schema if not exists {{schema}};',
        'create or replace table {{schema}}.audit as select * from (values {{#each tables as |t|}}({{@index}}, \'{{t}}\'){{#unless @last}}, {{/unless}}{{/each}}) v(i, t);',
        'select t from {{schema}}.audit order by i',
      ].join('\n'),
    });
    const { code, output } = await strata(dir, 'run-operation', 'make_audit', '--args', '{schema: ops, tables: [orders, customers]}');
    expect(code).toBe(0);
    expect(output).toMatch(/Ran operation make_audit in [\d.]+s; it returned 2 rows:/);
    expect(output).toMatch(/\| orders\s+\|\n\| customers \|/);
    expect(await queryProject(dir, 'select i, t from ops.audit order by i')).toEqual([
      { i: 0, t: 'orders' },
      { i: 1, t: 'customers' },
    ]);
    const results = runResults(dir);
    expect(results.args).toMatchObject({ which: 'run-operation', macro: 'make_audit', args: '{schema: ops, tables: [orders, customers]}' });
    expect(results.results).toEqual([expect.objectContaining({ unique_id: 'macro.shop.make_audit', status: 'success', compiled_code: expect.stringContaining('create schema if not exists ops;') })]);
  });

  it("runs a JS helper's SQL, with refs resolved, and the adapter's own version of a partial", async () => {
    const dir = project({
      'seeds/raw_orders.csv': 'id\n1\n2\n3\n',
      'macros/ops.js': 'export function count_rows(options) { return `select count(*) as n from ${options.hash.relation}`; }\n',
      'macros/where_am_i.sql': "select 'default' as adapter",
      'macros/duckdb__where_am_i.sql': "select 'duckdb' as adapter",
      'macros/count_seed.sql': 'select count(*) as n from {{ref "raw_orders"}}',
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    const helper = await strata(dir, 'run-operation', 'count_rows', '--args', '{"relation": "main.raw_orders"}');
    expect(helper.code).toBe(0);
    expect(helper.output).toMatch(/\| n \|\n\| - \|\n\| 3 \|/);
    expect((await strata(dir, 'run-operation', 'where_am_i')).output).toMatch(/\| duckdb \s*\|/);
    expect((await strata(dir, 'run-operation', 'count_seed')).output).toMatch(/\| 3 \|/);
  });

  it('says so when the macro renders no SQL, and sends nothing', async () => {
    const dir = project({ 'macros/nothing.sql': '{{#if run}}select 1{{/if}}' });
    const { code, output } = await strata(dir, 'run-operation', 'nothing');
    expect(code).toBe(0);
    expect(output).toContain('Operation nothing rendered no SQL: nothing was sent to the target');
  });

  it('refuses an unknown macro with the nearest name, and args that are not a mapping, with exit code 2', async () => {
    const dir = project({ 'macros/grant_select.sql': 'select 1' });
    const unknown = await strata(dir, 'run-operation', 'grant_selcet');
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain("there is no macro named 'grant_selcet'");
    expect(unknown.output).toContain("did you mean 'grant_select'?");
    const list = await strata(dir, 'run-operation', 'grant_select', '--args', '[1, 2]');
    expect(list.code).toBe(2);
    expect(list.output).toContain('--args must be a mapping, got [1,2]');
    const key = await strata(dir, 'run-operation', 'grant_select', '--args', '{"a-b": 1}');
    expect(key.code).toBe(2);
    expect(key.output).toContain("--args has the key 'a-b', which cannot be a macro's argument name");
    expect(unknown.output + list.output).not.toMatch(/\n\s+at /);
  });

  it("fails with exit code 1 when the database refuses the macro's SQL, and records the error", async () => {
    const dir = project({ 'macros/broken.sql': 'select * from {{relation}}' });
    const { code, output } = await strata(dir, 'run-operation', 'broken', '--args', '{relation: no_such_table}');
    expect(code).toBe(1);
    expect(output).toContain('Encountered an error while running operation broken: Catalog Error: Table with name no_such_table does not exist');
    expect(runResults(dir).results[0]).toMatchObject({ unique_id: 'macro.shop.broken', status: 'error' });
  });

  it('--log-format json gives the rows in the log event; retry repeats a failed operation with its args', async () => {
    const dir = project({ 'seeds/raw_orders.csv': 'id\n1\n', 'macros/count_of.sql': 'select count(*) as n from {{relation}}' });
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect((await strata(dir, 'run-operation', 'count_of', '--args', '{relation: main.no_table}')).code).toBe(1);
    const retried = await strata(dir, 'retry');
    expect(retried.code).toBe(1);
    expect(retried.output).toContain('Retrying the last `strata run-operation count_of`, which failed');
    expect(retried.output).toContain('Table with name no_table does not exist');
    const json = await strata(dir, 'run-operation', 'count_of', '--args', '{relation: main.raw_orders}', '--log-format', 'json');
    expect(json.code).toBe(0);
    const done = json.output.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((e) => e.event === 'operation_done');
    // A BIGINT count arrives as a string, whole, as the adapter gives it.
    expect(done.data.rows).toEqual([{ n: '1' }]);
    const again = await strata(dir, 'retry');
    expect(again.code).toBe(0);
    expect(again.output).toContain('Nothing to retry: the last `strata run-operation count_of` succeeded');
  });

  it('keeps args named like secrets, and the SQL they went into, out of run_results.json', async () => {
    const dir = project({ 'macros/make_user.sql': "select '{{password}}' as p" });
    const { code } = await strata(dir, 'run-operation', 'make_user', '--args', '{password: hunter2}');
    expect(code).toBe(0);
    const text = readFileSync(path.join(dir, 'target/run_results.json'), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).results[0]).toMatchObject({ status: 'success', compiled_code: null });
  });
});
