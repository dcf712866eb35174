import type { ColumnDef, RelationRef, SqlDialect } from '../adapter/adapter.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { snapshotSettings, type SnapshotSettings } from '../project/snapshot-files.js';
import { dropLeftover, run, runAtomically, tempRelation, type MaterializationContext, type MaterializationResult } from './materialization.js';

/** dbt's column names, kept so that queries written for dbt snapshots work unchanged. */
export const SNAPSHOT_COLUMNS = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] as const;
export const IS_DELETED = 'dbt_is_deleted';

/** The pieces of SQL every snapshot statement shares, for one run. */
export interface SnapshotPlan {
  settings: SnapshotSettings;
  /** The snapshot time of this run, as a timestamp literal: one value for every row of the run. */
  now: string;
  /** Columns of the snapshot's select. */
  columns: string[];
}

/** dbt's snapshot_hash_arguments: md5 of the values cast to text, '|'-separated, nulls as ''. */
export function scdHash(expressions: string[]): string {
  return `md5(${expressions.map((e) => `coalesce(cast(${e} as varchar), '')`).join(` || '|' || `)})`;
}

/** A timestamp literal for the snapshot time (UTC, microseconds dropped to milliseconds). */
export function snapshotTime(date: Date): string {
  return `cast('${date.toISOString().replace('T', ' ').replace('Z', '')}' as timestamp)`;
}

/** The select of a first run: every row of the select, current, with dbt's columns. */
export function firstSnapshotSql(sql: SqlDialect, plan: SnapshotPlan, source: RelationRef): string {
  const q = (c: string) => sql.quote(c);
  const updated = updatedExpr(sql, plan, 's');
  const columns = plan.columns.map((c) => `s.${q(c)}`);
  const meta = [
    `${scdHash([...plan.settings.uniqueKey.map((k) => `s.${q(k)}`), updated])} as dbt_scd_id`,
    `${updated} as dbt_updated_at`,
    `${updated} as dbt_valid_from`,
    // nullif keeps the column's type the same as dbt_valid_from's, as dbt does.
    `nullif(${updated}, ${updated}) as dbt_valid_to`,
  ];
  if (plan.settings.hardDeletes === 'new_record') meta.push(`'False' as ${IS_DELETED}`);
  return `select\n  ${[...columns, ...meta].join(',\n  ')}\nfrom ${sql.relation(source)} as s`;
}

/**
 * The staging rows of a later run, one per key at most: `strata_close_at` (when not null)
 * closes the key's current row, and `strata_insert` says whether the row itself goes in.
 * Changed and new keys insert a new version; revived keys (after a deletion record) too;
 * keys gone from the select are closed (invalidate) or closed and recorded (new_record).
 */
export function stagingSnapshotSql(sql: SqlDialect, plan: SnapshotPlan, source: RelationRef, target: RelationRef, targetColumns: string[]): string {
  const q = (c: string) => sql.quote(c);
  const { settings, now } = plan;
  const has = new Set(targetColumns.map((c) => c.toLowerCase()));
  const keys = settings.uniqueKey;
  const match = (left: string, right: string) => keys.map((k) => `${left}.${q(k)} = ${right}.${q(k)}`).join(' and ');
  const newRecord = settings.hardDeletes === 'new_record';
  const curDeleted = has.has(IS_DELETED) ? `coalesce(c.${IS_DELETED}, 'False') = 'True'` : 'false';
  const updated = updatedExpr(sql, plan, 's');

  let changed: string;
  if (settings.strategy === 'timestamp') {
    changed = `${updated} > c.dbt_updated_at`;
  } else {
    const compared = (settings.checkCols === 'all' ? plan.columns : settings.checkCols).filter((c) => has.has(c.toLowerCase()));
    changed = compared.map((c) => `c.${q(c)} is distinct from s.${q(c)}`).join(' or ') || 'false';
  }
  // A key back after its deletion record starts again at the snapshot time, so history has no overlap.
  const validFrom = settings.strategy === 'timestamp' && newRecord ? `case when ${curDeleted} then ${now} else ${updated} end` : updated;
  const upserts = [
    ...plan.columns.map((c) => `s.${q(c)}`),
    `${scdHash([...keys.map((k) => `s.${q(k)}`), updated])} as dbt_scd_id`,
    `${updated} as dbt_updated_at`,
    `${validFrom} as dbt_valid_from`,
    `nullif(${updated}, ${updated}) as dbt_valid_to`,
    ...(newRecord ? [`'False' as ${IS_DELETED}`] : []),
    `case when c.dbt_scd_id is null then null else ${validFrom} end as strata_close_at`,
    'true as strata_insert',
  ];
  const parts = [
    `select\n  ${upserts.join(',\n  ')}\nfrom ${sql.relation(source)} as s\nleft join current_rows as c on ${match('c', 's')}\nwhere c.dbt_scd_id is null or (${changed})${newRecord ? ` or ${curDeleted}` : ''}`,
  ];
  if (settings.hardDeletes !== 'ignore') {
    const deletions = [
      ...plan.columns.map((c) => (has.has(c.toLowerCase()) ? `c.${q(c)}` : `null as ${q(c)}`)),
      `${scdHash([...keys.map((k) => `c.${q(k)}`), now])} as dbt_scd_id`,
      `${now} as dbt_updated_at`,
      `${now} as dbt_valid_from`,
      `nullif(${now}, ${now}) as dbt_valid_to`,
      ...(newRecord ? [`'True' as ${IS_DELETED}`] : []),
      `${now} as strata_close_at`,
      `${newRecord} as strata_insert`,
    ];
    parts.push(`select\n  ${deletions.join(',\n  ')}\nfrom current_rows as c\nwhere not exists (select 1 from ${sql.relation(source)} as s where ${match('s', 'c')})${newRecord ? ` and not ${curDeleted}` : ''}`);
  }
  return `with current_rows as (\n  select * from ${sql.relation(target)} where dbt_valid_to is null\n)\n${parts.join('\nunion all\n')}`;
}

