import path from 'node:path';
import type { Adapter } from '../adapter/adapter.js';
import type { FileWriter } from '../artifacts/file-writer.js';
import type { NodeResult, NodeStatus } from '../artifacts/run-results.js';
import { compiledPath } from '../compile/compiled-path.js';
import type { Compiler } from '../compile/compiler.js';
import type { ManifestNode } from '../manifest/nodes.js';
import type { NodeExecutor } from './run-nodes.js';

export interface DataTestExecutorOptions {
  adapter: Adapter;
  compiler: Compiler;
  targetDir: string;
  writer: FileWriter;
  /** How many failing rows a failure shows. */
  sampleRows?: number;
  /** Turns sample rows into text for the message (the CLI's table formatter). */
  formatRows?: (columns: string[], rows: unknown[][]) => string;
  /** --warn-error: a test that would warn fails instead. */
  warnError?: boolean;
  /** --store-failures: keep failing rows for the tests whose store_failures is not set (true or false in a config wins). */
  storeFailures?: boolean;
}

/** A comparison such as `!= 0` or `> 10`; anything else is refused rather than pasted into SQL. */
const CONDITION = /^\s*(=|==|!=|<>|>=|<=|>|<)\s*-?\d+(\.\d+)?\s*$/;

/** pass, warn or fail from the failure count and the test's severity and thresholds (dbt's rules); with --warn-error a warning is a failure. */
export function testStatus(config: ManifestNode['config'], shouldWarn: boolean, shouldError: boolean, warnError = false): NodeStatus {
  const severity = String(config.severity ?? 'ERROR').toUpperCase();
  if (severity === 'ERROR' && shouldError) return 'fail';
  if (shouldWarn) return warnError ? 'fail' : 'warn';
  return 'pass';
}

function condition(value: unknown, name: string, node: ManifestNode): string {
  const text = String(value ?? '!= 0');
  if (!CONDITION.test(text)) throw new Error(`${name} of test ${node.name} must be a comparison with a number, like '!= 0' or '> 10', not '${text}'`);
  return text.replace('==', '=');
}

/** Where a generic test was declared, for messages about it. */
function declaredAt(node: ManifestNode): string {
  const at = node.declared_at;
  if (!at) return node.original_file_path;
  const line = at.line();
  return line ? `${at.file}:${line}` : at.file;
}

/**
 * A NodeExecutor for data tests: runs the compiled query (rows are failures), counts them
 * against warn_if/error_if, keeps them in the audit schema with store_failures, and shows a
 * few of them on failure.
 */
export function dataTestExecutor(options: DataTestExecutorOptions): NodeExecutor {
  const { adapter, compiler } = options;
  const { sql } = adapter;
  return async (node: ManifestNode, threadId: string): Promise<NodeResult> => {
    const started = performance.now();
    const compiledAt = new Date();
    const compiled = compiler.compile(node).sql;
    const compiledFile = compiledPath(options.targetDir, 'compiled', node);
    options.writer.write(compiledFile, compiled);
    const executeAt = new Date();
    const limit = typeof node.config.limit === 'number' ? node.config.limit : null;
    let failing = limit === null ? compiled : sql.limit(compiled, limit);
    let stored: string | null = null;
    try {
      if (node.config.store_failures === true || (node.config.store_failures == null && options.storeFailures === true)) {
        const relation = { database: node.database, schema: node.schema, identifier: node.alias };
        await adapter.createSchema(node.database, node.schema);
        await adapter.transaction([sql.drop(relation, 'table'), sql.createTableAs(relation, failing)]);
        stored = sql.relation(relation);
        failing = `select * from ${stored}`;
      }
      const failCalc = typeof node.config.fail_calc === 'string' ? node.config.fail_calc : 'count(*)';
      const warnIf = condition(node.config.warn_if, 'warn_if', node);
      const errorIf = condition(node.config.error_if, 'error_if', node);
      const counted = await adapter.execute(
        `select ${failCalc} as failures, (${failCalc}) ${warnIf} as should_warn, (${failCalc}) ${errorIf} as should_error\nfrom (\n${failing}\n) strata_internal_test`,
      );
      const [failuresRaw, shouldWarn, shouldError] = counted.rows[0] ?? [0, false, false];
      const failures = Number(failuresRaw ?? 0);
      const warned = shouldWarn === true || shouldWarn === 'true';
      const errored = shouldError === true || shouldError === 'true';
      const status = testStatus(node.config, warned, errored, options.warnError);
      // Failed by --warn-error: what it was configured to warn about.
      const byWarnError = status === 'fail' && testStatus(node.config, warned, errored) === 'warn';
      const how = status === 'fail' && !byWarnError ? `fail if ${errorIf.trim()}` : `warn if ${warnIf.trim()}${byWarnError ? ', a failure with --warn-error' : ''}`;
      let message: string | null = status === 'pass' ? null : `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${how}`;
      if (status !== 'pass') {
        const sample = await adapter.execute(sql.limit(failing, options.sampleRows ?? 5));
        const table = options.formatRows?.(sample.columns.map((c) => c.name), sample.rows) ?? JSON.stringify(sample.rows);
        message += `\n  compiled SQL: ${path.relative(process.cwd(), compiledFile) || compiledFile}`;
        if (stored) message += `\n  failing rows stored in ${stored}`;
        message += `\n${table}`;
      }
      return {
        unique_id: node.unique_id,
        status,
        timing: [
          { name: 'compile', started_at: compiledAt.toISOString(), completed_at: executeAt.toISOString() },
          { name: 'execute', started_at: executeAt.toISOString(), completed_at: new Date().toISOString() },
        ],
        thread_id: threadId,
        execution_time: (performance.now() - started) / 1000,
        adapter_response: {},
        message,
        failures,
        compiled: true,
        compiled_code: compiled,
        relation_name: stored,
      };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      // A test on a column the model does not have fails in the database; say where it was declared.
      const column = /column[^"]*"([^"]+)"[^\n]*not found|column "?([\w]+)"? (?:does not exist|not found)/i.exec(text);
      const hint = column ? `column '${column[1] ?? column[2]}' does not exist in the tested relation (test declared at ${declaredAt(node)})` : `test declared at ${declaredAt(node)}`;
      throw new Error(`${text.split('\n')[0]}\n  ${hint}\n  compiled SQL: ${path.relative(process.cwd(), compiledFile) || compiledFile}`);
    }
  };
}
