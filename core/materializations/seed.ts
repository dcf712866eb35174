import path from 'node:path';
import type { ColumnDef } from '../adapter/adapter.js';
import { UserError } from '../errors/user-error.js';
import { readSeed } from '../seeds/read-seed.js';
import { diffColumns } from './incremental.js';
import { dropLeftover, run, runAtomically, swapRelation, tempRelation, type MaterializationContext, type MaterializationResult } from './materialization.js';

/**
 * `seed`: load the CSV into a temporary table with inferred (or declared) types, then either
 * swap it in (new seed, or --full-refresh) or replace the rows in one transaction, which keeps
 * objects that depend on the table. Changed columns need --full-refresh, as in dbt.
 */
export async function materializeSeed(ctx: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter } = ctx;
  const { sql } = adapter;
  const seed = await readSeed(path.join(ctx.projectRoot, node.original_file_path), {
    delimiter: node.config.delimiter,
    columnTypes: node.config.column_types,
  });
  const columns: ColumnDef[] = seed.columns.map((c) => ({ name: c.name, dataType: c.declared ?? sql.typeFor(c.inferred) }));
  const temp = tempRelation(ctx.relation);
  await dropLeftover(ctx, temp);
  await run(ctx, sql.createTable(temp, columns));
  ctx.log.push(`-- ${seed.rows.length} rows from ${node.original_file_path}`);
  const inserted = await adapter.insertRows(temp, columns, seed.rows);

  if (ctx.existing === 'table' && !ctx.fullRefresh) {
    const current = await adapter.getColumns(ctx.relation);
    const diff = diffColumns(current, columns, (a, b) => sql.sameType(a, b));
    if (diff.added.length + diff.removed.length + diff.changed.length === 0) {
      await runAtomically(ctx, [`delete from ${sql.relation(ctx.relation)}`, sql.insertFrom(ctx.relation, temp, columns.map((c) => c.name)), sql.drop(temp, 'table')]);
      return { type: 'table', rowsAffected: inserted, message: `INSERT ${inserted}` };
    }
    await run(ctx, sql.drop(temp, 'table'));
    throw new UserError(`the columns of seed '${node.name}' changed since it was loaded`, {
      file: node.original_file_path,
      hint: 'run `strata seed --full-refresh` to rebuild the table with the new columns',
    });
  }
  await swapRelation(ctx, temp, 'table');
  return { type: 'table', rowsAffected: inserted, message: `INSERT ${inserted}` };
}