/** The statements that apply staged rows: close current versions, insert new ones. */
export function applySnapshotSql(sql: SqlDialect, plan: SnapshotPlan, staging: RelationRef, target: RelationRef): string[] {
  const q = (c: string) => sql.quote(c);
  const match = plan.settings.uniqueKey.map((k) => `t.${q(k)} = stg.${q(k)}`).join(' and ');
  const columns = [...plan.columns, ...SNAPSHOT_COLUMNS, ...(plan.settings.hardDeletes === 'new_record' ? [IS_DELETED] : [])];
  const list = columns.map(q).join(', ');
  return [
    `update ${sql.relation(target)} as t\nset dbt_valid_to = stg.strata_close_at\nfrom ${sql.relation(staging)} as stg\nwhere stg.strata_close_at is not null and t.dbt_valid_to is null and ${match}`,
    `insert into ${sql.relation(target)} (${list})\nselect ${list} from ${sql.relation(staging)}\nwhere strata_insert`,
  ];
}

function updatedExpr(sql: SqlDialect, plan: SnapshotPlan, alias: string): string {
  // dbt's check strategy stamps rows with the snapshot time; timestamp uses the source column.
  return plan.settings.strategy === 'timestamp' ? `${alias}.${sql.quote(plan.settings.updatedAt!)}` : plan.now;
}

/**
 * `snapshot`: type-2 slowly changing dimension, as dbt builds it. The select is built into a
 * temporary table first; the first run creates the snapshot from it, later runs stage the
 * changes and apply them (schema additions, closes, inserts) in one transaction, so a failed
 * or killed run leaves the snapshot as it was. Snapshots never full-refresh.
 */
