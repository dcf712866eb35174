import path from 'node:path';
import { FileWriter } from '../../core/artifacts/file-writer.js';
import { runResultsArtifact, type NodeResult } from '../../core/artifacts/run-results.js';
import { UserError } from '../../core/errors/user-error.js';
import { buildExecutor } from '../../core/runner/build-node.js';
import { RelationCache } from '../../core/runner/relation-cache.js';
import { dataTestExecutor } from '../../core/runner/run-data-test.js';
import { runNodes } from '../../core/runner/run-nodes.js';
import { withTestGates } from '../../core/runner/test-gates.js';
import { formatTable } from '../output/table.js';
import { unitTestExecutor } from './unit-test-executor.js';
import { RunReporter } from '../output/run-reporter.js';
import { listedTypes, recordedVars, type SelectOptions, type StateOptions } from '../options.js';
import { prepareDeferral } from './prepare-deferral.js';
import { selectNodes, sessionCompiler, writeArtifact, writeManifest, type Session } from '../session.js';

export interface BuildOptions extends SelectOptions, StateOptions {
  fullRefresh?: boolean;
  failFast?: boolean;
  vars?: string;
  /** --store-failures: tests that do not set store_failures keep their failing rows (dbt's flag). */
  storeFailures?: boolean;
  /** build: only these resource types (dbt's --resource-type), or all but these (--exclude-resource-type). */
  resourceType?: string[];
  excludeResourceType?: string[];
  /** `strata retry`: run exactly these nodes instead of a selection. */
  onlyIds?: ReadonlySet<string>;
  /** dbt's --empty: refs and sources read no rows, so models build with their columns and no data. */
  empty?: boolean;
}

