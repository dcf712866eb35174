import type { Adapter } from '../adapter/adapter.js';
import type { FileWriter } from '../artifacts/file-writer.js';
import type { NodeResult, Timing } from '../artifacts/run-results.js';
import { compiledPath } from '../compile/compiled-path.js';
import type { Compiler } from '../compile/compiler.js';
import type { ManifestNode } from '../manifest/nodes.js';
import { materialize } from '../materializations/materialize.js';
import type { MaterializationContext } from '../materializations/materialization.js';
import type { RelationCache } from './relation-cache.js';
import type { NodeExecutor } from './run-nodes.js';

export interface BuildExecutorOptions {
  adapter: Adapter;
  compiler: Compiler;
  cache: RelationCache;
  projectRoot: string;
  /** Absolute path of target/. */
  targetDir: string;
  fullRefresh: boolean;
  /** --empty (see MaterializationContext.empty). */
  empty?: boolean;
  writer: FileWriter;
}

/** A NodeExecutor that compiles a model or seed and materializes it through the adapter. */
export function buildExecutor(options: BuildExecutorOptions): NodeExecutor {
  const { adapter, compiler, cache } = options;
  const schemas = new Map<string, Promise<void>>();
  const ensureSchema = (database: string | null, schema: string) => {
    const key = `${database}.${schema}`;
    let created = schemas.get(key);
    if (!created) schemas.set(key, (created = adapter.createSchema(database, schema)));
    return created;
  };

  return async (node: ManifestNode, threadId: string): Promise<NodeResult> => {
    const timing: Timing[] = [];
    const started = performance.now();
    let mark = new Date();
    const compiled = compiler.compile(node);
    timing.push({ name: 'compile', started_at: mark.toISOString(), completed_at: (mark = new Date()).toISOString() });
    if (node.resource_type !== 'seed') options.writer.write(compiledPath(options.targetDir, 'compiled', node), compiled.sql);

    const relation = { database: node.database, schema: node.schema, identifier: node.alias };
    const ctx: MaterializationContext = {
      adapter,
      node,
      sql: compiled.sql,
      relation,
      existing: cache.relationType(relation),
      fullRefresh: options.fullRefresh,
      empty: options.empty,
      state: cache,
      projectRoot: options.projectRoot,
      log: [],
    };
    try {
      if (node.config.materialized !== 'ephemeral') await ensureSchema(node.database, node.schema);
      for (const hook of node.config['pre-hook']) {
        const sql = compiler.renderSnippet(hook, node, `${node.original_file_path} (pre-hook)`);
        ctx.log.push(sql);
        await adapter.execute(sql);
      }
      const outcome = await materialize(ctx);
      cache.set(relation, outcome.type);
      for (const hook of node.config['post-hook']) {
        const sql = compiler.renderSnippet(hook, node, `${node.original_file_path} (post-hook)`);
        ctx.log.push(sql);
        await adapter.execute(sql);
      }
      return {
        unique_id: node.unique_id,
        status: 'success',
        timing: [...timing, { name: 'execute', started_at: mark.toISOString(), completed_at: new Date().toISOString() }],
        thread_id: threadId,
        execution_time: (performance.now() - started) / 1000,
        adapter_response: { _message: outcome.message, rows_affected: outcome.rowsAffected },
        message: outcome.message,
        failures: null,
        compiled: node.resource_type !== 'seed',
        compiled_code: node.resource_type === 'seed' ? null : compiled.sql,
        relation_name: node.relation_name,
      };
    } finally {
      if (ctx.log.length) options.writer.write(compiledPath(options.targetDir, 'run', node), ctx.log.join(';\n\n') + ';\n');
    }
  };
}
