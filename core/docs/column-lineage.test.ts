import { describe, expect, it } from 'vitest';
import { columnLineage, type LineageContext } from './column-lineage.js';

const NODES: Record<string, { relation: string; columns?: string[] }> = {
  'model.shop.stg_orders': { relation: 'shop.main.stg_orders', columns: ['order_id', 'customer_id', 'amount', 'status'] },
  'model.shop.stg_customers': { relation: 'shop.main.stg_customers', columns: ['customer_id', 'name', 'email'] },
  'source.shop.raw.payments': { relation: 'shop.raw.payments', columns: ['payment_id', 'order_id', 'cents'] },
  'model.shop.unbuilt': { relation: 'shop.main.unbuilt' },
  'model.shop.eph': { relation: 'shop.main.eph' },
};

function context(self: string, selfColumns?: string[]): LineageContext {
  const byRelation = new Map(Object.entries(NODES).map(([id, n]) => [n.relation, id]));
  return {
    resolveRelation: ({ database, schema, table }) => byRelation.get([database ?? 'shop', schema ?? 'main', table].join('.')),
    columnsOf: (id) => (id === self ? selfColumns : NODES[id]?.columns),
    ephemeralNode: (cte) => (cte.startsWith('__strata__cte__') ? `model.shop.${cte.slice('__strata__cte__'.length)}` : undefined),
  };
}

const from = (node: string, ...columns: string[]) => columns.map((column) => ({ node: `model.shop.${node}`, column }));

describe('columnLineage', () => {
  it('follows columns through CTEs, joins and aggregates', () => {
    const sql = `
      with orders as (select order_id, customer_id, amount * 2 as doubled from "shop"."main"."stg_orders"),
      customers as (select customer_id, name as customer_name from "shop"."main"."stg_customers")
      select c.customer_id, c.customer_name, sum(o.doubled) as revenue, count(*) as order_count, 'x' as label
      from orders o left join customers c on o.customer_id = c.customer_id
      group by 1, 2`;
    const lineage = columnLineage(sql, 'model.shop.fct', context('model.shop.fct'));
    expect(lineage.error).toBeUndefined();
    expect(lineage.columns.customer_id).toEqual({ from: from('stg_customers', 'customer_id') });
    expect(lineage.columns.customer_name).toEqual({ from: from('stg_customers', 'name') });
    expect(lineage.columns.revenue).toEqual({ from: from('stg_orders', 'amount') });
    // count(*) and a literal read no column: known, with nothing upstream.
    expect(lineage.columns.order_count).toEqual({ from: [] });
    expect(lineage.columns.label).toEqual({ from: [] });
  });

  it('expands select * with the catalog columns of the relation it reads', () => {
    const sql = `select o.*, c.name from "shop"."main"."stg_orders" as o join "shop"."main"."stg_customers" c using (customer_id)`;
    const lineage = columnLineage(sql, 'model.shop.wide', context('model.shop.wide'));
    expect(Object.keys(lineage.columns)).toEqual(['order_id', 'customer_id', 'amount', 'status', 'name']);
    expect(lineage.columns.status).toEqual({ from: from('stg_orders', 'status') });
    expect(lineage.columns.name).toEqual({ from: from('stg_customers', 'name') });
  });

  it('an unqualified using-join column comes from both sides', () => {
    const sql = `select customer_id, email from "shop"."main"."stg_orders" join "shop"."main"."stg_customers" using (customer_id)`;
    const lineage = columnLineage(sql, 'model.shop.j', context('model.shop.j'));
    expect(lineage.columns.customer_id.from).toEqual([...from('stg_orders', 'customer_id'), ...from('stg_customers', 'customer_id')]);
    expect(lineage.columns.email).toEqual({ from: from('stg_customers', 'email') });
  });

  it('takes union branches positionally and subqueries in from', () => {
    const sql = `select id, max(total) as total from (
        select order_id as id, amount as total from "shop"."main"."stg_orders"
        union all
        select payment_id, cents / 100.0 from "shop"."raw"."payments") as u
      group by id`;
    const lineage = columnLineage(sql, 'model.shop.u', context('model.shop.u'));
    expect(lineage.columns.id.from).toEqual([...from('stg_orders', 'order_id'), { node: 'source.shop.raw.payments', column: 'payment_id' }]);
    expect(lineage.columns.total.from).toEqual([...from('stg_orders', 'amount'), { node: 'source.shop.raw.payments', column: 'cents' }]);
  });

  it('a scalar subquery and a where clause: only the select list counts, subquery columns included', () => {
    const sql = `select order_id, (select max(amount) from "shop"."main"."stg_orders") as top from "shop"."main"."stg_orders" where status = 'paid'`;
    const lineage = columnLineage(sql, 'model.shop.s', context('model.shop.s'));
    expect(lineage.columns.order_id).toEqual({ from: from('stg_orders', 'order_id') });
    expect(lineage.columns.top).toEqual({ from: from('stg_orders', 'amount') });
  });

  it('an ephemeral model inlined as a CTE is an upstream node of its own', () => {
    const sql = `with __strata__cte__eph as (select order_id, amount from "shop"."main"."stg_orders")
      select order_id, amount + 1 as amount from __strata__cte__eph`;
    const lineage = columnLineage(sql, 'model.shop.e', context('model.shop.e'));
    expect(lineage.columns.amount).toEqual({ from: from('eph', 'amount') });
  });

  it('says unknown, with the reason, for star over unknown columns and tables outside the project', () => {
    const star = columnLineage(`select * from "shop"."main"."unbuilt"`, 'model.shop.x', context('model.shop.x', ['a', 'b']));
    expect(star.columns.a.from).toEqual([]);
    expect(star.columns.a.unknown).toMatch(/columns are not known/);
    const outside = columnLineage(`select id from "other"."raw"."things"`, 'model.shop.y', context('model.shop.y', ['id']));
    expect(outside.columns.id).toEqual({ from: [], unknown: 'reads other.raw.things, which is not a node of the project' });
    // A named column of a node without catalog columns is still that node's column.
    const named = columnLineage(`select a, b + 1 as c from "shop"."main"."unbuilt"`, 'model.shop.z', context('model.shop.z'));
    expect(named.columns.c).toEqual({ from: from('unbuilt', 'b') });
  });

  it('marks every column unknown when the SQL does not parse', () => {
    const lineage = columnLineage('select from where (', 'model.shop.bad', context('model.shop.bad', ['id']));
    expect(lineage.error).toMatch(/could not be parsed/);
    expect(lineage.columns.id.unknown).toMatch(/could not be parsed/);
  });

  it('names warehouse-named columns by position when the catalog gives the model its columns', () => {
    const sql = `select order_id, upper(status) from "shop"."main"."stg_orders"`;
    const lineage = columnLineage(sql, 'model.shop.p', context('model.shop.p', ['order_id', 'upper(status)']));
    expect(lineage.columns['upper(status)']).toEqual({ from: from('stg_orders', 'status') });
  });
});