export async function materializeSnapshot(ctx: MaterializationContext): Promise<MaterializationResult> {
  const { sql } = ctx.adapter;
  const { node } = ctx;
  if (ctx.existing === 'view') {
    throw new UserError(`snapshot '${node.name}' would be ${node.relation_name}, which is a view`, { file: node.original_file_path, hint: 'drop the view, or give the snapshot another alias or target_schema' });
  }
  const settings = snapshotSettings(node);
  const source = tempRelation(ctx.relation, '__strata_snap_src');
  const staging = tempRelation(ctx.relation, '__strata_snap_stg');
  await dropLeftover(ctx, source);
  await dropLeftover(ctx, staging);
  await run(ctx, sql.createTableAs(source, ctx.sql));
  const incoming = await ctx.adapter.getColumns(source);
  try {
    checkColumns(ctx, settings, incoming);
    await checkUniqueKey(ctx, settings, source);
  } catch (error) {
    await run(ctx, sql.drop(source, 'table'));
    throw error;
  }
  const plan: SnapshotPlan = { settings, now: snapshotTime(new Date()), columns: incoming.map((c) => c.name) };

  if (!ctx.existing) {
    const created = await run(ctx, sql.createTableAs(staging, firstSnapshotSql(sql, plan, source)));
    const rows = created.rowsAffected ?? (await countStaged(ctx, staging, 'true')).inserted;
    await runAtomically(ctx, [sql.rename(staging, 'table', ctx.relation.identifier), sql.drop(source, 'table')]);
    return { type: 'table', rowsAffected: rows, message: `INSERT ${rows}` };
  }

  const existing = await ctx.adapter.getColumns(ctx.relation);
  const has = new Set(existing.map((c) => c.name.toLowerCase()));
  for (const column of SNAPSHOT_COLUMNS) {
    if (!has.has(column)) {
      await run(ctx, sql.drop(source, 'table'));
      throw new UserError(`${node.relation_name} has no column ${column}, so it is not a snapshot table`, { file: node.original_file_path, hint: 'drop the table, or give the snapshot another alias or target_schema' });
    }
  }
  await run(ctx, sql.createTableAs(staging, stagingSnapshotSql(sql, plan, source, ctx.relation, existing.map((c) => c.name))));
  const counts = await countStaged(ctx, staging);
  // Columns new in the select are added to the snapshot, as dbt does; gone ones stay, null from now on.
  const statements: string[] = incoming.filter((c) => !has.has(c.name.toLowerCase())).map((c) => sql.addColumn(ctx.relation, c));
  if (settings.hardDeletes === 'new_record' && !has.has(IS_DELETED)) statements.push(sql.addColumn(ctx.relation, { name: IS_DELETED, dataType: 'varchar' }));
  statements.push(...applySnapshotSql(sql, plan, staging, ctx.relation), sql.drop(staging, 'table'), sql.drop(source, 'table'));
  await runAtomically(ctx, statements);
  return { type: 'table', rowsAffected: counts.inserted + counts.closed, message: `INSERT ${counts.inserted}, UPDATE ${counts.closed}` };
}

function checkColumns(ctx: MaterializationContext, settings: SnapshotSettings, incoming: ColumnDef[]): void {
  const names = incoming.map((c) => c.name);
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const needed: [string, string][] = settings.uniqueKey.map((k) => [k, 'unique_key']);
  if (settings.updatedAt) needed.push([settings.updatedAt, 'updated_at']);
  if (settings.checkCols !== 'all') for (const c of settings.checkCols) needed.push([c, 'check_cols']);
  for (const [column, key] of needed) {
    if (!lower.has(column.toLowerCase())) {
      throw new UserError(`snapshot '${ctx.node.name}': ${key} names column '${column}', which its select does not return`, { file: ctx.node.original_file_path, hint: didYouMean(column, names) || `the select returns: ${names.join(', ')}` });
    }
  }
  const reserved = new Set<string>([...SNAPSHOT_COLUMNS, IS_DELETED]);
  for (const column of names) {
    if (reserved.has(column.toLowerCase())) {
      throw new UserError(`snapshot '${ctx.node.name}': its select returns '${column}', a column the snapshot adds itself`, { file: ctx.node.original_file_path, hint: 'rename or leave out that column' });
    }
  }
}

async function checkUniqueKey(ctx: MaterializationContext, settings: SnapshotSettings, source: RelationRef): Promise<void> {
  const { sql } = ctx.adapter;
  const keys = settings.uniqueKey.map((k) => sql.quote(k)).join(', ');
  const result = await ctx.adapter.execute(`select count(*) from (select ${keys} from ${sql.relation(source)} group by ${keys} having count(*) > 1) as strata_dupes`);
  const duplicated = Number(result.rows[0]?.[0] ?? 0);
  if (duplicated > 0) {
    throw new UserError(`snapshot '${ctx.node.name}': unique_key (${settings.uniqueKey.join(', ')}) is not unique in its select: ${duplicated} key${duplicated === 1 ? '' : 's'} appear more than once`, {
      file: ctx.node.original_file_path,
      hint: 'a snapshot keeps one current row per key; fix the select or the unique_key',
    });
  }
}

async function countStaged(ctx: MaterializationContext, staging: RelationRef, insert = 'strata_insert'): Promise<{ inserted: number; closed: number }> {
  const closed = insert === 'true' ? '0' : 'sum(case when strata_close_at is not null then 1 else 0 end)';
  const result = await ctx.adapter.execute(`select coalesce(sum(case when ${insert} then 1 else 0 end), 0), coalesce(${closed}, 0) from ${ctx.adapter.sql.relation(staging)}`);
  return { inserted: Number(result.rows[0]?.[0] ?? 0), closed: Number(result.rows[0]?.[1] ?? 0) };
}
