import path from 'node:path';
import type { RelationRef } from '../../core/adapter/adapter.js';
import { runResultsArtifact, type NodeResult } from '../../core/artifacts/run-results.js';
import { UserError } from '../../core/errors/user-error.js';
import type { ManifestNode } from '../../core/manifest/nodes.js';
import { RelationCache } from '../../core/runner/relation-cache.js';
import { runNodes } from '../../core/runner/run-nodes.js';
import { attachStateDatabases } from '../../core/state/attach-state-databases.js';
import { Deferral } from '../../core/state/deferral.js';
import type { SelectOptions, StateOptions } from '../options.js';
import { RunReporter } from '../output/run-reporter.js';
import { selectNodes, writeArtifact, writeManifest, type Session } from '../session.js';

export interface CloneOptions extends SelectOptions, StateOptions {
  fullRefresh?: boolean;
  /** `strata retry`: clone exactly these nodes. */
  onlyIds?: ReadonlySet<string>;
}

const STATE_TABLES = new Set(['table', 'incremental', 'seed', 'snapshot']);

/**
 * dbt's `clone`: creates each selected model, seed and snapshot in this target as a zero-copy
 * clone of the --state relation where the adapter can, else as a view that selects from it.
 * Relations this target already has are kept unless --full-refresh.
 */
export async function runClone(session: Session, options: CloneOptions): Promise<number> {
  const { project, adapter, logger } = session;
  if (!session.state) {
    throw new UserError('clone copies the relations of a previous run, and no --state was given', { hint: "add --state DIR, the folder of that run's manifest.json (e.g. production's artifacts)" });
  }
  const previous = session.state.previous.manifest;
  const chosen = options.onlyIds ? new Set(options.onlyIds) : selectNodes(session, options, ['model', 'seed', 'snapshot']);
  const nodes = [...chosen].map((id) => project.nodes.get(id)).filter((n): n is ManifestNode => Boolean(n && n.config.materialized !== 'ephemeral'));
  const missing = nodes.filter((n) => !previous.nodes[n.unique_id]?.relation_name);
  for (const node of missing) logger.warn(`${node.name} is not in the state manifest (or is ephemeral there): nothing to clone it from`);
  const cloned = nodes.filter((n) => !missing.includes(n));
  const ids = new Set(cloned.map((n) => n.unique_id));
  logger.info(`Found ${ids.size} relation${ids.size === 1 ? '' : 's'} to clone from ${session.state.previous.dir}`);
  if (ids.size === 0) return 0;
  await session.connect();
  const started = performance.now();
  let results: NodeResult[] = [];
  try {
    const cache = new RelationCache(adapter);
    await cache.load(cloned.map((n) => ({ database: n.database, schema: n.schema })));
    // Cloning is deferral of every selected node: the state's relation, wherever the adapter sees it.
    const deferral = new Deferral({ previous, nodes: cloned, selected: new Set(), favorState: true, exists: () => true, sql: adapter.sql });
    for (const message of await attachStateDatabases(adapter, deferral, previous)) logger.info(message);
    const canClone = adapter.canCloneRelations?.() ?? false;
    if (!canClone) {
      logger.info(`${adapter.type} cannot clone tables without copying them: creating views that select from the state's relations (they read production, so its database must stay visible to this target)`);
    }
    logger.info('');
    const reporter = new RunReporter(logger);
    const schemas = new Map<string, Promise<void>>();
    results = await runNodes({
      dag: project.dag,
      nodes: project.nodes,
      ids,
      threads: session.threads,
      onEvent: reporter.onEvent,
      execute: async (node, thread) => {
        const began = performance.now();
        const from = deferral.resolved(deferral.deferred.get(node.unique_id)!);
        const to: RelationRef = { database: node.database, schema: node.schema, identifier: node.alias };
        const existing = cache.relationType(to);
        let message: string;
        if (existing && !options.fullRefresh) {
          message = 'exists, kept';
        } else {
          const key = `${to.database}.${to.schema}`;
          if (!schemas.has(key)) schemas.set(key, adapter.createSchema(to.database, to.schema));
          await schemas.get(key);
          const stateTable = STATE_TABLES.has(String(previous.nodes[node.unique_id].config?.materialized));
          if (adapter.canCloneRelations?.() && stateTable) {
            if (existing === 'view') await adapter.execute(adapter.sql.drop(to, 'view'));
            await adapter.cloneTable(from, to);
            message = `clone of ${adapter.sql.relation(from)}`;
          } else {
            const statements = existing ? [adapter.sql.drop(to, existing)] : [];
            statements.push(adapter.sql.createViewAs(to, `select * from ${adapter.sql.relation(from)}`));
            await adapter.transaction(statements);
            cache.set(to, 'view');
            message = `view of ${adapter.sql.relation(from)}`;
          }
        }
        return {
          unique_id: node.unique_id,
          status: 'success',
          timing: [],
          thread_id: thread,
          execution_time: (performance.now() - began) / 1000,
          adapter_response: { _message: message },
          message,
          failures: null,
          compiled: false,
          compiled_code: null,
          relation_name: node.relation_name,
        };
      },
    });
    reporter.summary(results, project.nodes, (performance.now() - started) / 1000);
  } finally {
    await adapter.close();
    writeManifest(session);
    const artifact = runResultsArtifact({
      invocationId: session.invocationId,
      results,
      elapsedTime: (performance.now() - started) / 1000,
      args: { which: 'clone', select: options.select ?? [], exclude: options.exclude ?? [], selector: options.selector ?? null, full_refresh: Boolean(options.fullRefresh), threads: session.threads, target: session.target.name, state: path.resolve(session.state.previous.dir) },
    });
    writeArtifact(session, 'run_results.json', JSON.stringify(artifact, null, 2));
  }
  return results.some((r) => r.status === 'error') ? 1 : 0;
}
