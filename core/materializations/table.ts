import type { QueryResult } from '../adapter/adapter.js';
import { checkBuiltColumns, createConstrainedTable, noteUnappliedConstraints } from './contracts/enforce-contract.js';
import { readContract } from './contracts/model-contract.js';
import { countRows, dropLeftover, run, swapRelation, tempRelation, type MaterializationContext, type MaterializationResult } from './materialization.js';

/**
 * `table`: create the new table under a temporary name, then swap it in atomically. With an
 * enforced contract the new table's columns must match the declared ones before the swap;
 * where the dialect can, it is created with the declared columns and constraints, so rows
 * that break a constraint fail the build and the old table stays.
 */
export async function materializeTable(ctx: MaterializationContext): Promise<MaterializationResult> {
  const contract = readContract(ctx.node, ctx.projectRoot);
  const { sql } = ctx.adapter;
  const temp = tempRelation(ctx.relation);
  await dropLeftover(ctx, temp);
  let created: QueryResult;
  if (contract && sql.canApplyConstraints?.()) {
    created = await createConstrainedTable(ctx, contract, sql, temp);
  } else {
    created = await run(ctx, sql.createTableAs(temp, ctx.sql));
    if (contract) {
      await checkBuiltColumns(ctx, contract, temp, 'table');
      noteUnappliedConstraints(ctx, contract, 'table');
    }
  }
  const rows = await countRows(ctx, temp, created.rowsAffected);
  await swapRelation(ctx, temp, 'table');
  return { type: 'table', rowsAffected: rows, message: `CREATE TABLE (${rows ?? '?'} rows)` };
}

/**
 * `view`: create the new view under a temporary name (which checks the SQL), then swap it in.
 * An enforced contract checks the view's column names and types; constraints are not applied
 * to views (as in dbt: a view holds no rows to check).
 */
export async function materializeView(ctx: MaterializationContext): Promise<MaterializationResult> {
  const contract = readContract(ctx.node, ctx.projectRoot);
  const temp = tempRelation(ctx.relation);
  await dropLeftover(ctx, temp);
  await run(ctx, ctx.adapter.sql.createViewAs(temp, ctx.sql));
  if (contract) {
    await checkBuiltColumns(ctx, contract, temp, 'view');
    noteUnappliedConstraints(ctx, contract, 'view');
  }
  await swapRelation(ctx, temp, 'view');
  return { type: 'view', rowsAffected: null, message: 'CREATE VIEW' };
}
