import { describe, expect, it } from 'vitest';
import { DuckDBDialect, normalizeType } from './duckdb-dialect.js';

const sql = new DuckDBDialect();
const orders = { database: 'shop', schema: 'main', identifier: 'orders' };
const staged = { database: 'shop', schema: 'main', identifier: 'orders__strata_tmp' };

describe('DuckDBDialect', () => {
  it('reads external sources as the committed loads of a lake table: parquet, jsonl, csv; replace and merge', () => {
    const dialect = new DuckDBDialect();
    expect(dialect.canReadFiles()).toBe(true);
    const manifests = "/lake's/raw/shop_mysql/orders/load_id=*/_manifest.json";
    const loads = `with strata_loads as (select load_id, disposition, source_file from read_json('/lake''s/raw/shop_mysql/orders/load_id=*/_manifest.json', columns = {load_id: 'VARCHAR', disposition: 'VARCHAR', source_file: 'VARCHAR'}))`;
    const all = dialect.externalRelation({ files: "/lake's/raw/shop_mysql/orders/load_id=*/part-*.parquet", manifests, format: 'parquet' });
    expect(all).toBe(
      `(${loads} select * from read_parquet('/lake''s/raw/shop_mysql/orders/load_id=*/part-*.parquet', union_by_name = true, hive_partitioning = false) ` +
        `where "_strata_load_id" in (select load_id from strata_loads where load_id >= coalesce((select max(load_id) from strata_loads where disposition = 'replace'), '') ` +
        `qualify source_file is null or load_id = max(load_id) over (partition by source_file)))`,
    );
    expect(dialect.externalRelation({ files: '/l/x.jsonl', manifests, format: 'jsonl' })).toContain(`from read_json('/l/x.jsonl', format = 'newline_delimited', union_by_name = true, hive_partitioning = false, sample_size = -1) where`);
    expect(dialect.externalRelation({ files: '/l/x.csv', manifests, format: 'csv' })).toContain(`from read_csv('/l/x.csv', header = true,`);
    const merged = dialect.externalRelation({ files: '/l/x.parquet', manifests, format: 'parquet', primaryKey: ['order_id'], cursorField: 'updated_at' });
    expect(merged.endsWith(`qualify row_number() over (partition by "order_id" order by "_strata_load_id" desc, "updated_at" desc nulls last) = 1)`)).toBe(true);
  });

  it('quotes identifiers and doubles embedded quotes', () => {
    expect(sql.quote('orders')).toBe('"orders"');
    expect(sql.quote('say "hi"')).toBe('"say ""hi"""');
  });

  it('renders relations, leaving out a null database', () => {
    expect(sql.relation(orders)).toBe('"shop"."main"."orders"');
    expect(sql.relation({ ...orders, database: null })).toBe('"main"."orders"');
  });

  it('wraps selects without their trailing semicolons', () => {
    expect(sql.createTableAs(orders, 'select 1;\n')).toBe('create table "shop"."main"."orders" as\nselect 1\n');
    expect(sql.createViewAs(orders, 'select 1')).toBe('create view "shop"."main"."orders" as\nselect 1\n');
    expect(sql.limit('select 1 -- note;', 10)).toBe('select * from (\nselect 1 -- note\n) as strata_limited limit 10');
    expect(() => sql.limit('select 1', -1)).toThrow();
  });

  it('writes DDL for tables and columns', () => {
    expect(sql.createTable(orders, [{ name: 'id', dataType: 'INTEGER' }, { name: 'placed on', dataType: 'DATE' }])).toBe(
      'create table "shop"."main"."orders" ("id" INTEGER, "placed on" DATE)',
    );
    expect(sql.drop(orders, 'view')).toBe('drop view if exists "shop"."main"."orders"');
    expect(sql.rename(staged, 'table', 'orders')).toBe('alter table "shop"."main"."orders__strata_tmp" rename to "orders"');
    expect(sql.addColumn(orders, { name: 'note', dataType: 'VARCHAR' })).toBe('alter table "shop"."main"."orders" add column "note" VARCHAR');
    expect(sql.dropColumn(orders, 'note')).toBe('alter table "shop"."main"."orders" drop column "note"');
    expect(sql.alterColumnType(orders, { name: 'id', dataType: 'BIGINT' })).toBe('alter table "shop"."main"."orders" alter column "id" set data type BIGINT');
  });

  it('delete+insert matches every column of a composite key', () => {
    const [del, ins] = sql.deleteInsert(orders, staged, ['id', 'day'], ['id', 'day', 'amount']);
    expect(del).toBe(
      'delete from "shop"."main"."orders" as strata_target\n' +
        'where exists (select 1 from "shop"."main"."orders__strata_tmp" as strata_source where strata_target."id" = strata_source."id" and strata_target."day" = strata_source."day")',
    );
    expect(ins).toBe('insert into "shop"."main"."orders" ("id", "day", "amount")\nselect "id", "day", "amount" from "shop"."main"."orders__strata_tmp"');
  });

  it('merge updates the columns outside the key and inserts the rest', () => {
    expect(sql.merge(orders, staged, ['ID'], ['id', 'amount'])).toEqual([
      [
        'merge into "shop"."main"."orders" as strata_target',
        'using "shop"."main"."orders__strata_tmp" as strata_source',
        'on (strata_target."ID" = strata_source."ID")',
        'when matched then update set "amount" = strata_source."amount"',
        'when not matched then insert ("id", "amount") values (strata_source."id", strata_source."amount")',
      ].join('\n'),
    ]);
    expect(sql.merge(orders, staged, ['id'], ['id'])[0]).toContain('when matched then do nothing');
    expect(() => sql.merge(orders, staged, [], ['id'])).toThrow();
  });

  it('merge and delete+insert take update columns and incremental predicates', () => {
    const [merge] = sql.merge(orders, staged, ['id'], ['id', 'amount', 'note'], { updateColumns: ['note'], predicates: ['strata_target.day > 3', 'strata_source.amount > 0'] });
    expect(merge).toContain('on (strata_target."id" = strata_source."id") and (strata_target.day > 3) and (strata_source.amount > 0)\nwhen matched then update set "note" = strata_source."note"\n');
    const [del] = sql.deleteInsert(orders, staged, ['id'], ['id', 'amount'], { predicates: ['strata_target.day > 3'] });
    expect(del).toMatch(/where strata_target\."id" = strata_source\."id"\) and \(strata_target\.day > 3\)$/);
  });

  it('declares not_null, unique, primary_key and check constraints, and no foreign_key or custom ones', () => {
    expect(sql.canApplyConstraints()).toBe(true);
    expect((['not_null', 'unique', 'primary_key', 'check', 'foreign_key', 'custom'] as const).map((t) => sql.constraintSupport(t))).toEqual([
      'enforced',
      'enforced',
      'enforced',
      'enforced',
      'not_supported',
      'not_supported',
    ]);
  });

  it('creates a table with column and table constraints, named where given', () => {
    const columns = [
      { name: 'id', dataType: 'int', constraints: [{ type: 'not_null' as const }, { type: 'primary_key' as const }] },
      { name: 'line no', dataType: 'INTEGER', constraints: [{ type: 'check' as const, name: 'positive', expression: '"line no" > 0' }] },
      { name: 'sku', dataType: 'varchar', constraints: [{ type: 'unique' as const }] },
    ];
    expect(sql.createTableWithConstraints(staged, columns, [])).toBe(
      'create table "shop"."main"."orders__strata_tmp" (\n' +
        '  "id" int not null primary key,\n' +
        '  "line no" INTEGER constraint "positive" check ("line no" > 0),\n' +
        '  "sku" varchar unique\n' +
        ')',
    );
    const plain = columns.map((c) => ({ ...c, constraints: [] }));
    expect(
      sql.createTableWithConstraints(staged, plain, [
        { type: 'primary_key', columns: ['id', 'line no'] },
        { type: 'unique', name: 'one_sku', columns: ['sku'] },
        { type: 'check', expression: 'id < 1000' },
      ]),
    ).toBe(
      'create table "shop"."main"."orders__strata_tmp" (\n' +
        '  "id" int,\n' +
        '  "line no" INTEGER,\n' +
        '  "sku" varchar,\n' +
        '  primary key ("id", "line no"),\n' +
        '  constraint "one_sku" unique ("sku"),\n' +
        '  check (id < 1000)\n' +
        ')',
    );
    expect(() => sql.createTableWithConstraints(staged, plain, [{ type: 'primary_key' }])).toThrow(/needs columns/);
    expect(() => sql.createTableWithConstraints(staged, [{ ...plain[0], constraints: [{ type: 'check' }] }], [])).toThrow(/needs an expression/);
    expect(() => sql.createTableWithConstraints(staged, [{ ...plain[0], constraints: [{ type: 'foreign_key', expression: 'c (id)' }] }], [])).toThrow(/cannot declare/);
  });

  it('inserts the declared columns from a wrapped select, renaming where the select spells them otherwise', () => {
    expect(sql.insertSelect(staged, ['id', 'sku'], 'select 1 as ID, 2 as sku -- note;\n')).toBe(
      'insert into "shop"."main"."orders__strata_tmp" ("id", "sku")\nselect "id", "sku" from (\nselect 1 as ID, 2 as sku -- note\n) as strata_contract',
    );
    expect(sql.insertSelect(staged, ['id'], 'select 1 as ID', ['ID'])).toBe('insert into "shop"."main"."orders__strata_tmp" ("id")\nselect "ID" from (\nselect 1 as ID\n) as strata_contract');
    expect(() => sql.insertSelect(staged, ['id'], 'select 1', [])).toThrow();
  });

  it('maps seed column kinds to DuckDB types', () => {
    expect(['boolean', 'integer', 'bigint', 'double', 'date', 'timestamp', 'text'].map((k) => sql.typeFor(k as never))).toEqual([
      'BOOLEAN',
      'INTEGER',
      'BIGINT',
      'DOUBLE',
      'DATE',
      'TIMESTAMP',
      'VARCHAR',
    ]);
  });

  it.each([
    ['int', 'INTEGER'],
    ['INT4', 'integer'],
    ['text', 'VARCHAR'],
    ['string', 'varchar(255)'],
    ['float8', 'DOUBLE'],
    ['double precision', 'double'],
    ['real', 'FLOAT'],
    ['bool', 'BOOLEAN'],
    ['int8', 'BIGINT'],
    ['datetime', 'TIMESTAMP'],
    ['timestamptz', 'TIMESTAMP WITH TIME ZONE'],
    ['numeric', 'DECIMAL(18,3)'],
    ['numeric(10, 2)', 'DECIMAL(10,2)'],
    ['decimal(12)', 'DECIMAL(12,0)'],
    ['int[]', 'INTEGER[]'],
  ])('sameType(%s, %s)', (a, b) => {
    expect(sql.sameType(a, b)).toBe(true);
  });

  it.each([
    ['INTEGER', 'BIGINT'],
    ['FLOAT', 'DOUBLE'],
    ['DECIMAL(10,2)', 'DECIMAL(10,3)'],
    ['TIMESTAMP', 'TIMESTAMPTZ'],
    ['DATE', 'TIMESTAMP'],
    ['INTEGER[]', 'INTEGER'],
  ])('not sameType(%s, %s)', (a, b) => {
    expect(sql.sameType(a, b)).toBe(false);
  });

  it('normalizes type spellings to what DuckDB reports', () => {
    expect(normalizeType('  character   varying ( 20 ) ')).toBe('VARCHAR');
    expect(normalizeType('STRUCT(x INTEGER)')).toBe('STRUCT(X INTEGER)');
  });
});
