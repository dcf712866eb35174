import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { loadProject } from '../project/load-project.js';
import { readProjectFile } from '../project/project-file.js';
import { readUnitTests } from './read-unit-tests.js';

const roots: string[] = [];
afterEach(() => {
  while (roots.length) rmSync(roots.pop()!, { recursive: true, force: true });
});

const MODELS = {
  'models/stg_orders.sql': 'select 1 as order_id',
  'models/stg_payments.sql': 'select 1 as order_id, 10 as amount',
  'models/fct_orders.sql': 'select o.order_id, p.amount from {{ref "stg_orders"}} o\njoin {{ref "stg_payments"}} p using (order_id)',
};

async function load(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-unit-tests-'));
  roots.push(root);
  for (const [file, text] of Object.entries({ 'project.yml': 'name: shop\n', ...MODELS, ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.schema, r.identifier].map((p) => `"${p}"`).join('.') }, defaultDatabase: null, defaultSchema: 'main' },
  });
}

/** Lines of a YAML text, so that tests can say which line an error must point at. */
function yaml(lines: string[]): string {
  return lines.join('\n') + '\n';
}

async function errorOf(files: Record<string, string>): Promise<UserError> {
  const project = await load(files);
  try {
    readUnitTests(project);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('readUnitTests did not fail');
}

const GOOD_GIVEN = [
  '    given:',
  "      - input: ref('stg_orders')",
  '        rows:',
  '          - {order_id: 1}',
  '      - input: ref("stg_payments")',
  '        rows: [{order_id: 1, amount: 10}]',
];

describe('readUnitTests', () => {
  it('reads a unit test into a node in the shape of dbt manifest unit_tests', async () => {
    const project = await load({
      'models/marts/tests.yml': yaml([
        'unit_tests:',
        '  - name: test_amounts',
        '    description: amounts carry over',
        '    model: fct_orders',
        ...GOOD_GIVEN,
        '    expect:',
        '      format: csv',
        '      rows: |',
        '        order_id,amount',
        '        1,10',
        '    overrides:',
        '      vars: {start: "2020-01-01"}',
        '      macros: {is_incremental: true}',
        '    config: {tags: [unit, finance], meta: {owner: ana}}',
      ]),
    });
    const [test, ...rest] = readUnitTests(project);
    expect(rest).toEqual([]);
    expect(test).toMatchObject({
      unique_id: 'unit_test.shop.fct_orders.test_amounts',
      resource_type: 'unit_test',
      name: 'test_amounts',
      model: 'fct_orders',
      description: 'amounts carry over',
      original_file_path: 'models/marts/tests.yml',
      path: 'marts/tests.yml',
      // As in dbt: the folders of the YAML file (not of the model), then the model and the test.
      fqn: ['shop', 'marts', 'fct_orders', 'test_amounts'],
      depends_on: { nodes: ['model.shop.fct_orders'], macros: [] },
      tags: ['unit', 'finance'],
      given: [
        { input: "ref('stg_orders')", rows: [{ order_id: 1 }], format: 'dict', fixture: null },
        { input: 'ref("stg_payments")', rows: [{ order_id: 1, amount: 10 }], format: 'dict', fixture: null },
      ],
      expect: { rows: 'order_id,amount\n1,10\n', format: 'csv', fixture: null },
      overrides: { vars: { start: '2020-01-01' }, macros: { is_incremental: true }, env_vars: {} },
    });
    expect(test.config).toMatchObject({ enabled: true, tags: ['unit', 'finance'], meta: { owner: 'ana' } });
    expect(JSON.parse(JSON.stringify(test)).given).toHaveLength(2);
  });

  it('leaves out disabled unit tests and those of disabled models', async () => {
    const project = await load({
      'models/old.sql': '{{config enabled=false}}\nselect 1 as id',
      'models/tests.yml': yaml([
        'unit_tests:',
        '  - name: off',
        '    model: fct_orders',
        '    config: {enabled: false}',
        '    expect: {rows: []}',
        '  - name: of_disabled_model',
        '    model: old',
        '    expect: {rows: []}',
      ]),
    });
    expect(readUnitTests(project)).toEqual([]);
  });

  it("applies project.yml's unit_tests: configs by fqn, under the test's own, and reports paths that apply to nothing", async () => {
    const entry = (name: string, config = '') => ['  - name: ' + name, '    model: stg_orders', '    expect: {rows: []}', ...(config ? ['    config: ' + config] : [])];
    const project = await load({
      'project.yml': yaml([
        'name: shop',
        'unit_tests:',
        '  shop:',
        '    +tags: [unit]',
        '    marts:',
        '      +meta: {owner: finance}',
        '      stg_orders:',
        '        slow_one: {+enabled: false}',
        '    legacy:',
        '      +enabled: false',
      ]),
      'models/marts/tests.yml': yaml(['unit_tests:', ...entry('quick'), ...entry('slow_one'), ...entry('own_tags', '{tags: [mine]}')]),
      'models/other.yml': yaml(['unit_tests:', ...entry('elsewhere', '{enabled: true}')]),
    });
    const tests = readUnitTests(project);
    expect(tests.map((t) => t.name)).toEqual(['quick', 'own_tags', 'elsewhere']);
    const byName = Object.fromEntries(tests.map((t) => [t.name, t]));
    expect(byName.quick.config).toMatchObject({ enabled: true, tags: ['unit'], meta: { owner: 'finance' } });
    expect(byName.quick.tags).toEqual(['unit']);
    // Tags add up, as dbt's do.
    expect(byName.own_tags.config.tags).toEqual(['unit', 'mine']);
    expect(byName.elsewhere.config).toMatchObject({ tags: ['unit'], meta: {} });
    expect(project.unusedConfigPaths).toEqual([{ path: 'unit_tests.shop.legacy', file: 'project.yml', line: 9 }]);
  });

  it("refuses a misspelled key in project.yml's unit_tests:", async () => {
    const project = await load({
      'project.yml': yaml(['name: shop', 'unit_tests:', '  shop:', '    +tag: [unit]']),
      'models/tests.yml': yaml(['unit_tests:', '  - name: t', '    model: stg_orders', '    expect: {rows: []}']),
    });
    expect(() => readUnitTests(project)).toThrow(/unknown config key 'tag' for a unit test/);
  });

  it('reads rows from a fixture file under tests/fixtures', async () => {
    const project = await load({
      'tests/fixtures/nested/orders.csv': 'order_id\n1\n2\n',
      'models/tests.yml': yaml([
        'unit_tests:',
        '  - name: t',
        '    model: fct_orders',
        '    given:',
        "      - input: ref('stg_orders')",
        '        format: csv',
        '        fixture: orders',
        "      - input: ref('stg_payments')",
        '        format: sql',
        '        rows: select 1 as order_id, 2 as amount',
        '    expect: {rows: []}',
      ]),
    });
    const [test] = readUnitTests(project);
    expect(test.given[0]).toEqual({ input: "ref('stg_orders')", rows: 'order_id\n1\n2\n', format: 'csv', fixture: 'orders' });
  });

  it('does not ask for seeds: their file stands in', async () => {
    const project = await load({
      'seeds/countries.csv': 'code,name\nfr,France\n',
      'models/dim.sql': 'select * from {{ref "countries"}} join {{ref "stg_orders"}} on true',
      'models/tests.yml': yaml(['unit_tests:', '  - name: t', '    model: dim', '    given:', "      - input: ref('stg_orders')", '        rows: [{order_id: 1}]', '    expect: {rows: []}']),
    });
    expect(readUnitTests(project)).toHaveLength(1);
  });

  it('accepts an ephemeral parent as an input, or the inputs it reads instead', async () => {
    const files = {
      'models/int_paid.sql': '{{config materialized="ephemeral"}}\nselect * from {{ref "stg_payments"}} where amount > 0',
      'models/fct_paid.sql': 'select * from {{ref "int_paid"}}',
    };
    const test = (input: string) => ({
      ...files,
      'models/tests.yml': yaml(['unit_tests:', '  - name: t', '    model: fct_paid', '    given:', `      - input: ${input}`, '        rows: [{order_id: 1, amount: 10}]', '    expect: {rows: []}']),
    });
    expect(readUnitTests(await load(test("ref('int_paid')")))).toHaveLength(1);
    expect(readUnitTests(await load(test("ref('stg_payments')")))).toHaveLength(1);
  });
});

describe('readUnitTests errors name the YAML file and line', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['an unknown model', ['unit_tests:', '  - name: t', '    model: fct_order', ...GOOD_GIVEN, '    expect: {rows: []}'], 3, /there is no model named 'fct_order'/],
    ['an input the model does not read', ['unit_tests:', '  - name: t', '    model: stg_orders', '    given:', "      - input: ref('stg_payments')", '        rows: [{order_id: 1}]', '    expect: {rows: []}'], 5, /'stg_orders' does not read ref\('stg_payments'\)/],
    ['a missing expect', ['unit_tests:', '  - name: t', '    model: fct_orders', ...GOOD_GIVEN], 2, /unit test 't' has no 'expect'/],
    ['an input it reads but does not give', ['unit_tests:', '  - name: t', '    model: fct_orders', '    given:', "      - input: ref('stg_orders')", '        rows: [{order_id: 1}]', '    expect: {rows: []}'], 4, /'fct_orders' reads ref\('stg_payments'\), which the test gives no rows for/],
    ['a row that is not a mapping', ['unit_tests:', '  - name: t', '    model: fct_orders', '    given:', "      - input: ref('stg_orders')", '        rows:', '          - {order_id: 1}', '          - 2', "      - input: ref('stg_payments')", '        rows: [{order_id: 1}]', '    expect: {rows: []}'], 8, /row 2 is not a mapping/],
    ['a value that is a list', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect:', '      rows:', '        - {order_id: [1, 2]}'], 6, /the value of 'order_id' is a list/],
    ['a CSV row with too many values', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect:', '      format: csv', '      rows: |', '        order_id,amount', '        1,10', '        2,20,30'], 9, /a CSV row has 3 values for 2 columns/],
    ['csv rows that are not a text', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect:', '      format: csv', '      rows: [{order_id: 1}]'], 6, /with format: csv, 'rows' must be a CSV text/],
    ['an unknown format', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect:', '      format: cvs', '      rows: "a\\n1"'], 5, /unknown format 'cvs'.*\n.*did you mean 'csv'/],
    ['an input that is not a call', ['unit_tests:', '  - name: t', '    model: fct_orders', '    given:', '      - input: ref(stg_orders)', '        rows: []', '    expect: {rows: []}'], 5, /must be quoted names/],
    ['an input given twice', ['unit_tests:', '  - name: t', '    model: fct_orders', ...GOOD_GIVEN, "      - input: ref('stg_orders')", '        rows: [{order_id: 2}]', '    expect: {rows: []}'], 10, /ref\('stg_orders'\) is given twice/],
    ['an empty input whose columns are unknown', ['unit_tests:', '  - name: t', '    model: fct_orders', '    given:', "      - input: ref('stg_orders')", '        rows: []', "      - input: ref('stg_payments')", '        rows: [{order_id: 1}]', '    expect: {rows: []}'], 6, /columns of this input are not known/],
    ['a misspelt key', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expected: {rows: []}'], 4, /unknown key 'expected'.*\n.*did you mean 'expect'/],
    ['an unknown macro override', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect: {rows: []}', '    overrides:', '      macros:', '        is_incremetal: true'], 7, /no macro named 'is_incremetal'.*\n.*did you mean 'is_incremental'/],
    ['a missing fixture file', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect:', '      format: csv', '      fixture: nothing_here'], 6, /no fixture file nothing_here\.csv under tests\/fixtures\//],
    ['two tests of one name', ['unit_tests:', '  - name: t', '    model: stg_orders', '    expect: {rows: []}', '  - name: t', '    model: stg_orders', '    expect: {rows: []}'], 5, /two unit tests named 't'/],
  ];
  for (const [what, lines, line, message] of cases) {
    it(`for ${what}`, async () => {
      const error = await errorOf({ 'models/staging/unit.yml': yaml(lines) });
      expect(error.file).toBe('models/staging/unit.yml');
      expect(error.line).toBe(line);
      expect(error.format()).toMatch(message);
    });
  }

  it('for a bad CSV line in a fixture file, the fixture file and its line', async () => {
    const error = await errorOf({
      'tests/fixtures/bad.csv': 'order_id,amount\n1,2\n3\n',
      'models/unit.yml': yaml(['unit_tests:', '  - name: t', '    model: stg_orders', '    expect:', '      format: csv', '      fixture: bad']),
    });
    expect([error.file, error.line]).toEqual(['tests/fixtures/bad.csv', 3]);
  });

  it('for an input missing behind an ephemeral parent, which one it comes through', async () => {
    const error = await errorOf({
      'models/int_paid.sql': '{{config materialized="ephemeral"}}\nselect * from {{ref "stg_payments"}}',
      'models/fct_paid.sql': 'select * from {{ref "int_paid"}}',
      'models/unit.yml': yaml(['unit_tests:', '  - name: t', '    model: fct_paid', '    expect: {rows: []}']),
    });
    expect(error.line).toBe(2);
    expect(error.format()).toMatch(/reads ref\('stg_payments'\) \(through the ephemeral model 'int_paid', which it inlines\)/);
    expect(error.hint).toMatch(/or give ref\('int_paid'\) itself/);
  });
});