/** `run`, `seed`, `test` and `build`: selected nodes of the given types, in DAG order. Returns the exit code. */
export async function runBuild(session: Session, options: BuildOptions, resourceTypes: readonly string[], command: string): Promise<number> {
  const { logger, project, adapter } = session;
  const types = narrowTypes(resourceTypes, options);
  const ids = options.onlyIds ? new Set(options.onlyIds) : selectNodes(session, options, types);
  if (options.empty && options.fullRefresh) {
    throw new UserError('--empty with --full-refresh would replace every incremental table with an empty one', { hint: 'drop --full-refresh: under --empty, incremental tables that exist take no new rows and keep theirs' });
  }
  if (options.empty) {
    // A snapshot fed empty selects would record every row it tracks as gone (with hard_deletes), so --empty leaves snapshots out.
    const snapshots = new Set([...ids].filter((id) => project.all.get(id)?.resource_type === 'snapshot'));
    // With them, their tests: they would test a snapshot that may not exist.
    const tests = [...ids].filter((id) => project.nodes.get(id)?.resource_type === 'test' && project.nodes.get(id)!.depends_on.nodes.some((parent) => snapshots.has(parent)));
    for (const id of [...snapshots, ...tests]) ids.delete(id);
    if (snapshots.size) logger.info(`--empty: ${snapshots.size} snapshot${snapshots.size === 1 ? '' : 's'} and ${tests.length} test${tests.length === 1 ? '' : 's'} of them not run (an empty select would end the history of every row)`);
  }
  const counts = [...ids].reduce((m, id) => m.set(project.all.get(id)!.resource_type, (m.get(project.all.get(id)!.resource_type) ?? 0) + 1), new Map<string, number>());
  logger.info(`Found ${[...counts].map(([t, n]) => `${n} ${t}${n === 1 ? '' : 's'}`).join(', ') || 'nothing selected'}`);
  if (ids.size === 0) {
    logger.warn('Nothing to do: the selection matched no nodes. Try `strata ls` with the same --select to see what it matches.');
    writeManifest(session);
    return 0;
  }
  logger.info(`Concurrency: ${session.threads} threads (target='${session.target.name}', ${adapter.describe()})`);
  logger.info('');
  await session.connect();
  const started = performance.now();
  const writer = new FileWriter();
  const unitTest = unitTestExecutor(session);
  let results: NodeResult[] = [];
  try {
    const cache = new RelationCache(adapter);
    const nodes = [...ids].map((id) => project.nodes.get(id)!).filter(Boolean);
    await cache.load(nodes.filter((n) => n.resource_type !== 'test' && n.resource_type !== 'unit_test').map((n) => ({ database: n.database, schema: n.schema })));
    const deferral = await prepareDeferral(session, options, ids, cache);
    const compiler = sessionCompiler(session, { deferral, state: cache, fullRefresh: options.fullRefresh, empty: options.empty });
    for (const hook of project.file.onRunStart) await adapter.execute(compiler.renderSnippet(hook, null, 'project.yml (on-run-start)'));
    const reporter = new RunReporter(logger);
    const abort = new AbortController();
    const onSigint = () => {
      logger.warn('Stopping: waiting for running nodes to finish (press Ctrl-C again to quit now; nothing half-built is left behind either way)');
      process.off('SIGINT', onSigint);
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const build = buildExecutor({ adapter, compiler, cache, projectRoot: project.file.root, targetDir: session.targetDir, fullRefresh: Boolean(options.fullRefresh), empty: options.empty, writer });
      const test = dataTestExecutor({ adapter, compiler, targetDir: session.targetDir, writer, formatRows: formatTable, warnError: session.warnError, storeFailures: options.storeFailures });

      results = await runNodes({
        dag: withTestGates(project.dag, project.nodes, ids),
        nodes: project.nodes,
        ids,
        threads: session.threads,
        failFast: options.failFast,
        execute: (node, thread) => (node.resource_type === 'test' ? test(node, thread) : node.resource_type === 'unit_test' ? unitTest.run(node, thread) : build(node, thread)),
        isSilent: (node) => node.config.materialized === 'ephemeral',
        onEvent: reporter.onEvent,
        signal: abort.signal,
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    for (const hook of project.file.onRunEnd) await adapter.execute(compiler.renderSnippet(hook, null, 'project.yml (on-run-end)'));
    reporter.summary(results, project.nodes, (performance.now() - started) / 1000);
    if (results.length) logger.info(`Results are in ${adapter.describe()}; artifacts in ${path.relative(process.cwd(), session.targetDir) || "."}/ (try: strata show --select <model>)`);
  } finally {
    await unitTest.close();
    await writer.flush();
    await adapter.close();
    writeManifest(session);
    const artifact = runResultsArtifact({
      invocationId: session.invocationId,
      results,
      elapsedTime: (performance.now() - started) / 1000,
      args: {
        which: command,
        select: options.select ?? [],
        exclude: options.exclude ?? [],
        selector: options.selector ?? null,
        indirect_selection: options.indirectSelection ?? 'eager',
        full_refresh: Boolean(options.fullRefresh),
        fail_fast: Boolean(options.failFast),
        warn_error: session.warnError,
        store_failures: Boolean(options.storeFailures),
        empty: Boolean(options.empty),
        threads: session.threads,
        target: session.target.name,
        // Vars named like secrets stay out of the artifact; `strata retry` then asks for --vars again.
        ...recordedVars(options.vars),
        // What `strata retry` needs to rerun with the same deferral.
        state: session.state ? path.resolve(session.state.previous.dir) : null,
        defer: Boolean(options.defer),
        favor_state: Boolean(options.favorState),
      },
    });
    writeArtifact(session, 'run_results.json', JSON.stringify(artifact, null, 2));
  }
  return results.some((r) => r.status === 'error' || r.status === 'fail' || r.status === 'runtime error') ? 1 : 0;
}

/** The command's resource types, narrowed by --resource-type and --exclude-resource-type (build's, as in dbt). */
function narrowTypes(types: readonly string[], options: BuildOptions): readonly string[] {
  const only = options.resourceType?.length ? new Set(listedTypes(options.resourceType)) : undefined;
  const except = options.excludeResourceType?.length ? new Set(listedTypes(options.excludeResourceType, '--exclude-resource-type')) : new Set<string>();
  return types.filter((type) => (!only || only.has(type)) && !except.has(type));
}
