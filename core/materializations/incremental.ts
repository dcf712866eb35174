import type { ColumnDef } from '../adapter/adapter.js';
import { checkBuiltColumns } from './contracts/enforce-contract.js';
import { readContract } from './contracts/model-contract.js';
import { UserError } from '../errors/user-error.js';
import type { IncrementalStrategy, OnSchemaChange } from '../manifest/nodes.js';
import { columnList, uniqueKeyColumns } from '../project/node-config.js';
import { countRows, dropLeftover, run, runAtomically, tempRelation, type MaterializationContext, type MaterializationResult } from './materialization.js';
import { materializeTable } from './table.js';

/** How the new rows' columns differ from the existing table's. */
export interface SchemaDiff {
  added: ColumnDef[];
  removed: ColumnDef[];
  changed: { name: string; from: string; to: string }[];
}

/** Compares columns by name (case-insensitive) and type (by the dialect's notion of sameness). */
export function diffColumns(existing: ColumnDef[], incoming: ColumnDef[], sameType: (a: string, b: string) => boolean): SchemaDiff {
  const byName = (cols: ColumnDef[]) => new Map(cols.map((c) => [c.name.toLowerCase(), c]));
  const old = byName(existing);
  const now = byName(incoming);
  return {
    added: incoming.filter((c) => !old.has(c.name.toLowerCase())),
    removed: existing.filter((c) => !now.has(c.name.toLowerCase())),
    changed: incoming
      .filter((c) => old.has(c.name.toLowerCase()) && !sameType(old.get(c.name.toLowerCase())!.dataType, c.dataType))
      .map((c) => ({ name: c.name, from: old.get(c.name.toLowerCase())!.dataType, to: c.dataType })),
  };
}

/** The strategy to use: the configured one, else merge with a unique key and append without. */
export function incrementalStrategy(ctx: MaterializationContext): IncrementalStrategy {
  const configured = ctx.node.config.incremental_strategy;
  const keys = uniqueKeyColumns(ctx.node.config);
  if (configured) {
    if ((configured === 'merge' || configured === 'delete+insert') && keys.length === 0) {
      throw new UserError(`incremental strategy '${configured}' needs a unique_key`, { file: ctx.node.original_file_path, hint: `add unique_key="id" to the config, or use incremental_strategy="append"` });
    }
    return configured;
  }
  return keys.length ? 'merge' : 'append';
}

/** Schema change settings that keep an incremental table true to an enforced contract (dbt's rule). */
const CONTRACT_SCHEMA_CHANGES: readonly OnSchemaChange[] = ['append_new_columns', 'fail'];

/**
 * `incremental`: the first run (or --full-refresh) builds a table; later runs build the new
 * rows into a temporary table and apply schema changes and the strategy in one transaction.
 * With an enforced contract the new rows' columns are checked against it before the table is
 * touched, and the table's constraints (set when it was built) check the rows as they land.
 */
