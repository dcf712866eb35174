import type { ColumnDef, Constraint, ConstraintDialect, ConstraintSupport, ConstraintType, ContractColumn, QueryResult, RelationRef, RelationType } from '../../adapter/adapter.js';
import { run, type MaterializationContext } from '../materialization.js';
import { compareWithContract, contractViolation } from './contract-violation.js';
import type { ModelContract } from './model-contract.js';

/** The constraints a dialect declares, and a note on each one it leaves out or does not enforce. */
export interface ConstraintPlan {
  columns: ContractColumn[];
  constraints: Constraint[];
  notes: string[];
}

/**
 * Compares the columns of the relation just built under `temp` with the contract. On a
 * mismatch it drops `temp` (so nothing is swapped in) and throws the violation.
 */
export async function checkBuiltColumns(ctx: MaterializationContext, contract: ModelContract, temp: RelationRef, type: RelationType): Promise<ColumnDef[]> {
  const actual = await ctx.adapter.getColumns(temp);
  const mismatches = compareWithContract(contract.columns, actual, (a, b) => ctx.adapter.sql.sameType(a, b));
  if (mismatches.length) {
    await run(ctx, ctx.adapter.sql.drop(temp, type));
    throw contractViolation(ctx.node.name, mismatches, contract.locate(), ctx.existing && `${ctx.existing} ${ctx.adapter.sql.relation(ctx.relation)}`);
  }
  return actual;
}

/** Splits the contract's constraints by what the warehouse can declare. */
export function planConstraints(contract: ModelContract, supportOf: (type: ConstraintType) => ConstraintSupport): ConstraintPlan {
  const notes: string[] = [];
  const keep = (constraint: Constraint, on: string): boolean => {
    const support = supportOf(constraint.type);
    if (support === 'not_supported') notes.push(`${constraint.type} constraint ${on} is not applied: the warehouse cannot declare it`);
    else if (support === 'not_enforced') notes.push(`${constraint.type} constraint ${on} is declared but the warehouse does not enforce it`);
    return support !== 'not_supported';
  };
  const columns = contract.columns.map((c) => ({ ...c, constraints: c.constraints.filter((k) => keep(k, `on column ${c.name}`)) }));
  const constraints = contract.constraints.filter((k) => keep(k, k.columns ? `on (${k.columns.join(', ')})` : 'on the table'));
  return { columns, constraints, notes };
}

/**
 * Builds `temp` as a table with the contract's columns (in declared order) and constraints,
 * then fills it from the model's SQL, so the warehouse rejects rows that break a constraint
 * before anything is swapped in. The SQL's own columns are checked first on an empty build:
 * the typed insert would otherwise cast or leave out what does not match.
 */
export async function createConstrainedTable(ctx: MaterializationContext, contract: ModelContract, sql: ConstraintDialect, temp: RelationRef): Promise<QueryResult> {
  await run(ctx, sql.createTableAs(temp, sql.limit(ctx.sql, 0)));
  const actual = await checkBuiltColumns(ctx, contract, temp, 'table');
  await run(ctx, sql.drop(temp, 'table'));
  const plan = planConstraints(contract, (type) => sql.constraintSupport(type));
  for (const note of plan.notes) ctx.log.push(`-- ${note}`);
  await run(ctx, sql.createTableWithConstraints(temp, plan.columns, plan.constraints));
  const builtName = new Map(actual.map((c) => [c.name.toLowerCase(), c.name]));
  const names = plan.columns.map((c) => c.name);
  try {
    return await run(ctx, sql.insertSelect(temp, names, ctx.sql, names.map((n) => builtName.get(n.toLowerCase()) ?? n)));
  } catch (error) {
    // The rows broke a constraint (or the SQL failed): the empty table must not linger.
    await ctx.adapter.execute(sql.drop(temp, 'table')).catch(() => undefined);
    throw error;
  }
}

/** Leaves a note in target/run/ for each constraint not applied to a view, or to a table of a dialect without constraints. */
export function noteUnappliedConstraints(ctx: MaterializationContext, contract: ModelContract, type: RelationType): void {
  if (type === 'view') {
    const count = contract.columns.reduce((n, c) => n + c.constraints.length, contract.constraints.length);
    // dbt does the same: a view holds no rows, so there is nothing for a constraint to check.
    if (count) ctx.log.push(`-- ${count} constraint${count === 1 ? '' : 's'} not applied: constraints apply to tables, not views`);
    return;
  }
  for (const note of planConstraints(contract, () => 'not_supported').notes) ctx.log.push(`-- ${note}`);
}
