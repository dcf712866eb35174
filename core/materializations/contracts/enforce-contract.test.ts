import { describe, expect, it } from 'vitest';
import type { Adapter, ColumnDef, ConstraintSupport, ConstraintType, RelationRef, SqlDialect } from '../../adapter/adapter.js';
import { UserError } from '../../errors/user-error.js';
import type { ManifestNode } from '../../manifest/nodes.js';
import type { MaterializationContext } from '../materialization.js';
import { materializeTable, materializeView } from '../table.js';
import { planConstraints } from './enforce-contract.js';
import type { ModelContract } from './model-contract.js';

const contract: ModelContract = {
  columns: [
    { name: 'id', dataType: 'int', constraints: [{ type: 'not_null' }, { type: 'primary_key' }] },
    { name: 'customer_id', dataType: 'int', constraints: [{ type: 'foreign_key', expression: 'customers (id)' }] },
  ],
  constraints: [
    { type: 'unique', columns: ['id', 'customer_id'] },
    { type: 'check', expression: 'id > 0' },
  ],
  locate: () => ({}),
};

describe('planConstraints', () => {
  it('keeps what the warehouse can declare and notes what it leaves out or does not enforce', () => {
    const support: Partial<Record<ConstraintType, ConstraintSupport>> = { not_null: 'enforced', primary_key: 'not_enforced', unique: 'enforced' };
    const plan = planConstraints(contract, (type) => support[type] ?? 'not_supported');
    expect(plan.columns).toEqual([
      { name: 'id', dataType: 'int', constraints: [{ type: 'not_null' }, { type: 'primary_key' }] },
      { name: 'customer_id', dataType: 'int', constraints: [] },
    ]);
    expect(plan.constraints).toEqual([{ type: 'unique', columns: ['id', 'customer_id'] }]);
    expect(plan.notes).toEqual([
      'primary_key constraint on column id is declared but the warehouse does not enforce it',
      'foreign_key constraint on column customer_id is not applied: the warehouse cannot declare it',
      'check constraint on the table is not applied: the warehouse cannot declare it',
    ]);
  });

  it('leaves the contract itself untouched', () => {
    planConstraints(contract, () => 'not_supported');
    expect(contract.columns[0].constraints).toHaveLength(2);
  });
});

/** A warehouse without the constraint capability that only records SQL; what the model builds has `built` columns. */
function fakeContext(built: ColumnDef[]): MaterializationContext {
  const name = (rel: RelationRef) => rel.identifier;
  const sql = {
    relation: name,
    quote: (s: string) => s,
    createTableAs: (rel: RelationRef, select: string) => `create table ${name(rel)} as ${select}`,
    createViewAs: (rel: RelationRef, select: string) => `create view ${name(rel)} as ${select}`,
    drop: (rel: RelationRef, type: string) => `drop ${type} ${name(rel)}`,
    rename: (rel: RelationRef, type: string, to: string) => `rename ${type} ${name(rel)} to ${to}`,
    sameType: (a: string, b: string) => a.toLowerCase() === b.toLowerCase(),
  } as unknown as SqlDialect;
  const adapter = {
    sql,
    execute: async () => ({ columns: [], rows: [[2]], rowsAffected: 2 }),
    transaction: async () => undefined,
    getColumns: async () => built,
  } as unknown as Adapter;
  const node = {
    name: 'orders',
    original_file_path: 'models/orders.sql',
    patch_path: 'shop://models/orders.yml',
    config: { materialized: 'table', contract: { enforced: true } },
    unrendered_config: {},
    columns: {
      id: { name: 'id', data_type: 'integer', constraints: [{ type: 'not_null' }] },
      note: { name: 'note', data_type: 'varchar' },
    },
  } as unknown as ManifestNode;
  return {
    adapter,
    node,
    sql: 'select 1 as id',
    relation: { database: null, schema: 'main', identifier: 'orders' },
    existing: 'table',
    fullRefresh: false,
    state: { relationType: () => undefined },
    projectRoot: '/nowhere',
    log: [],
  };
}

describe('contracts on a dialect that cannot apply constraints', () => {
  it('a table is built as usual, checked, swapped in, and the constraint is noted as not applied', async () => {
    const ctx = fakeContext([{ name: 'id', dataType: 'INTEGER' }, { name: 'note', dataType: 'VARCHAR' }]);
    await materializeTable(ctx);
    expect(ctx.log).toEqual([
      'create table orders__strata_tmp as select 1 as id',
      '-- not_null constraint on column id is not applied: the warehouse cannot declare it',
      'drop table orders',
      'rename table orders__strata_tmp to orders',
    ]);
  });

  it('a table whose columns break the contract is dropped under its temporary name and never swapped in', async () => {
    const ctx = fakeContext([{ name: 'id', dataType: 'BIGINT' }]);
    const error = await materializeTable(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('(1 missing, 1 with another data type)');
    expect((error as UserError).file).toBe('models/orders.yml');
    expect(ctx.log).toEqual(['create table orders__strata_tmp as select 1 as id', 'drop table orders__strata_tmp']);
  });

  it('a view is checked the same way, and its constraints are noted as not applied', async () => {
    const ctx = fakeContext([{ name: 'id', dataType: 'INTEGER' }, { name: 'note', dataType: 'VARCHAR' }]);
    ctx.existing = 'view';
    await materializeView(ctx);
    expect(ctx.log).toEqual([
      'create view orders__strata_tmp as select 1 as id',
      '-- 1 constraint not applied: constraints apply to tables, not views',
      'drop view orders',
      'rename view orders__strata_tmp to orders',
    ]);
  });
});
