import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects, writeFiles } from './harness.js';

const project = tempProjects();

/** The YAML entry of model `orders` with an enforced contract; `columns` is the YAML list under `columns:`. */
function ordersYml(columns: string, extra = ''): string {
  return `version: 2
models:
  - name: orders
    config:
      contract: {enforced: true}
${extra}    columns:
${columns}`;
}

const ORDERS_COLUMNS = `      - name: order_id
        data_type: int
        constraints:
          - type: not_null
          - type: primary_key
      - name: customer
        data_type: text
      - name: amount
        data_type: decimal(10, 2)
        constraints:
          - type: check
            expression: "amount >= 0"
`;

const GOOD_ORDERS = `{{config materialized="table"}}
select 'ann' as customer, 1 as order_id, 12.50::decimal(10,2) as amount
union all select 'bob', 2, 3.00`;

const tables = (dir: string) => queryProject(dir, "select table_name from information_schema.tables where table_name like 'orders%' order by 1");
const ordersRows = (dir: string) => queryProject(dir, 'select order_id, customer, amount from orders order by order_id');
const runLog = (dir: string, model = 'orders') => readFileSync(path.join(dir, 'target/run/shop/models', `${model}.sql`), 'utf8');

describe('model contracts', () => {
  it('a table that matches its contract is built with the declared columns, order and constraints', async () => {
    const dir = project({ 'models/orders.sql': GOOD_ORDERS, 'models/orders.yml': ordersYml(ORDERS_COLUMNS) });
    const { code, output } = await strata(dir, 'run');
    expect(code, output).toBe(0);
    expect(output).toMatch(/OK created sql table model main\.orders .*CREATE TABLE \(2 rows\)/);
    const columns = await queryProject(dir, "select column_name, data_type, is_nullable from information_schema.columns where table_name = 'orders' order by ordinal_position");
    expect(columns).toEqual([
      { column_name: 'order_id', data_type: 'INTEGER', is_nullable: 'NO' },
      { column_name: 'customer', data_type: 'VARCHAR', is_nullable: 'YES' },
      { column_name: 'amount', data_type: 'DECIMAL(10,2)', is_nullable: 'YES' },
    ]);
    const constraints = await queryProject(dir, "select constraint_type from duckdb_constraints() where table_name = 'orders' order by 1");
    expect(constraints.map((c) => c.constraint_type)).toEqual(['CHECK', 'NOT NULL', 'PRIMARY KEY']);
    expect(runLog(dir)).toContain('"order_id" int not null primary key');
    expect(await ordersRows(dir)).toEqual([
      { order_id: 1, customer: 'ann', amount: '12.50' },
      { order_id: 2, customer: 'bob', amount: '3.00' },
    ]);

    // A table with a primary key is replaced on the next run just like any other.
    writeFiles(dir, { 'models/orders.sql': GOOD_ORDERS.replace("'bob', 2", "'cy', 3") });
    const again = await strata(dir, 'run');
    expect(again.code, again.output).toBe(0);
    expect((await ordersRows(dir)).map((r) => r.order_id)).toEqual([1, 3]);
    expect(await tables(dir)).toEqual([{ table_name: 'orders' }]);
  });

  it.each([
    {
      kind: 'a missing column',
      sql: `{{config materialized="table"}}\nselect 1 as order_id, 'ann' as customer`,
      row: /\| amount\s+\| decimal\(10, 2\) \|\s+\| missing from the model \|/,
      count: '1 missing',
    },
    {
      kind: 'an extra column',
      sql: `{{config materialized="table"}}\nselect 1 as order_id, 'ann' as customer, 1.5::decimal(10,2) as amount, true as is_gift`,
      row: /\| is_gift\s+\|\s+\| BOOLEAN\s+\| not in the contract\s+\|/,
      count: '1 extra',
    },
    {
      kind: 'a column of another type',
      sql: `{{config materialized="table"}}\nselect 1 as order_id, 'ann' as customer, 1.5::double as amount`,
      row: /\| amount\s+\| decimal\(10, 2\) \| DOUBLE\s+\| data type mismatch\s+\|/,
      count: '1 with another data type',
    },
  ])('$kind fails the build with a table of mismatches and keeps the old table', async ({ sql, row, count }) => {
    const dir = project({ 'models/orders.sql': GOOD_ORDERS, 'models/orders.yml': ordersYml(ORDERS_COLUMNS), 'models/other.sql': 'select 1 as id' });
    expect((await strata(dir, 'run')).code).toBe(0);
    writeFiles(dir, { 'models/orders.sql': sql });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toContain('Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2');
    expect(output).toContain(`models/orders.yml:3: the columns of model 'orders' do not match its enforced contract (${count})`);
    expect(output).toMatch(/\| column\s+\| contract\s+\| model\s+\| problem\s+\|/);
    expect(output).toMatch(row);
    expect(output).toContain('hint: change the model\'s SQL');
    expect(output).toContain('the existing table "shop"."main"."orders" was left as it was');
    expect(await ordersRows(dir)).toEqual([
      { order_id: 1, customer: 'ann', amount: '12.50' },
      { order_id: 2, customer: 'bob', amount: '3.00' },
    ]);
    expect(await tables(dir)).toEqual([{ table_name: 'orders' }]);
  });

  it.each([
    { kind: 'a null in a not_null column', rows: `select null::int as order_id, 'ann' as customer, 1.00::decimal(10,2) as amount`, error: /NOT NULL constraint failed/ },
    { kind: 'a duplicate primary key', rows: `select 7 as order_id, 'ann' as customer, 1.00::decimal(10,2) as amount union all select 7, 'bob', 2.00`, error: /PRIMARY KEY or UNIQUE constraint violation/ },
    { kind: 'a row failing a check', rows: `select 8 as order_id, 'ann' as customer, -1.00::decimal(10,2) as amount`, error: /CHECK constraint failed/ },
  ])('$kind fails the build and leaves the old table in place', async ({ rows, error }) => {
    const dir = project({ 'models/orders.sql': GOOD_ORDERS, 'models/orders.yml': ordersYml(ORDERS_COLUMNS) });
    expect((await strata(dir, 'run')).code).toBe(0);
    writeFiles(dir, { 'models/orders.sql': `{{config materialized="table"}}\n${rows}` });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toMatch(error);
    expect(await ordersRows(dir)).toEqual([
      { order_id: 1, customer: 'ann', amount: '12.50' },
      { order_id: 2, customer: 'bob', amount: '3.00' },
    ]);
    expect(await tables(dir)).toEqual([{ table_name: 'orders' }]);
  });

  it('model-level primary_key and unique constraints cover several columns', async () => {
    const yml = ordersYml(
      `      - name: order_id
        data_type: integer
      - name: line_no
        data_type: integer
      - name: sku
        data_type: varchar
`,
      `    constraints:
      - type: primary_key
        columns: [order_id, line_no]
      - type: unique
        name: one_sku_per_order
        columns: [order_id, SKU]
`,
    );
    const dir = project({ 'models/orders.sql': `{{config materialized="table"}}\nselect 1 as order_id, 1 as line_no, 'a' as sku union all select 1, 2, 'b'`, 'models/orders.yml': yml });
    const first = await strata(dir, 'run');
    expect(first.code, first.output).toBe(0);
    expect(runLog(dir)).toContain('primary key ("order_id", "line_no")');
    expect(runLog(dir)).toContain('constraint "one_sku_per_order" unique ("order_id", "sku")');

    writeFiles(dir, { 'models/orders.sql': `{{config materialized="table"}}\nselect 1 as order_id, 1 as line_no, 'a' as sku union all select 1, 1, 'b'` });
    const duplicateKey = await strata(dir, 'run');
    expect(duplicateKey.code).toBe(1);
    expect(duplicateKey.output).toMatch(/PRIMARY KEY or UNIQUE constraint violation/);
    writeFiles(dir, { 'models/orders.sql': `{{config materialized="table"}}\nselect 1 as order_id, 1 as line_no, 'a' as sku union all select 1, 2, 'a'` });
    const duplicateSku = await strata(dir, 'run');
    expect(duplicateSku.code).toBe(1);
    expect(duplicateSku.output).toMatch(/unique constraint/i);
    expect(await queryProject(dir, 'select order_id, line_no, sku from orders order by line_no')).toEqual([
      { order_id: 1, line_no: 1, sku: 'a' },
      { order_id: 1, line_no: 2, sku: 'b' },
    ]);
  });

  it('a column without data_type is an error naming its YAML line, before anything is built', async () => {
    const columns = `      - name: order_id
        data_type: int
      - name: customer
        description: who ordered
      - name: amount
        data_type: decimal(10,2)
`;
    const dir = project({ 'models/orders.sql': GOOD_ORDERS, 'models/orders.yml': ordersYml(columns), 'models/other.sql': 'select 1 as id' });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toContain("models/orders.yml:9: model 'orders' enforces a contract, so every column needs a data_type: 'customer' has none");
    expect(output).toContain('Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2');
    expect(await tables(dir)).toEqual([]);
    expect(runLog(dir, 'other')).toContain('select 1 as id');
  });

  it('a contract without columns is an error', async () => {
    const dir = project({
      'project.yml': projectYml('models:\n  shop:\n    +contract: {enforced: true}\n'),
      'models/orders.sql': GOOD_ORDERS,
    });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toContain("models/orders.sql: model 'orders' enforces a contract but declares no columns");
  });

  it('a folder config in project.yml enforces the contracts of its models', async () => {
    const dir = project({
      'project.yml': projectYml('models:\n  shop:\n    +contract: {enforced: true}\n'),
      'models/orders.sql': GOOD_ORDERS,
      'models/orders.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: order_id\n        data_type: bigint\n      - name: customer\n        data_type: varchar\n      - name: amount\n        data_type: decimal(10,2)\n',
    });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toMatch(/\| order_id\s+\| bigint\s+\| INTEGER\s+\| data type mismatch\s+\|/);
  });

  it('a view with a contract is checked by column names and types, without constraints', async () => {
    const yml = ordersYml(ORDERS_COLUMNS);
    const dir = project({ 'models/orders.sql': GOOD_ORDERS.replace('materialized="table"', 'materialized="view"'), 'models/orders.yml': yml });
    const first = await strata(dir, 'run');
    expect(first.code, first.output).toBe(0);
    expect(runLog(dir)).toContain('-- 3 constraints not applied: constraints apply to tables, not views');
    expect(await queryProject(dir, "select table_type from information_schema.tables where table_name = 'orders'")).toEqual([{ table_type: 'VIEW' }]);

    writeFiles(dir, { 'models/orders.sql': `{{config materialized="view"}}\nselect 1 as order_id, 'ann' as customer, 1 as amount` });
    const { code, output } = await strata(dir, 'run');
    expect(code).toBe(1);
    expect(output).toMatch(/\| amount\s+\| decimal\(10, 2\) \| INTEGER\s+\| data type mismatch\s+\|/);
    expect(output).toContain('the existing view "shop"."main"."orders" was left as it was');
    expect(await ordersRows(dir)).toEqual([
      { order_id: 1, customer: 'ann', amount: '12.50' },
      { order_id: 2, customer: 'bob', amount: '3.00' },
    ]);
    expect(await tables(dir)).toEqual([{ table_name: 'orders' }]);
  });

  describe('incremental', () => {
    const incremental = (select: string) => `{{config materialized="incremental" unique_key="order_id"}}\n${select}\n{{#if (is_incremental)}}where order_id > (select max(order_id) from {{this}}){{/if}}`;
    const yml = (onSchemaChange = 'append_new_columns') => ordersYml(ORDERS_COLUMNS).replace('      contract: {enforced: true}\n', `      contract: {enforced: true}\n      on_schema_change: ${onSchemaChange}\n`);
    const batch = (rows: string) => `select * from (values ${rows}) as t(order_id, customer, amount)`;

    it('checks the columns of each batch of new rows before touching the table', async () => {
      const dir = project({ 'models/orders.sql': incremental(batch(`(1, 'ann', 12.50::decimal(10,2)), (2, 'bob', 3.00)`)), 'models/orders.yml': yml() });
      expect((await strata(dir, 'run')).code).toBe(0);
      expect(runLog(dir)).toContain('"order_id" int not null primary key');

      writeFiles(dir, { 'models/orders.sql': incremental(batch(`(1, 'ann', 12.50::decimal(10,2)), (2, 'bob', 3.00), (3, 'cy', 4.25)`)) });
      const grown = await strata(dir, 'run');
      expect(grown.code, grown.output).toBe(0);
      expect(grown.output).toContain('MERGE 1');

      writeFiles(dir, { 'models/orders.sql': incremental(batch(`(4, 'di', 4.5::double)`)) });
      const { code, output } = await strata(dir, 'run');
      expect(code).toBe(1);
      expect(output).toMatch(/\| amount\s+\| decimal\(10, 2\) \| DOUBLE\s+\| data type mismatch\s+\|/);
      expect(output).toContain('the existing table "shop"."main"."orders" was left as it was');
      expect((await ordersRows(dir)).map((r) => r.order_id)).toEqual([1, 2, 3]);
      expect(await tables(dir)).toEqual([{ table_name: 'orders' }]);
    });

    it('new rows that break a constraint of the table roll back the whole batch', async () => {
      const dir = project({ 'models/orders.sql': incremental(batch(`(1, 'ann', 12.50::decimal(10,2))`)), 'models/orders.yml': yml() });
      expect((await strata(dir, 'run')).code).toBe(0);
      writeFiles(dir, { 'models/orders.sql': incremental(batch(`(5, 'ed', 1.00::decimal(10,2)), (6, 'fay', -2.00)`)) });
      const { code, output } = await strata(dir, 'run');
      expect(code).toBe(1);
      expect(output).toMatch(/CHECK constraint failed/);
      expect((await ordersRows(dir)).map((r) => r.order_id)).toEqual([1]);
    });

    it("needs on_schema_change append_new_columns or fail, as in dbt", async () => {
      const dir = project({ 'models/orders.sql': incremental(batch(`(1, 'ann', 12.50::decimal(10,2))`)), 'models/orders.yml': ordersYml(ORDERS_COLUMNS) });
      const { code, output } = await strata(dir, 'run');
      expect(code).toBe(1);
      expect(output).toContain("models/orders.yml:3: incremental model 'orders' enforces a contract, so on_schema_change must be append_new_columns or fail, not 'ignore'");
      expect(await tables(dir)).toEqual([]);
    });
  });
});

describe('contracts at parse time', () => {
  const project = tempProjects();
  it('an ephemeral model cannot have an enforced contract', async () => {
    const dir = project({
      'models/eph.sql': '{{config materialized="ephemeral"}}\nselect 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: eph\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: id\n        data_type: integer\n',
    });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/schema.yml:3: 'eph' is ephemeral and cannot have an enforced contract");
  });
});
