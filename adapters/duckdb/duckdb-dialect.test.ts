import { describe, expect, it } from 'vitest';
import { DuckDBDialect, normalizeType } from './duckdb-dialect.js';

const sql = new DuckDBDialect();
const orders = { database: 'shop', schema: 'main', identifier: 'orders' };
const staged = { database: 'shop', schema: 'main', identifier: 'orders__strata_tmp' };

describe('DuckDBDialect', () => {
  it('reads external sources as committed lake files: jsonl, csv (also .csv.gz) and parquet', () => {
    const dialect = new DuckDBDialect();
    expect(dialect.canReadFiles()).toBe(true);
    const commits = "/lake's/raw/mysql/orders/_committed/*.json";
    const committed = `where "_batch_id" in (select batch_id from read_json('/lake''s/raw/mysql/orders/_committed/*.json', columns = {batch_id: 'VARCHAR'})))`;
    expect(dialect.externalRelation({ files: "/lake's/raw/mysql/orders/load_date=*/*.jsonl", commits, format: 'jsonl' })).toBe(
      `(select * from read_json('/lake''s/raw/mysql/orders/load_date=*/*.jsonl', format = 'newline_delimited', union_by_name = true, hive_partitioning = true) ${committed}`,
    );
    expect(dialect.externalRelation({ files: '/l/x.csv*', commits, format: 'csv' })).toContain(`from read_csv('/l/x.csv*', header = true, union_by_name = true, hive_partitioning = true, allow_quoted_nulls = false) where`);
    expect(dialect.externalRelation({ files: '/l/x.parquet', commits, format: 'parquet' })).toContain(`from read_parquet('/l/x.parquet', union_by_name = true, hive_partitioning = true) where`);
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
