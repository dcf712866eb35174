import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDuckDBAdapter } from '../adapters/duckdb/duckdb-adapter.js';
import type { Adapter } from '../core/adapter/adapter.js';
import type { CompileOptions } from '../core/compile/compiler.js';
import { loadProject, type Project } from '../core/project/load-project.js';
import { readProjectFile } from '../core/project/project-file.js';
import { readUnitTests } from '../core/unit-tests/read-unit-tests.js';
import { runUnitTest } from '../core/unit-tests/run-unit-test.js';
import { UNIT_TEST_TARGET, type UnitTestNode } from '../core/unit-tests/unit-test-node.js';
import { tempProjects } from './harness.js';

const project = tempProjects();
const adapters: Adapter[] = [];
afterEach(async () => {
  while (adapters.length) await adapters.pop()!.close();
});

const compileOptions: CompileOptions = { target: { name: 'dev', type: 'duckdb', schema: 'main', database: 'shop' }, invocationId: 'unit', runStartedAt: new Date(0) };

/** Builds a project, parses it as for the project's own target, and opens the in-memory DuckDB unit tests run on. */
async function setUp(files: Record<string, string>) {
  const dir = project(files);
  const adapter = createDuckDBAdapter({ target: UNIT_TEST_TARGET, targetName: 'unit', projectRoot: dir, threads: 1 });
  adapters.push(adapter);
  await adapter.open();
  // Relation names come from the project's target (the file DuckDB), as they would in `strata test`.
  const loaded: Project = await loadProject({
    project: readProjectFile(dir),
    naming: { adapterType: 'duckdb', sql: adapter.sql, defaultDatabase: 'shop', defaultSchema: 'main' },
  });
  const tests = readUnitTests(loaded);
  const run = (name: string) => {
    const node = tests.find((t) => t.name === name);
    if (!node) throw new Error(`no unit test ${name}`);
    return runUnitTest({ project: loaded, node, adapter, compileOptions });
  };
  return { dir, adapter, tests, run };
}

const ORDERS = {
  'models/staging/stg_orders.sql': 'select id as order_id, status, ordered_at from {{source "shop" "orders"}}',
  'models/staging/stg_payments.sql': 'select order_id, amount_cents / 100.0 as amount from {{source "shop" "payments"}}',
  'models/staging/sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n      - name: payments\n',
  'models/marts/fct_orders.sql': [
    'with paid as (',
    '  select order_id, sum(amount) as paid_amount from {{ref "stg_payments"}} group by order_id',
    ')',
    'select o.order_id, o.status, coalesce(p.paid_amount, 0) as paid_amount,',
    "  o.status in ('shipped', 'delivered') and p.paid_amount is not null as is_paid",
    'from {{ref "stg_orders"}} as o',
    'left join paid as p using (order_id)',
  ].join('\n'),
};

const GIVEN = `
    given:
      - input: ref('stg_orders')
        rows:
          - {order_id: 1, status: shipped}
          - {order_id: 2, status: placed}
          - {order_id: 3, status: delivered}
      - input: ref('stg_payments')
        rows:
          - {order_id: 1, amount: 10.5}
          - {order_id: 1, amount: 4.5}
          - {order_id: 2, amount: 3}
`;

