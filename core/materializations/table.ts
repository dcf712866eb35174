import { countRows, dropLeftover, run, swapRelation, tempRelation, type MaterializationContext, type MaterializationResult } from './materialization.js';

/** `table`: create the new table under a temporary name, then swap it in atomically. */
export async function materializeTable(ctx: MaterializationContext): Promise<MaterializationResult> {
  const temp = tempRelation(ctx.relation);
  await dropLeftover(ctx, temp);
  const created = await run(ctx, ctx.adapter.sql.createTableAs(temp, ctx.sql));
  const rows = await countRows(ctx, temp, created.rowsAffected);
  await swapRelation(ctx, temp, 'table');
  return { type: 'table', rowsAffected: rows, message: `CREATE TABLE (${rows ?? '?'} rows)` };
}

/** `view`: create the new view under a temporary name (which checks the SQL), then swap it in. */
export async function materializeView(ctx: MaterializationContext): Promise<MaterializationResult> {
  const temp = tempRelation(ctx.relation);
  await dropLeftover(ctx, temp);
  await run(ctx, ctx.adapter.sql.createViewAs(temp, ctx.sql));
  await swapRelation(ctx, temp, 'view');
  return { type: 'view', rowsAffected: null, message: 'CREATE VIEW' };
}
