import type { Adapter, RelationRef, RelationType } from '../adapter/adapter.js';
import type { WarehouseState } from '../compile/compiler.js';
import type { ManifestNode } from '../manifest/nodes.js';

/** Everything a materialization needs to build one node; the runner fills it in. */
export interface MaterializationContext {
  adapter: Adapter;
  node: ManifestNode;
  /** Compiled SQL (empty for seeds). */
  sql: string;
  relation: RelationRef;
  /** Type of the relation already in the warehouse, if any. */
  existing: RelationType | undefined;
  fullRefresh: boolean;
  /** --empty: the SQL reads no rows (refs and sources are empty selects). */
  empty?: boolean;
  /** What is in the warehouse now (read once per run by the runner), including leftovers. */
  state: WarehouseState;
  /** Absolute path of the project root (seeds read their CSV from there). */
  projectRoot: string;
  /** Every statement run, in order, so the runner can write target/run/. */
  log: string[];
}

/** What a materialization reports back to the runner. */
export interface MaterializationResult {
  /** Type of the relation now in the warehouse (undefined: nothing is left, e.g. ephemeral). */
  type: RelationType | undefined;
  rowsAffected: number | null;
  /** dbt-style adapter message, e.g. `CREATE TABLE (42 rows)` or `INSERT 10`. */
  message: string;
}

/** Runs SQL through the adapter and keeps it for target/run/. */
export async function run(ctx: MaterializationContext, sql: string) {
  ctx.log.push(sql);
  return ctx.adapter.execute(sql);
}

/** Runs statements in one transaction and keeps them for target/run/. */
export async function runAtomically(ctx: MaterializationContext, statements: string[]): Promise<void> {
  ctx.log.push(...statements);
  await ctx.adapter.transaction(statements);
}

/** The name a relation is built under before it is swapped in. */
export function tempRelation(relation: RelationRef, suffix = '__strata_tmp'): RelationRef {
  return { ...relation, identifier: `${relation.identifier}${suffix}` };
}

/**
 * Replaces `relation` by the already-built `temp` in one transaction (drop old, rename new),
 * so readers see either the old relation or the new one, never a half-built one.
 */
export async function swapRelation(ctx: MaterializationContext, temp: RelationRef, type: RelationType): Promise<void> {
  const { sql } = ctx.adapter;
  const statements: string[] = [];
  if (ctx.existing) statements.push(sql.drop(ctx.relation, ctx.existing));
  statements.push(sql.rename(temp, type, ctx.relation.identifier));
  await runAtomically(ctx, statements);
}

/** Drops a leftover temp relation from an earlier killed run, whatever its type. */
export async function dropLeftover(ctx: MaterializationContext, temp: RelationRef): Promise<void> {
  const found = ctx.state.relationType(temp);
  if (found) await run(ctx, ctx.adapter.sql.drop(temp, found));
}

/** Counts rows of a relation, for the run line, unless the warehouse already said. */
export async function countRows(ctx: MaterializationContext, relation: RelationRef, reported: number | null = null): Promise<number | null> {
  if (reported !== null) return reported;
  const result = await ctx.adapter.execute(`select count(*) as n from ${ctx.adapter.sql.relation(relation)}`);
  const value = result.rows[0]?.[0];
  return value === undefined || value === null ? null : Number(value);
}
