import { UserError } from '../../core/errors/user-error.js';
import { RelationCache } from '../../core/runner/relation-cache.js';
import { formatTable } from '../output/table.js';
import type { Deferral } from '../../core/state/deferral.js';
import type { SelectOptions, StateOptions } from '../options.js';
import { prepareDeferral } from './prepare-deferral.js';
import { selectNodes, sessionCompiler, type Session } from '../session.js';

export interface ShowOptions extends SelectOptions, StateOptions {
  inline?: string;
  limit?: string;
  output?: 'text' | 'json';
}

/** `show`: runs a model's compiled SQL (or --inline SQL) with a limit and prints the rows. */
export async function runShow(session: Session, options: ShowOptions): Promise<number> {
  const { project, adapter, logger } = session;
  const limit = options.limit === undefined ? 5 : Number(options.limit);
  // As in dbt, -1 shows every row.
  if (!Number.isInteger(limit) || limit < -1) throw new UserError(`--limit must be a whole number (-1 for every row), got '${options.limit}'`);
  if (!options.inline && !options.select?.length) throw new UserError('show needs --select <model> or --inline "<sql>"', { hint: 'strata show --select stg_orders --limit 10' });
  await session.connect();
  try {
    const cache = new RelationCache(adapter);
    let sql: string;
    let title: string;
    // --defer: refs of the shown query to nodes this target lacks read the state's relations.
    let deferral: Deferral | undefined;
    const defer = async (shown: string[]) => {
      if (options.defer) deferral = await prepareDeferral(session, options, new Set(shown), cache);
    };
    const makeCompiler = () => sessionCompiler(session, { deferral, state: cache });
    if (options.inline) {
      await defer([]);
      sql = makeCompiler().renderSnippet(options.inline, null, '--inline');
      title = 'inline query';
    } else {
      const ids = [...selectNodes(session, options, ['model', 'seed', 'source'])];
      if (ids.length !== 1) {
        throw new UserError(`show needs exactly one node, and the selection matched ${ids.length}`, { hint: ids.length ? `matched: ${ids.slice(0, 5).join(', ')}` : 'check the name with strata ls' });
      }
      const node = project.all.get(ids[0])!;
      title = node.name;
      if (node.resource_type === 'model') {
        const model = project.nodes.get(node.unique_id)!;
        await cache.load([{ database: model.database, schema: model.schema }]);
        await defer([model.unique_id]);
        sql = makeCompiler().compile(model).sql;
      } else {
        sql = `select * from ${'relation_name' in node ? node.relation_name : node.name}`;
      }
    }
    const result = await adapter.execute(limit === -1 ? sql : adapter.sql.limit(sql, limit)).catch((error: unknown) => {
      // A database error here comes from the user's SQL, not from Strata.
      throw new UserError(`the query failed: ${error instanceof Error ? error.message : String(error)}`, { file: title === 'inline query' ? '--inline' : undefined, hint: 'fix the SQL; `strata compile` shows what was sent' });
    });
    const columns = result.columns.map((c) => c.name);
    if (options.output === 'json') {
      logger.result(JSON.stringify({ node: title, show: result.rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))) }, null, 2));
    } else {
      logger.info(`Previewing ${title} (${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, ${limit === -1 ? 'no limit' : `limit ${limit}`}):`);
      logger.result(formatTable(columns, result.rows));
    }
  } finally {
    await adapter.close();
  }
  return 0;
}
