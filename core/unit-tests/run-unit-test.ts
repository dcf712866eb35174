import type { Adapter } from '../adapter/adapter.js';
import type { NodeResult, NodeStatus, Timing } from '../artifacts/run-results.js';
import type { CompileOptions } from '../compile/compiler.js';
import { isUserError } from '../errors/user-error.js';
import type { Project } from '../project/load-project.js';
import { compileUnitTest } from './compile-unit-test.js';
import { diffRows, formatRowDiff } from './row-diff.js';
import type { UnitTestNode } from './unit-test-node.js';

/** What running one unit test needs. */
export interface RunUnitTestInput {
  project: Project;
  node: UnitTestNode;
  /** Where the test's queries run (an in-memory DuckDB by default); open, and left open. */
  adapter: Adapter;
  /** The run's compile options; the target type is set to the adapter's, so macros dispatch for it. */
  compileOptions: CompileOptions;
  threadId?: string;
}

/** Raised when a query fails, with what it was doing. */
class QueryError extends Error {}

/**
 * Runs the model over the given rows and compares what it returns with the expected rows, on
 * the expected columns only and ignoring order: `pass`, `fail` with a row diff, or `error`.
 * Reads only: it creates nothing in the database.
 */
export async function runUnitTest(input: RunUnitTestInput): Promise<NodeResult> {
  const { project, node, adapter } = input;
  const started = performance.now();
  const timing: Timing[] = [];
  let mark = new Date();
  const result = (status: NodeStatus, message: string | null, failures: number | null, sql: string | null): NodeResult => ({
    unique_id: node.unique_id,
    status,
    timing,
    thread_id: input.threadId ?? 'main',
    execution_time: (performance.now() - started) / 1000,
    adapter_response: {},
    message,
    failures,
    compiled: sql !== null,
    compiled_code: sql,
    relation_name: null,
  });

  let compiled;
  try {
    compiled = compileUnitTest(project, node, { ...input.compileOptions, target: { ...input.compileOptions.target, type: adapter.type } });
  } catch (error) {
    return result('error', describe(error), null, null);
  }
  timing.push({ name: 'compile', started_at: mark.toISOString(), completed_at: (mark = new Date()).toISOString() });

  const quote = (name: string) => adapter.sql.quote(name);
  const run = async (sql: string, doing: string) => {
    try {
      return await adapter.execute(sql);
    } catch (error) {
      throw new QueryError(`${doing}: ${describe(error)}`);
    }
  };
  try {
    const actualFrom = `(\n${compiled.sql.trim().replace(/;+\s*$/, '')}\n) as __strata_actual`;
    const actualColumns = (await run(`select * from ${actualFrom}\nlimit 0`, `the model '${node.model}' failed on the given rows`)).columns;
    let columns = actualColumns.map((c) => c.name);
    let expectedRows: unknown[][] = [];
    if (compiled.expectedSql !== null) {
      const expectedFrom = `(\n${compiled.expectedSql}\n) as __strata_expected`;
      const expectedColumns = (await run(`select * from ${expectedFrom}\nlimit 0`, 'the expected rows are not a valid query')).columns;
      const actualByName = new Map(actualColumns.map((c) => [c.name.toLowerCase(), c]));
      const unknown = expectedColumns.filter((c) => !actualByName.has(c.name.toLowerCase())).map((c) => c.name);
      if (unknown.length) {
        const list = unknown.map((c) => `'${c}'`).join(', ');
        const message = `expect names ${unknown.length === 1 ? 'column' : 'columns'} ${list}, which '${node.model}' does not return\n  hint: it returns ${columns.join(', ') || 'no columns'}`;
        return withExecute(timing, mark, result('error', message, null, compiled.sql));
      }
      columns = expectedColumns.map((c) => actualByName.get(c.name.toLowerCase())!.name);
      // Expected values are text or loosely typed literals: cast to the model's types, both sides compare alike.
      const casts = expectedColumns.map((c, i) => `cast(${quote(c.name)} as ${actualByName.get(c.name.toLowerCase())!.dataType}) as ${quote(columns[i])}`);
      expectedRows = (await run(`select ${casts.join(', ')}\nfrom ${expectedFrom}`, `the expected rows do not fit the types of the columns '${node.model}' returns`)).rows;
    }
    const actualRows = (await run(`select ${columns.map(quote).join(', ') || '*'}\nfrom ${actualFrom}`, `the model '${node.model}' failed on the given rows`)).rows;
    const diff = diffRows(expectedRows, actualRows);
    const failures = diff.missing.length + diff.extra.length;
    return withExecute(timing, mark, result(failures ? 'fail' : 'pass', failures ? formatRowDiff(columns, diff) : null, failures, compiled.sql));
  } catch (error) {
    if (error instanceof QueryError) return withExecute(timing, mark, result('error', error.message, null, compiled.sql));
    throw error;
  }
}

function withExecute(timing: Timing[], mark: Date, result: NodeResult): NodeResult {
  timing.push({ name: 'execute', started_at: mark.toISOString(), completed_at: new Date().toISOString() });
  return result;
}

function describe(error: unknown): string {
  if (isUserError(error)) return error.format();
  return error instanceof Error ? error.message : String(error);
}
