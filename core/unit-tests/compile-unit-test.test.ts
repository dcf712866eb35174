import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../project/load-project.js';
import { readProjectFile } from '../project/project-file.js';
import { compileUnitTest } from './compile-unit-test.js';
import { readUnitTests } from './read-unit-tests.js';

const roots: string[] = [];
afterEach(() => {
  while (roots.length) rmSync(roots.pop()!, { recursive: true, force: true });
});

const options = { target: { name: 'dev', type: 'duckdb', schema: 'main', database: 'db' }, invocationId: 'x', runStartedAt: new Date(0) };

/** Loads a project and compiles its only unit test. */
async function compileOnly(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-unit-compile-'));
  roots.push(root);
  for (const [file, text] of Object.entries({ 'project.yml': 'name: shop\nvars: {country: de}\n', ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const project = await loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.database, r.schema, r.identifier].filter(Boolean).map((p) => `"${p}"`).join('.') }, defaultDatabase: 'db', defaultSchema: 'main' },
  });
  const [test] = readUnitTests(project);
  return { project, compiled: compileUnitTest(project, test, options) };
}

const unitYml = (body: string) => `unit_tests:\n  - name: t\n${body}`;

describe('compileUnitTest', () => {
  it('puts each input in front of the model as a CTE, and the ref renders to it', async () => {
    const { compiled } = await compileOnly({
      'models/stg.sql': 'select 1 as id',
      'models/m.sql': 'select id from {{ref "stg"}} where id > 0',
      'models/unit.yml': unitYml(`    model: m
    given:
      - input: ref('stg')
        format: csv
        rows: |
          id,day
          1,2024-01-05
    expect:
      rows: [{id: 1}]
`),
    });
    expect(compiled.sql).toBe(
      [
        'with __strata_input_stg as (',
        'select cast("id" as integer) as "id", cast("day" as date) as "day"',
        'from (',
        `select '1' as "id", '2024-01-05' as "day"`,
        ') as __strata_rows',
        ')',
        'select id from __strata_input_stg where id > 0',
      ].join('\n'),
    );
    expect(compiled.expectedSql).toBe(`select '1' as "id"`);
  });

  it('merges the inputs into a model that starts with its own WITH, after leading comments', async () => {
    const { compiled } = await compileOnly({
      'models/m.sql': '-- totals\nWITH t as (select * from {{source "shop" "orders"}}) select count(*) as n from t',
      'models/s.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
      'models/unit.yml': unitYml(`    model: m
    given:
      - input: source('shop', 'orders')
        format: sql
        rows: "select 1 as id;"
    expect:
      rows: []
`),
    });
    expect(compiled.sql).toBe('-- totals\nwith __strata_input_shop__orders as (\nselect 1 as id\n), t as (select * from __strata_input_shop__orders) select count(*) as n from t');
    expect(compiled.expectedSql).toBeNull();
  });

  it('types input columns as the YAML of the input declares them, and fills the ones left out with nulls', async () => {
    const { compiled } = await compileOnly({
      'models/stg.sql': 'select 1 as id',
      'models/stg.yml': 'version: 2\nmodels:\n  - name: stg\n    columns:\n      - name: id\n        data_type: bigint\n      - name: note\n',
      'models/m.sql': 'select * from {{ref "stg"}}',
      'models/unit.yml': unitYml(`    model: m
    given:
      - input: ref('stg')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1}]
`),
    });
    expect(compiled.sql).toContain('select cast("id" as bigint) as "id", "note"\nfrom (\nselect 1 as "id", null as "note"\n) as __strata_rows');
  });

  it('an ungiven seed reads its CSV file, with its column_types', async () => {
    const { compiled } = await compileOnly({
      'seeds/codes.csv': 'code,n\n007,1\n',
      'seeds/seeds.yml': 'version: 2\nseeds:\n  - name: codes\n    config:\n      column_types: {n: smallint}\n',
      'models/m.sql': 'select * from {{ref "codes"}}',
      'models/unit.yml': unitYml('    model: m\n    expect:\n      rows: []\n'),
    });
    expect(compiled.sql).toBe(`with __strata_input_codes as (\nselect cast("code" as varchar) as "code", cast("n" as smallint) as "n"\nfrom (\nselect '007' as "code", '1' as "n"\n) as __strata_rows\n)\nselect * from __strata_input_codes`);
  });

  it('overrides vars, is_incremental, macros and env vars, and `this`', async () => {
    const { compiled } = await compileOnly({
      'macros/region.sql': "'eu'",
      'models/m.sql': [
        '{{config materialized="incremental"}}',
        "select '{{var \"country\"}}' as country, {{> region}} as region, '{{env \"STRATA_UNIT_TEST_ENV\" \"none\"}}' as env from {{source \"shop\" \"orders\"}}",
        '{{#if (is_incremental)}}where id > (select max(id) from {{this}}){{/if}}',
      ].join('\n'),
      'models/s.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
      'models/unit.yml': unitYml(`    model: m
    given:
      - input: source('shop', 'orders')
        rows: [{id: 1}]
      - input: this
        rows: [{id: 0}]
    overrides:
      vars: {country: fr}
      macros: {is_incremental: true, region: "'us'"}
      env_vars: {STRATA_UNIT_TEST_ENV: ci}
    expect:
      rows: []
`),
    });
    expect(compiled.sql).toMatch(/\nselect 'fr' as country, 'us' as region, 'ci' as env from __strata_input_shop__orders\nwhere id > \(select max\(id\) from __strata_input_this\)$/);
  });

  it('without overrides, vars come from the project and the model is not incremental', async () => {
    const { compiled } = await compileOnly({
      'models/m.sql': "{{config materialized=\"incremental\"}}\nselect '{{var \"country\"}}' as country{{#if (is_incremental)}} incremental{{/if}}",
      'models/unit.yml': unitYml('    model: m\n    expect:\n      rows: []\n'),
    });
    expect(compiled.sql).toBe("select 'de' as country");
  });

  it('leaves the model node as it was', async () => {
    const { project } = await compileOnly({
      'models/stg.sql': 'select 1 as id',
      'models/m.sql': 'select * from {{ref "stg"}}',
      'models/unit.yml': unitYml("    model: m\n    given: [{input: \"ref('stg')\", rows: [{id: 1}]}]\n    expect:\n      rows: []\n"),
    });
    const model = project.nodes.get('model.shop.m')!;
    expect(model.compiled_code).toBeUndefined();
    expect(model.relation_name).toBe('"db"."main"."m"');
  });
});
