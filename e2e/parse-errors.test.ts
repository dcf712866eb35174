import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectYml, strata, tempProjects, writeFiles } from './harness.js';

const project = tempProjects();
const bare = tempProjects({});

describe('mistakes in a project get one clear message naming file and line', () => {
  it('a ref to a model that does not exist', async () => {
    const dir = project({ 'models/orders.sql': 'select 1 as id', 'models/report.sql': 'select *\nfrom {{ref "ordres"}}' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/report.sql:2: 'report' refers to 'ordres', which does not exist");
    expect(output).toContain("did you mean 'orders'?");
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('a cycle prints the cycle', async () => {
    const dir = project({
      'models/a.sql': 'select * from {{ref "c"}}',
      'models/b.sql': 'select * from {{ref "a"}}',
      'models/c.sql': 'select * from {{ref "b"}}',
    });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    // a refs c, b refs a, c refs b: data flows a -> b -> c -> a.
    expect(output).toMatch(/dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/);
  });

  it('a misspelled config key in a template suggests the right one', async () => {
    const dir = project({ 'models/a.sql': '-- orders\n{{config materialized="incremental" uniqe_key="id"}}\nselect 1 as id' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/a.sql:2: unknown config key 'uniqe_key' for a model");
    expect(output).toContain("did you mean 'unique_key'?");
  });

  it('a misspelled folder config in project.yml suggests the right one', async () => {
    const dir = project({
      'project.yml': projectYml('models:\n  shop:\n    staging:\n      +materialzed: table\n'),
      'models/staging/a.sql': 'select 1 as id',
    });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain('project.yml:6: ');
    expect(output).toContain("'+materialized'");
  });

  it('a folder config for a folder that does not exist', async () => {
    const dir = project({ 'project.yml': projectYml('models:\n  shop:\n    stagign:\n      +materialized: table\n'), 'models/staging/a.sql': 'select 1 as id' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain('project.yml:5: ');
    expect(output).toContain("did you mean 'staging'?");
  });

  it('a folder config for a folder the project does not have (yet) is warned of, as dbt does, and --warn-error fails', async () => {
    const dir = project({
      'project.yml': projectYml('models:\n  shop:\n    +materialized: table\n    finance:\n      +schema: finance\n'),
      'models/staging/a.sql': 'select 1 as id',
    });
    const { code, output } = await strata(dir, 'compile');
    expect(code).toBe(0);
    expect(output).toContain('Configuration paths exist in project.yml which do not apply to any resources.');
    expect(output).toContain('There is 1 unused configuration path:\n');
    expect(output).toContain('- models.shop.finance (project.yml:6)');
    // The rest of the tree still applies.
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/staging/a.sql'), 'utf8')).toContain('select 1');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.shop.a'].config.materialized).toBe('table');
    const strict = await strata(dir, 'parse', '--warn-error');
    expect(strict.code).toBe(2);
    expect(strict.output).toContain('--warn-error: 1 warning above, treated as error');
  });

  it('a bad materialization value', async () => {
    const dir = project({ 'models/a.sql': '{{config materialized="tabel"}}\nselect 1 as id' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain('models/a.sql:1: ');
    expect(output).toContain("did you mean 'table'?");
  });

  it('a template syntax error', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id\n{{#if (is_incremental)}}\nwhere x > 1\n' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toMatch(/models\/a\.sql:\d+: /);
  });

  it("a model in dbt's Jinja is refused with the Handlebars to write, in models, macros and tests", async () => {
    const dir = project({
      'models/a.sql': "{{ config(materialized='table') }}\nselect 1 as id",
      'models/b.sql': 'select 1 as id\n{% if is_incremental() %}\nwhere id > 1\n{% endif %}\n',
    });
    const first = await strata(dir, 'parse');
    expect(first.code).toBe(2);
    expect(first.output).toContain("models/a.sql:1: {{ config(materialized='table') }} is Jinja (dbt's template syntax)");
    expect(first.output).toContain('hint: write {{config materialized="table"}}');
    writeFiles(dir, { 'models/a.sql': '{{config materialized="table"}}\nselect 1 as id' });
    const second = await strata(dir, 'parse');
    expect(second.code).toBe(2);
    expect(second.output).toContain('models/b.sql:2: {% if is_incremental() %} is a Jinja tag');
    expect(second.output).toContain('hint: write {{#if (is_incremental)}} ... {{/if}}');
    writeFiles(dir, { 'models/b.sql': 'select 1 as id', 'macros/cents.sql': '{% macro cents(col) %}{{col}} / 100{% endmacro %}' });
    const third = await strata(dir, 'build');
    expect(third.code).toBe(2);
    expect(third.output).toContain('macros/cents.sql:1: {% macro cents(col) %} is a Jinja tag');
    expect(third.output).toContain('hint: a macro is a partial, macros/cents.sql used as {{> cents arg="..."}}');
    writeFiles(dir, { 'macros/cents.sql': '{{col}} / 100', 'tests/t.sql': 'select 1 as id\n{# none #}where false' });
    const fourth = await strata(dir, 'build');
    expect(fourth.code).toBe(2);
    expect(fourth.output).toContain('tests/t.sql:2: {# none #} is a Jinja comment');
    expect(fourth.output).not.toMatch(/\n\s+at /);
  });

  it('a YAML syntax error', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: "open\n  - name: b\n' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toMatch(/models\/schema\.yml:\d+: invalid YAML/);
  });

  it('a property entry for a model that does not exist', async () => {
    const dir = project({ 'models/orders.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: order\n    description: x\n' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/schema.yml:3: no model named 'order'");
    expect(output).toContain("did you mean 'orders'?");
  });

  it('a bad config key in a YAML config block', async () => {
    const dir = project({ 'models/orders.sql': 'select 1 as id', 'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    config:\n      materialised: table\n' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/schema.yml:5: unknown config key 'materialised'");
  });

  it('a source that is not declared', async () => {
    const dir = project({
      'models/a.sql': 'select * from {{source "shop" "ordrs"}}',
      'models/sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
    });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/a.sql:1: 'a' uses source 'shop.ordrs', which is not declared");
    expect(output).toContain("did you mean 'shop.orders'?");
  });

  it('a ref with a variable instead of a literal', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'models/b.sql': '\n\nselect * from {{ref name}}' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toMatch(/models\/b\.sql:3: /);
  });

  it('two models with the same name', async () => {
    const dir = project({ 'models/a/orders.sql': 'select 1 as id', 'models/b/orders.sql': 'select 2 as id' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("two resources are named 'orders'");
  });

  it('a required var that is not set names the model line', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id\nwhere d > {{var "start_dat"}}' });
    const { code, output } = await strata(dir, 'compile');
    expect(code).toBe(2);
    expect(output).toContain("models/a.sql:2: required var 'start_dat' is not set");
  });

  it('a JS macro with a syntax error names its line; a macro that throws names the model line', async () => {
    const broken = project({ 'macros/money.js': 'export function ok() { return 1; }\n\nexport default function money(c) { return c +; }\n', 'models/a.sql': 'select 1' });
    let result = await strata(broken, 'parse');
    expect(result.code).toBe(2);
    expect(result.output).toContain('macros/money.js:3: macro module failed to load: ');
    const throwing = project({ 'macros/money.js': 'export default function money(c) { throw new Error(`cannot convert ${c}`); }\n', 'models/a.sql': 'select 1,\n  {{money "amount"}} as m' });
    result = await strata(throwing, 'compile');
    expect(result.code).toBe(2);
    expect(result.output).toContain('models/a.sql:2: cannot convert amount');
  });

  it('no project.yml', async () => {
    const dir = bare({ 'models/a.sql': 'select 1' });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain('no project.yml');
  });

  it('an unknown selector method', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id' });
    const { code, output } = await strata(dir, 'compile', '--select', 'tags:nightly');
    expect(code).toBe(2);
    expect(output).toContain("did you mean 'tag'?");
  });

  it('an unknown command option is a usage error', async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id' });
    const { code } = await strata(dir, 'run', '--no-such-flag');
    expect(code).toBe(2);
  });
});
