import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects } from './harness.js';

const project = tempProjects();
const relationOf = (dir: string, id: string) => JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')).sources[id].relation_name;

afterEach(() => {
  delete process.env.STRATA_TEST_RAW_TABLE;
  delete process.env.STRATA_ENV_SECRET_SCHEMA;
});

const sources = (schema: string, identifier = 'orders') =>
  ['version: 2', 'sources:', '  - name: raw', `    schema: ${schema}`, '    tables:', '      - name: orders', `        identifier: ${identifier}`].join('\n');

describe('templated values in property files, rendered at parse time as dbt does', () => {
  it("a source's schema and identifier from vars, the environment and the target, in dbt's Jinja form or Handlebars", async () => {
    const dir = project({
      'project.yml': projectYml('vars:\n  raw_schema: landing\n'),
      'seeds/orders.csv': 'id\n1\n2\n',
      'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: orders\n    config: {schema: landing}\n',
      'models/_sources.yml': sources(`"{{ target.schema }}_{{ var('raw_schema') }}"`, `'{{env_var "STRATA_TEST_RAW_TABLE" "orders"}}'`),
      'models/copied.sql': 'select * from {{source "raw" "orders"}}',
    });
    expect((await strata(dir, 'parse')).code).toBe(0);
    expect(relationOf(dir, 'source.shop.raw.orders')).toBe('"shop"."main_landing"."orders"');
    process.env.STRATA_TEST_RAW_TABLE = 'orders_v2';
    expect((await strata(dir, 'parse', '--vars', '{raw_schema: other}')).code).toBe(0);
    expect(relationOf(dir, 'source.shop.raw.orders')).toBe('"shop"."main_other"."orders_v2"');
    delete process.env.STRATA_TEST_RAW_TABLE;
    // The seed lands the table the source names (a source is no node of the DAG: seed first).
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, 'select count(*)::int as n from main.copied', 'target/shop.duckdb')).toEqual([{ n: 2 }]);
  });

  it('a var without a value, and a secret, are errors naming the line', async () => {
    const missing = project({ 'models/_sources.yml': sources(`"{{ var('raw_schema') }}"`), 'models/a.sql': 'select 1 as id' });
    const first = await strata(missing, 'parse');
    expect(first.code).toBe(2);
    expect(first.output).toContain("models/_sources.yml:4: required var 'raw_schema' is not set");
    process.env.STRATA_ENV_SECRET_SCHEMA = 'hidden';
    const secret = project({ 'models/_sources.yml': sources(`"{{ env_var('STRATA_ENV_SECRET_SCHEMA') }}"`), 'models/a.sql': 'select 1 as id' });
    const second = await strata(secret, 'parse');
    expect(second.code).toBe(2);
    expect(second.output).toContain('models/_sources.yml:4: STRATA_ENV_SECRET_SCHEMA is a secret and may only be used in profiles.yml');
  });
});