describe('unit tests on an in-memory DuckDB', () => {
  it('a model over given rows passes, comparing only the expected columns in any order, and builds nothing', async () => {
    const { dir, adapter, run } = await setUp({
      ...ORDERS,
      'models/marts/unit.yml': `unit_tests:
  - name: test_is_paid
    model: fct_orders${GIVEN}
    expect:
      rows:
        - {order_id: 3, is_paid: false}
        - {order_id: 1, is_paid: true}
        - {order_id: 2, is_paid: false}
`,
    });
    const result = await run('test_is_paid');
    expect(result).toMatchObject({ unique_id: 'unit_test.shop.fct_orders.test_is_paid', status: 'pass', message: null, failures: 0, compiled: true });
    // The model's own WITH clause takes the inputs in front of its CTEs.
    expect(result.compiled_code).toMatch(/^with __strata_input_stg_orders as \(\nselect 1 as "order_id", 'shipped' as "status"\nunion all\n/);
    expect(result.compiled_code).toMatch(/\),\n__strata_input_stg_payments as \([\s\S]*\), paid as \(/);
    expect(result.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(await adapter.listRelations(null, 'main')).toEqual([]);
    expect(existsSync(path.join(dir, 'target', 'shop.duckdb'))).toBe(false);
  });

  it('a failing test says which rows differ: expected and missing (-), returned and unexpected (+)', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'models/marts/unit.yml': `unit_tests:
  - name: test_amounts
    model: fct_orders${GIVEN}
    expect:
      rows:
        - {order_id: 1, paid_amount: 15}
        - {order_id: 2, paid_amount: 30}
        - {order_id: 3, paid_amount: 0}
        - {order_id: 3, paid_amount: 0}
`,
    });
    const result = await run('test_amounts');
    expect(result.status).toBe('fail');
    expect(result.failures).toBe(3);
    expect(result.message).toBe(
      [
        'actual differs from expected: 2 expected rows missing (-), 1 unexpected row (+)',
        '  order_id | paid_amount',
        '- 2        | 30.0',
        '+ 2        | 3.0',
        '- 3        | 0.0',
      ].join('\n'),
    );
  });

  it('csv and sql inputs, with dates typed as dates, and csv expected rows', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'models/marts/monthly.sql': [
        "select date_trunc('month', o.ordered_at) as month, count(*) as orders, sum(t.items_amount) as amount",
        'from {{ref "stg_orders"}} o join {{ref "int_totals"}} t using (order_id)',
        'group by 1',
      ].join('\n'),
      'models/marts/int_totals.sql': 'select 1 as order_id, 1.0 as items_amount',
      'models/marts/unit.yml': `unit_tests:
  - name: test_monthly
    model: monthly
    given:
      - input: ref('stg_orders')
        format: csv
        rows: |
          order_id,status,ordered_at
          1,shipped,2024-01-05
          2,placed,2024-01-20
          3,placed,2024-02-01
      - input: ref('int_totals')
        format: sql
        rows: |
          select * from (values (1, 10.5), (2, 1.5), (3, 7)) as t(order_id, items_amount);
    expect:
      format: csv
      rows: |
        month,orders,amount
        2024-02-01,1,7
        2024-01-01,2,12
`,
    });
    const result = await run('test_monthly');
    expect(result.message).toBeNull();
    expect(result.status).toBe('pass');
  });

  it('rows from fixture files, and expected rows as a sql query', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'tests/fixtures/orders.csv': 'order_id,status\n1,shipped\n2,placed\n',
      'tests/fixtures/payments/payments.sql': 'select 1 as order_id, 20.25 as amount',
      'models/marts/unit.yml': `unit_tests:
  - name: test_from_files
    model: fct_orders
    given:
      - input: ref('stg_orders')
        format: csv
        fixture: orders
      - input: ref('stg_payments')
        format: sql
        fixture: payments
    expect:
      format: sql
      rows: |
        select 1 as order_id, 20.25 as paid_amount, true as is_paid
        union all
        select 2, 0, false
`,
    });
    const result = await run('test_from_files');
    expect(result.message).toBeNull();
    expect(result.status).toBe('pass');
  });

  it('source inputs replace sources; a given seed wins over its file, and an ungiven seed reads its file', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'seeds/status_labels.csv': 'status,label\nshipped,On its way\nplaced,Received\n',
      'models/staging/labelled.sql': 'select o.id, l.label from {{source "shop" "orders"}} o left join {{ref "status_labels"}} l using (status)',
      'models/staging/unit.yml': `unit_tests:
  - name: test_from_seed_file
    model: labelled
    given:
      - input: source('shop', 'orders')
        rows: [{id: 7, status: shipped}, {id: 8, status: lost}]
    expect:
      rows: [{id: 7, label: On its way}, {id: 8, label: null}]
  - name: test_given_seed
    model: labelled
    given:
      - input: source("shop", "orders")
        rows: [{id: 7, status: shipped}]
      - input: ref('status_labels')
        rows: [{status: shipped, label: Sent}]
    expect:
      rows: [{id: 7, label: Sent}]
`,
    });
    expect((await run('test_from_seed_file')).status).toBe('pass');
    const given = await run('test_given_seed');
    expect(given.status).toBe('pass');
    expect(given.compiled_code).toContain('from __strata_input_shop__orders o left join __strata_input_status_labels l');
  });

  it('overrides set vars and is_incremental, and `this` stands for the rows already in the model', async () => {
    const incremental = {
      'models/events.sql': [
        '{{config materialized="incremental" unique_key="id"}}',
        'select id, ts from {{source "shop" "orders"}}',
        "where ts >= '{{var \"start_date\"}}'",
        '{{#if (is_incremental)}}and ts > (select max(ts) from {{this}}){{/if}}',
      ].join('\n'),
      'models/staging/sources.yml': ORDERS['models/staging/sources.yml'],
    };
    const given = `
    given:
      - input: source('shop', 'orders')
        rows:
          - {id: 1, ts: "2019-06-01 00:00:00"}
          - {id: 2, ts: "2020-06-01 00:00:00"}
          - {id: 3, ts: "2021-06-01 00:00:00"}
      - input: this
        rows: [{id: 2, ts: "2020-06-01 00:00:00"}]`;
    const { run } = await setUp({
      ...incremental,
      'models/unit.yml': `unit_tests:
  - name: test_full_refresh
    model: events${given}
    overrides: {vars: {start_date: "2020-01-01"}}
    expect:
      rows: [{id: 2}, {id: 3}]
  - name: test_incremental
    model: events${given}
    overrides:
      vars: {start_date: "2020-01-01"}
      macros: {is_incremental: true}
    expect:
      rows: [{id: 3}]
`,
    });
    expect((await run('test_full_refresh')).message).toBeNull();
    const result = await run('test_incremental');
    expect(result.message).toBeNull();
    expect(result.compiled_code).toContain('and ts > (select max(ts) from __strata_input_this)');
  });

  it('macros and environment variables can be overridden', async () => {
    const { run } = await setUp({
      'macros/today.js': "export default function today() { return \"date '1999-01-01'\"; }",
      'macros/region.sql': "'eu'",
      'models/stamped.sql': "select {{today}} as loaded_on, {{> region}} as region, '{{env \"STRATA_UNIT_COUNTRY\"}}' as country",
      'models/unit.yml': `unit_tests:
  - name: test_stamped
    model: stamped
    overrides:
      macros: {today: "date '2024-03-01'", region: "'us'"}
      env_vars: {STRATA_UNIT_COUNTRY: fr}
    expect:
      rows: [{loaded_on: 2024-03-01, region: us, country: fr}]
`,
    });
    const result = await run('test_stamped');
    expect(result.message).toBeNull();
    expect(result.status).toBe('pass');
  });

  it('an ephemeral parent is inlined over the rows given for its own inputs', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'models/marts/int_shipped.sql': "{{config materialized=\"ephemeral\"}}\nselect * from {{ref \"stg_orders\"}} where status = 'shipped'",
      'models/marts/shipped_count.sql': 'select count(*) as n from {{ref "int_shipped"}}',
      'models/marts/unit.yml': `unit_tests:
  - name: test_through_ephemeral
    model: shipped_count
    given:
      - input: ref('stg_orders')
        rows: [{order_id: 1, status: shipped}, {order_id: 2, status: placed}, {order_id: 3, status: shipped}]
    expect:
      rows: [{n: 2}]
  - name: test_ephemeral_given
    model: shipped_count
    given:
      - input: ref('int_shipped')
        rows: [{order_id: 1}]
    expect:
      rows: [{n: 1}]
`,
    });
    const through = await run('test_through_ephemeral');
    expect(through.message).toBeNull();
    expect(through.compiled_code).toMatch(/^with __strata_input_stg_orders as \([\s\S]*\), __strata__cte__int_shipped as \(\nselect \* from __strata_input_stg_orders where/);
    expect((await run('test_ephemeral_given')).status).toBe('pass');
  });

  it('an empty input and an empty expectation: no rows in, no rows out', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'models/staging/stg_orders.yml': 'version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: order_id\n        data_type: integer\n      - name: status\n',
      'models/marts/unit.yml': `unit_tests:
  - name: test_nothing
    model: fct_orders
    given:
      - input: ref('stg_orders')
        rows: []
      - input: ref('stg_payments')
        format: sql
        rows: select 1 as order_id, 2.0 as amount where false
    expect:
      rows: []
  - name: test_something_expected
    model: fct_orders
    given:
      - input: ref('stg_orders')
        rows: []
      - input: ref('stg_payments')
        rows: [{order_id: 1, amount: 2}]
    expect:
      rows: [{order_id: 1}]
`,
    });
    expect((await run('test_nothing')).status).toBe('pass');
    const failed = await run('test_something_expected');
    expect(failed.status).toBe('fail');
    expect(failed.message).toContain('- 1');
  });

  it('a model that fails on the given rows is an error, with the database message', async () => {
    const { run } = await setUp({
      ...ORDERS,
      'models/marts/unit.yml': `unit_tests:
  - name: test_missing_column
    model: fct_orders
    given:
      - input: ref('stg_orders')
        rows: [{order_id: 1}]
      - input: ref('stg_payments')
        rows: [{order_id: 1, amount: 1}]
    expect:
      rows: [{order_id: 1}]
  - name: test_unknown_expected_column
    model: fct_orders${GIVEN}
    expect:
      rows: [{order_id: 1, paid: true}]
`,
    });
    const result = await run('test_missing_column');
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^the model 'fct_orders' failed on the given rows: .*status/);
    const unknown = await run('test_unknown_expected_column');
    expect(unknown.status).toBe('error');
    expect(unknown.message).toBe("expect names column 'paid', which 'fct_orders' does not return\n  hint: it returns order_id, status, paid_amount, is_paid");
  });

  it('reads every test of the project, each depending on its model', async () => {
    const { tests } = await setUp({
      ...ORDERS,
      'models/marts/unit.yml': `unit_tests:\n  - name: a\n    model: fct_orders${GIVEN}    expect: {rows: []}\n  - name: b\n    model: stg_orders\n    given: [{input: "source('shop', 'orders')", rows: [{id: 1}]}]\n    expect: {rows: []}\n`,
    });
    expect(tests.map((t: UnitTestNode) => [t.unique_id, t.depends_on.nodes])).toEqual([
      ['unit_test.shop.fct_orders.a', ['model.shop.fct_orders']],
      ['unit_test.shop.stg_orders.b', ['model.shop.stg_orders']],
    ]);
  });
});
