import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects, writeFiles } from './harness.js';

const project = tempProjects();
const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
const compiled = (dir: string, model: string) => readFileSync(path.join(dir, `target/compiled/shop/models/${model}.sql`), 'utf8');

describe('project features', () => {
  it('the manifest holds nodes, sources, maps, checksums, columns and descriptions', async () => {
    const dir = project({
      'models/staging/stg_orders.sql': 'select * from {{source "shop" "orders"}}',
      'models/orders.sql': '{{config materialized="table" tags="daily"}}\nselect * from {{ref "stg_orders"}}',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    description: All orders.\n    columns:\n      - name: id\n        description: The key.\n        tests: [unique]\nsources:\n  - name: shop\n    schema: raw\n    freshness: {warn_after: {count: 1, period: day}}\n    tables:\n      - name: orders\n        identifier: raw_orders\n        freshness: null\n      - name: customers\n',
    });
    const { code, output } = await strata(dir, 'parse');
    expect(code, output).toBe(0);
    const m = manifest(dir);
    expect(m.metadata).toMatchObject({ strata_schema_version: 1, project_name: 'shop', adapter_type: 'duckdb' });
    const orders = m.nodes['model.shop.orders'];
    expect(orders).toMatchObject({
      resource_type: 'model',
      fqn: ['shop', 'orders'],
      original_file_path: 'models/orders.sql',
      description: 'All orders.',
      tags: ['daily'],
      depends_on: { nodes: ['model.shop.stg_orders'] },
      config: { materialized: 'table' },
      relation_name: '"shop"."main"."orders"',
    });
    expect(orders.columns.id.description).toBe('The key.');
    expect(orders.checksum.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(orders.raw_code).toContain('{{ref "stg_orders"}}');
    expect(orders.ref_lines).toBeUndefined();
    expect(m.sources['source.shop.shop.orders'].relation_name).toBe('"shop"."raw"."raw_orders"');
    expect(m.sources['source.shop.shop.orders'].freshness).toBeNull();
    // Merged, in dbt's shape: every threshold written out.
    expect(m.sources['source.shop.shop.customers'].freshness).toEqual({ warn_after: { count: 1, period: 'day' }, error_after: { count: null, period: null }, filter: null });
    expect(m.parent_map['model.shop.stg_orders']).toEqual(['source.shop.shop.orders']);
    expect(m.child_map['model.shop.stg_orders']).toEqual(['model.shop.orders']);
  });

  it('config precedence: folder, then YAML, then the file; tags accumulate', async () => {
    const dir = project({
      'project.yml': projectYml('models:\n  shop:\n    +tags: [all]\n    marts:\n      +materialized: table\n      +tags: marts\n'),
      'models/marts/a.sql': 'select 1 as id',
      'models/marts/b.sql': '{{config materialized="view" tags="b"}}\nselect 1 as id',
      'models/marts/c.sql': 'select 1 as id',
      'models/marts/schema.yml': 'version: 2\nmodels:\n  - name: c\n    config:\n      materialized: incremental\n      tags: [yaml]\n',
    });
    expect((await strata(dir, 'parse')).code).toBe(0);
    const nodes = manifest(dir).nodes;
    expect(nodes['model.shop.a'].config.materialized).toBe('table');
    expect(nodes['model.shop.b'].config.materialized).toBe('view');
    expect(nodes['model.shop.c'].config.materialized).toBe('incremental');
    expect(nodes['model.shop.b'].tags).toEqual(['all', 'marts', 'b']);
    expect(nodes['model.shop.c'].tags).toEqual(['all', 'marts', 'yaml']);
  });

  it("project.yml's sources: configs apply to source tables by fqn, under the YAML's own", async () => {
    const dir = project({
      'project.yml': projectYml(
        [
          'sources:',
          '  shop:',
          '    +tags: [raw]',
          '    +meta: {owner: data}',
          '    +freshness: {warn_after: {count: 1, period: day}}',
          '    +loaded_at_field: _loaded_at',
          '    staging:',
          '      legacy_crm:',
          '        +enabled: false',
          '      shop:',
          '        customers: {+tags: [pii]}',
          '    archive:',
          '      +enabled: false',
          '',
        ].join('\n'),
      ),
      'models/staging/stg_orders.sql': 'select * from {{source "shop" "orders"}}',
      'models/staging/sources.yml': [
        'version: 2',
        'sources:',
        '  - name: shop',
        '    meta: {team: web}',
        '    tables:',
        '      - name: orders',
        '        freshness: {error_after: {count: 2, period: hour}}',
        '      - name: customers',
        '        config: {enabled: true}',
        '  - name: legacy_crm',
        '    tables:',
        '      - name: accounts',
        '      - name: contacts',
        '        config: {enabled: true}',
        '',
      ].join('\n'),
    });
    const { code, output } = await strata(dir, 'parse');
    expect(code, output).toBe(0);
    const m = manifest(dir);
    expect(m.sources['source.shop.shop.orders']).toMatchObject({
      fqn: ['shop', 'staging', 'shop', 'orders'],
      tags: ['raw'],
      meta: { owner: 'data', team: 'web' },
      loaded_at_field: '_loaded_at',
    });
    // Merged threshold by threshold, as \`source freshness\` checks it: the table's error_after over the project's warn_after.
    expect(m.sources['source.shop.shop.orders'].freshness).toEqual({ warn_after: { count: 1, period: 'day' }, error_after: { count: 2, period: 'hour' }, filter: null });
    expect(m.sources['source.shop.shop.customers']).toMatchObject({ tags: ['raw', 'pii'], freshness: { warn_after: { count: 1, period: 'day' } } });
    // The project disables legacy_crm; a table's own enabled: true wins.
    expect(m.sources['source.shop.legacy_crm.accounts']).toBeUndefined();
    expect(Object.keys(m.disabled)).toContain('source.shop.legacy_crm.accounts');
    expect(m.sources['source.shop.legacy_crm.contacts']).toMatchObject({ config: { enabled: true } });
    expect(output).toContain('- sources.shop.archive (project.yml:14)');

    writeFiles(dir, { 'project.yml': projectYml('sources:\n  shop:\n    +freshnes: {warn_after: {count: 1, period: day}}\n') });
    const misspelled = await strata(dir, 'parse');
    expect(misspelled.code).toBe(2);
    expect(misspelled.output).toContain("project.yml:5: unknown config key 'freshnes' for a source");
  });

  it("a project's generate_schema_name (a JS helper) names every schema, called as dbt calls the macro", async () => {
    const dir = project({
      // dbt's common override: a custom schema is used as it is, not appended to the target's.
      'macros/generate_schema_name.js': 'export function generate_schema_name(custom, { node, target }) { return custom ?? (node.resource_type === "seed" ? `${target.schema}_seeds` : target.schema); }\n',
      'seeds/raw.csv': 'id\n1\n',
      'models/marts/a.sql': '{{config schema="marts" materialized="table"}}\nselect * from {{ref "raw"}}',
      'models/b.sql': 'select 1 as id',
    });
    const { code, output } = await strata(dir, 'build');
    expect(code, output).toBe(0);
    const m = manifest(dir);
    expect([m.nodes['model.shop.a'].schema, m.nodes['model.shop.b'].schema, m.nodes['seed.shop.raw'].schema]).toEqual(['marts', 'main', 'main_seeds']);
    expect(await queryProject(dir, 'select count(*)::int as n from marts.a')).toEqual([{ n: 1 }]);
    writeFiles(dir, { 'macros/generate_schema_name.js': 'export function generate_schema_name(custom) { if (custom) return custom; }\n' });
    const bad = await strata(dir, 'parse');
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/generate_schema_name returned undefined for '(b|raw)', not a schema name/);
  });

  it('vars come from project.yml and --vars overrides them', async () => {
    const dir = project({ 'project.yml': projectYml('vars:\n  start: "2024-01-01"\n  region: eu\n'), 'models/m.sql': "select '{{var \"start\"}}' as s, '{{var \"region\"}}' as r, '{{var \"other\" \"dflt\"}}' as o" });
    expect((await strata(dir, 'compile', '--vars', '{start: "2025-06-01"}')).code).toBe(0);
    expect(compiled(dir, 'm')).toBe("select '2025-06-01' as s, 'eu' as r, 'dflt' as o");
  });

  it('macros work as partials, JS and TS helpers, and per-adapter overrides win', async () => {
    const dir = project({
      'macros/cents.js': 'export default function cents(col) { return `(${col} / 100)`; }\nexport function shout(s) { return String(s).toUpperCase(); }',
      'macros/typed.ts': 'export default function typed(n: number): string { return `${n * 2}`; }',
      'macros/positive.sql': '{{column}} > 0 and {{this}} is not null',
      'macros/now_sql.sql': 'now()',
      'macros/duckdb__now_sql.sql': 'current_timestamp',
      'models/m.sql': 'select {{cents "amount"}} as a, \'{{shout "x"}}\' as b, {{typed 21}} as c, {{> now_sql}} as d\nfrom t where {{> positive column="amount"}}',
    });
    const { code, output } = await strata(dir, 'compile');
    expect(code, output).toBe(0);
    expect(compiled(dir, 'm')).toBe("select (amount / 100) as a, 'X' as b, 42 as c, current_timestamp as d\nfrom t where amount > 0 and \"shop\".\"main\".\"m\" is not null");
    expect(manifest(dir).nodes['model.shop.m'].depends_on.macros).toEqual(expect.arrayContaining(['macro.shop.cents', 'macro.shop.positive']));
  });

  it('profiles.yml targets, env secrets and --target', async () => {
    const dir = project({
      'profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      schema: "{{env \\"STRATA_TEST_SCHEMA\\" \\"analytics\\"}}"\n    prod:\n      type: duckdb\n      path: target/prod.duckdb\n      schema: prod\n',
      'models/m.sql': '{{config materialized="table"}}\nselect 1 as id',
    });
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, 'select * from dev.analytics.m', 'target/dev.duckdb')).toEqual([{ id: 1 }]);
    expect((await strata(dir, 'run', '-t', 'prod')).code).toBe(0);
    expect(await queryProject(dir, 'select * from prod.prod.m', 'target/prod.duckdb')).toEqual([{ id: 1 }]);
    const bad = await strata(dir, 'run', '--target', 'prd');
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("did you mean 'prod'?");
  });

  it('an unset environment variable in profiles.yml names the line', async () => {
    const dir = project({
      'profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "{{env \\"STRATA_NO_SUCH_VAR\\"}}"\n',
      'models/m.sql': 'select 1',
    });
    const { code, output } = await strata(dir, 'debug');
    expect(code).toBe(2);
    expect(output).toContain('profiles.yml:6: environment variable STRATA_NO_SUCH_VAR is not set');
  });

  it('ls prints names, paths and JSON', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/sub/b.sql': 'select * from {{ref "a"}}', 'seeds/s.csv': 'x\n1\n' });
    expect((await strata(dir, 'ls', '--output', 'name')).output.trim().split('\n')).toEqual(['a', 'b', 's']);
    expect((await strata(dir, 'ls', '--output', 'path', '-s', 'a+')).output.trim().split('\n')).toEqual(['models/a.sql', 'models/sub/b.sql']);
    const parsed = (await strata(dir, 'ls', '--output', 'json', '-s', 'b')).output.trim();
    expect(JSON.parse(parsed)).toMatchObject({ name: 'b', resource_type: 'model', depends_on: { nodes: ['model.shop.a'] } });
    expect((await strata(dir, 'ls', '--resource-type', 'seed')).output.trim()).toBe('shop.s');
  });

  it('show prints a table of rows, for a model or inline SQL', async () => {
    const dir = project({ 'models/a.sql': "select 1 as id, 'x' as name union all select 2, 'y'" });
    const model = await strata(dir, 'show', '-s', 'a', '--limit', '1');
    expect(model.code, model.output).toBe(0);
    expect(model.output).toContain('| id | name |');
    expect(model.output).toContain('|  1 | x    |');
    expect(model.output).not.toContain('| y');
    expect((await strata(dir, 'run')).code).toBe(0);
    const inline = await strata(dir, 'show', '--inline', 'select count(*)::int as n from {{ref "a"}}', '--output', 'json');
    expect(inline.code, inline.output).toBe(0);
    expect(JSON.parse(inline.output.slice(inline.output.indexOf('{')))).toEqual({ node: 'inline query', show: [{ n: 2 }] });
    const broken = await strata(dir, 'show', '--inline', 'select nope from {{ref "a"}}');
    expect(broken.code).toBe(2);
    expect(broken.output).toContain('--inline: the query failed');
    expect(broken.output).not.toContain('internal error');
    // -1, as in dbt: every row.
    const all = await strata(dir, 'show', '-s', 'a', '--limit', '-1');
    expect(all.code, all.output).toBe(0);
    expect(all.output).toContain('(2 rows, no limit)');
    expect(all.output).toContain('|  2 | y    |');
    expect((await strata(dir, 'show', '-s', 'a', '--limit', '-2')).code).toBe(2);
  });

  it('compile prints the SQL of the nodes --select names, and compile --inline prints an inline query\'s', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': 'select * from {{ref "a"}}', 'models/c.sql': 'select * from {{ref "b"}}' });
    const named = await strata(dir, 'compile', '-s', 'b+');
    expect(named.code, named.output).toBe(0);
    expect(named.output).toContain('Compiled node \'b\' is:\nselect * from "shop"."main"."a"\n');
    // c is compiled (its file is written) but not printed: the selection does not name it.
    expect(named.output).not.toContain("Compiled node 'c'");
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/c.sql'), 'utf8')).toBe('select * from "shop"."main"."b"');
    const json = await strata(dir, 'compile', '-s', 'a', '--output', 'json');
    expect(json.output.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))).toEqual([{ node: 'a', compiled: 'select 1 as id' }]);
    expect((await strata(dir, 'compile')).output).not.toContain('Compiled node');
    const inline = await strata(dir, 'compile', '--inline', 'select count(*) from {{ref "c"}}');
    expect(inline.code, inline.output).toBe(0);
    expect(inline.output).toContain('Compiled inline node is:\nselect count(*) from "shop"."main"."c"\n');
    const bad = await strata(dir, 'compile', '--inline', 'select * from {{ref "d"}}');
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("--inline:1: 'd' does not exist");
  });

  it('debug checks the connection; clean deletes target/', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id' });
    const debug = await strata(dir, 'debug');
    expect(debug.code, debug.output).toBe(0);
    expect(debug.output).toContain('connection: OK');
    // CI has a C compiler, so `npm ci` built the MySQL row parser.
    expect(debug.output).toMatch(process.env.CI ? /MySQL row parser: C\n/ : /MySQL row parser: (C|JavaScript only)/);
    // The AWS SDK's Node warning is said here, once, instead of in the middle of an extract.
    if (Number(process.versions.node.split('.')[0]) < 22) expect(debug.output).toContain('use Node 22 or newer for an S3 lake');
    expect(existsSync(path.join(dir, 'target'))).toBe(true);
    expect((await strata(dir, 'clean')).code).toBe(0);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
  });

  it('disabled models are left out and a ref to one is an error', async () => {
    const dir = project({ 'models/a.sql': '{{config enabled=false}}\nselect 1 as id', 'models/b.sql': 'select 1 as id' });
    expect((await strata(dir, 'run')).code).toBe(0);
    expect(await queryProject(dir, "select table_name from information_schema.tables where table_name in ('a','b')")).toEqual([{ table_name: 'b' }]);
  });
});