export async function materializeIncremental(ctx: MaterializationContext): Promise<MaterializationResult> {
  const onSchemaChange = (ctx.node.config.on_schema_change ?? 'ignore') as OnSchemaChange;
  const contract = readContract(ctx.node, ctx.projectRoot);
  if (contract && !CONTRACT_SCHEMA_CHANGES.includes(onSchemaChange)) {
    // With 'ignore' a column added to the SQL and the contract would never reach the table.
    throw new UserError(`incremental model '${ctx.node.name}' enforces a contract, so on_schema_change must be append_new_columns or fail, not '${onSchemaChange}'`, {
      ...contract.locate(),
      hint: 'add on_schema_change: append_new_columns (or fail) to its config',
    });
  }
  const fullRefresh = typeof ctx.node.config.full_refresh === 'boolean' ? ctx.node.config.full_refresh : ctx.fullRefresh;
  if (ctx.existing !== 'table' || fullRefresh) return materializeTable(ctx);

  const { sql } = ctx.adapter;
  const strategy = incrementalStrategy(ctx);
  const keys = uniqueKeyColumns(ctx.node.config);
  const predicates = incrementalPredicates(ctx);
  const temp = tempRelation(ctx.relation, '__strata_incr');
  await dropLeftover(ctx, temp);
  await run(ctx, sql.createTableAs(temp, ctx.sql));
  const incoming = contract ? await checkBuiltColumns(ctx, contract, temp, 'table') : await ctx.adapter.getColumns(temp);
  const existing = await ctx.adapter.getColumns(ctx.relation);
  const diff = diffColumns(existing, incoming, (a, b) => sql.sameType(a, b));
  const statements: string[] = [];
  let columns = existing.map((c) => c.name);

  const changedSchema = diff.added.length + diff.removed.length + diff.changed.length > 0;
  if (changedSchema && onSchemaChange === 'fail') {
    await run(ctx, sql.drop(temp, 'table'));
    throw new UserError(`the columns of '${ctx.node.name}' no longer match the existing table, and on_schema_change is 'fail'`, {
      file: ctx.node.original_file_path,
      hint: describeDiff(diff) + '; run with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns',
    });
  }
  if (onSchemaChange === 'append_new_columns' || onSchemaChange === 'sync_all_columns') {
    for (const column of diff.added) statements.push(sql.addColumn(ctx.relation, column));
    columns = [...columns, ...diff.added.map((c) => c.name)];
    if (onSchemaChange === 'sync_all_columns') {
      for (const column of diff.removed) statements.push(sql.dropColumn(ctx.relation, column.name));
      for (const change of diff.changed) statements.push(sql.alterColumnType(ctx.relation, { name: change.name, dataType: change.to }));
      const removed = new Set(diff.removed.map((c) => c.name.toLowerCase()));
      columns = columns.filter((c) => !removed.has(c.toLowerCase()));
    }
  }
  // With 'ignore', columns only the new rows have are left out and missing ones stay null.
  const present = new Set(incoming.map((c) => c.name.toLowerCase()));
  columns = columns.filter((c) => present.has(c.toLowerCase()));

  let updateColumns: string[] | undefined;
  try {
    updateColumns = strategy === 'merge' ? mergeUpdateColumns(ctx, columns) : undefined;
  } catch (error) {
    await run(ctx, sql.drop(temp, 'table'));
    throw error;
  }
  const added = await countRows(ctx, temp);
  if (strategy === 'append') statements.push(sql.insertFrom(ctx.relation, temp, columns));
  else if (strategy === 'merge') statements.push(...sql.merge(ctx.relation, temp, keys, columns, { updateColumns, predicates }));
  else statements.push(...sql.deleteInsert(ctx.relation, temp, keys, columns, { predicates }));
  statements.push(sql.drop(temp, 'table'));
  await runAtomically(ctx, statements);
  return { type: 'table', rowsAffected: added, message: `${strategy.toUpperCase()} ${added ?? '?'}` };
}

/**
 * dbt's merge_update_columns / merge_exclude_columns: which columns a matched row takes from the
 * new one (undefined: all of them). A name the table lacks is an error, not a column left alone.
 */
export function mergeUpdateColumns(ctx: Pick<MaterializationContext, 'node'>, columns: string[]): string[] | undefined {
  const config = ctx.node.config as Record<string, unknown>;
  const only = config.merge_update_columns;
  const except = config.merge_exclude_columns;
  if (only == null && except == null) return undefined;
  const file = ctx.node.original_file_path;
  if (only != null && except != null) throw new UserError(`'${ctx.node.name}' sets both merge_update_columns and merge_exclude_columns`, { file, hint: 'keep one of them' });
  const key = only != null ? 'merge_update_columns' : 'merge_exclude_columns';
  const listed = columnList(only ?? except);
  const byName = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const unknown = listed.filter((c) => !byName.has(c.toLowerCase()));
  if (unknown.length) throw new UserError(`${key} of '${ctx.node.name}' names ${unknown.map((c) => `'${c}'`).join(', ')}, which the table does not have`, { file, hint: `its columns: ${columns.join(', ')}` });
  const named = new Set(listed.map((c) => c.toLowerCase()));
  return only != null ? listed.map((c) => byName.get(c.toLowerCase())!) : columns.filter((c) => !named.has(c.toLowerCase()));
}

/**
 * dbt's incremental_predicates, with dbt's aliases of the two sides (DBT_INTERNAL_DEST,
 * DBT_INTERNAL_SOURCE) read as Strata's, so predicates written for dbt work unchanged.
 */
export function incrementalPredicates(ctx: Pick<MaterializationContext, 'node'>): string[] {
  const value = (ctx.node.config as Record<string, unknown>).incremental_predicates;
  if (value == null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((p) => typeof p === 'string' && p.trim())) throw new UserError(`incremental_predicates of '${ctx.node.name}' must be SQL conditions (strings)`, { file: ctx.node.original_file_path, hint: "incremental_predicates: [\"strata_target.order_date > current_date - 7\"]" });
  return (list as string[]).map((p) => p.replace(/\bDBT_INTERNAL_DEST\b/gi, 'strata_target').replace(/\bDBT_INTERNAL_SOURCE\b/gi, 'strata_source'));
}

function describeDiff(diff: SchemaDiff): string {
  const parts: string[] = [];
  if (diff.added.length) parts.push(`new: ${diff.added.map((c) => c.name).join(', ')}`);
  if (diff.removed.length) parts.push(`gone: ${diff.removed.map((c) => c.name).join(', ')}`);
  if (diff.changed.length) parts.push(`retyped: ${diff.changed.map((c) => `${c.name} ${c.from} -> ${c.to}`).join(', ')}`);
  return parts.join('; ');
}
