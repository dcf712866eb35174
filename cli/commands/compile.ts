import path from 'node:path';
import { FileWriter } from '../../core/artifacts/file-writer.js';
import { compiledPath } from '../../core/compile/compiled-path.js';
import { RelationCache } from '../../core/runner/relation-cache.js';
import { splitList, type SelectOptions, type StateOptions } from '../options.js';
import { prepareDeferral } from './prepare-deferral.js';
import { selectArgs, selectNodes, sessionCompiler, writeManifest, type Session } from '../session.js';

export interface CompileCommandOptions extends SelectOptions, StateOptions {
  /** SQL to compile instead of the project's nodes (dbt's --inline): printed, not written. */
  inline?: string;
  output?: 'text' | 'json';
  /** dbt's --empty: refs and sources render as subqueries that return no rows. */
  empty?: boolean;
}

/**
 * The names a selection spells out, whose compiled SQL compile prints as dbt does: each criterion's
 * bare name without graph operators (`-s orders+` prints orders, not its children), no methods.
 */
export function namedInSelection(select: readonly string[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const atom of splitList(select)) {
    const bare = atom.replace(/^(@|\d*\+)/, '').replace(/\+\d*$/, '');
    if (bare && !bare.includes(':') && !/[*?[\]]/.test(bare)) names.add(bare.slice(bare.lastIndexOf('.') + 1));
  }
  return names;
}

/**
 * `compile`: renders selected models into target/compiled/ and the manifest. It reads the
 * warehouse's relation list only when an incremental model needs `is_incremental`.
 */
export async function runCompile(session: Session, options: CompileCommandOptions): Promise<number> {
  const { project, adapter, logger } = session;
  const started = performance.now();
  if (options.inline !== undefined) return compileInline(session, options);
  // Like dbt, compile renders tests too (what `strata test` would run).
  const ids = selectNodes(session, options, ['model', 'test']);
  const nodes = [...ids].map((id) => project.nodes.get(id)!);
  // Only incremental models ask the warehouse anything (is_incremental); they compile last,
  // so the connection opened in the background while parsing has time to be ready.
  const incremental = nodes.filter((n) => n.config.materialized === 'incremental');
  const cache = new RelationCache(adapter);
  // --defer needs to know which relations this target has, so it opens the connection up front.
  if (options.defer) await session.connect();
  const deferral = options.defer ? await prepareDeferral(session, options, ids, cache) : undefined;
  const compiler = sessionCompiler(session, { deferral, state: cache, empty: options.empty });
  const writer = new FileWriter();
  // dbt prints the SQL of the nodes the selection names (`strata compile -s fct_orders`).
  const named = namedInSelection(selectArgs(options));
  const printed: { node: string; compiled: string }[] = [];
  const compileAll = (list: typeof nodes) => {
    for (const node of list) {
      const compiled = compiler.compile(node);
      writer.write(compiledPath(session.targetDir, 'compiled', node), compiled.sql);
      if (named.has(node.name)) printed.push({ node: node.name, compiled: compiled.sql });
    }
  };
  compileAll(nodes.filter((n) => n.config.materialized !== 'incremental'));
  if (incremental.length) {
    // A warehouse known to be empty (a DuckDB file not created yet) is not opened: nothing in it to build on.
    const mayExist = incremental.filter((n) => !adapter.knownEmpty?.(n.database));
    if (mayExist.length) {
      await session.connect();
      await cache.load(mayExist.map((n) => ({ database: n.database, schema: n.schema })));
    }
    compileAll(incremental);
  }
  await session.close();
  // The manifest serializes on this thread while the worker is still writing compiled files.
  writeManifest(session);
  await writer.flush();
  const models = nodes.filter((n) => n.resource_type === 'model').length;
  logger.info(`Compiled ${models} model${models === 1 ? '' : 's'} and ${nodes.length - models} test${nodes.length - models === 1 ? '' : 's'} into ${path.relative(process.cwd(), path.join(session.targetDir, 'compiled')) || '.'} in ${((performance.now() - started) / 1000).toFixed(2)}s`, 'compiled', { count: nodes.length });
  for (const entry of printed.sort((a, b) => a.node.localeCompare(b.node))) printCompiled(session, options, entry.node, entry.compiled);
  return 0;
}

/** `compile --inline "<sql>"`: renders the SQL against the project (refs, sources, macros) and prints it. */
async function compileInline(session: Session, options: CompileCommandOptions): Promise<number> {
  const cache = new RelationCache(session.adapter);
  const deferral = options.defer ? (await session.connect(), await prepareDeferral(session, options, new Set(), cache)) : undefined;
  const sql = sessionCompiler(session, { deferral, state: cache, empty: options.empty }).renderSnippet(options.inline!, null, '--inline').trim();
  await session.close();
  printCompiled(session, options, 'inline_query', sql);
  return 0;
}

/** dbt's "Compiled node 'x' is:" with the SQL below it; with --output json, `{"node", "compiled"}` a line. */
function printCompiled(session: Session, options: CompileCommandOptions, node: string, sql: string): void {
  if (options.output === 'json') {
    session.logger.result(JSON.stringify({ node, compiled: sql }));
    return;
  }
  session.logger.info(node === 'inline_query' ? 'Compiled inline node is:' : `Compiled node '${node}' is:`);
  session.logger.result(sql);
}
