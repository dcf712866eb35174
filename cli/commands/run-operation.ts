import { performance } from 'node:perf_hooks';
import { runResultsArtifact, type NodeResult } from '../../core/artifacts/run-results.js';
import { varsLookSecret } from '../../core/state/var-checksums.js';
import { parseMapping, recordedVars } from '../options.js';
import { formatTable } from '../output/table.js';
import { sessionCompiler, writeArtifact, writeManifest, type Session } from '../session.js';

export interface RunOperationOptions {
  args?: string;
  vars?: string;
}

/**
 * `run-operation NAME --args '{...}'`, as in dbt: renders the macro (a partial or a JS helper)
 * with the args and runs the SQL it gives on the target, outside of any model. Rows the last
 * statement returns are printed.
 */
export async function runOperation(session: Session, name: string, options: RunOperationOptions): Promise<number> {
  const { logger, adapter, project } = session;
  const args = parseMapping(options.args, '--args', `strata run-operation ${name} --args '{schema: marts, role: reporter}'`);
  const started = performance.now();
  const startedAt = new Date();
  const sql = sessionCompiler(session).renderOperation(name, args);
  const uniqueId = `macro.${project.file.name}.${name}`;
  let status: NodeResult['status'] = 'success';
  let message = 'OK';
  if (!sql) {
    logger.info(`Operation ${name} rendered no SQL: nothing was sent to the target`, 'operation_empty');
  } else {
    logger.log('debug', `Operation ${name} sends:\n${sql}`);
    await session.connect();
    try {
      const result = await adapter.execute(sql);
      const took = ((performance.now() - started) / 1000).toFixed(2);
      if (result.columns.length > 0 && result.rows.length > 0 && logger.format === 'json') {
        // Machines get the rows in the log event, not a table among the JSON lines.
        const names = result.columns.map((c) => c.name);
        logger.info(`Ran operation ${name} in ${took}s`, 'operation_done', { rows: result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))) });
      } else if (result.columns.length > 0 && result.rows.length > 0) {
        logger.info(`Ran operation ${name} in ${took}s; it returned ${result.rows.length} row${result.rows.length === 1 ? '' : 's'}:`, 'operation_done');
        logger.result(formatTable(result.columns.map((c) => c.name), result.rows));
      } else {
        logger.info(`Ran operation ${name} in ${took}s`, 'operation_done');
      }
    } catch (error) {
      // The database refused the macro's SQL: the user's mistake, reported as dbt does, with exit code 1.
      status = 'error';
      message = error instanceof Error ? error.message : String(error);
      logger.error(`Encountered an error while running operation ${name}: ${message}`, 'operation_error');
      logger.error('  hint: `strata run-operation ... --debug` prints the SQL that was sent', 'operation_error');
    } finally {
      await adapter.close();
    }
  }
  writeManifest(session);
  // Args named like secrets (a password for a grant) stay out of the artifact, and so does the SQL they went into.
  const secret = varsLookSecret(args);
  const elapsed = (performance.now() - started) / 1000;
  const result: NodeResult = {
    unique_id: uniqueId,
    status,
    timing: [{ name: 'execute', started_at: startedAt.toISOString(), completed_at: new Date().toISOString() }],
    thread_id: 'main',
    execution_time: elapsed,
    adapter_response: {},
    message,
    failures: null,
    compiled: true,
    compiled_code: secret ? null : sql,
    relation_name: null,
  };
  const artifact = runResultsArtifact({ invocationId: session.invocationId, results: [result], elapsedTime: elapsed, args: { which: 'run-operation', macro: name, args: secret ? null : (options.args ?? '{}'), target: session.target.name, ...recordedVars(options.vars) } });
  writeArtifact(session, 'run_results.json', JSON.stringify(artifact, null, 2));
  return status === 'success' ? 0 : 1;
}
