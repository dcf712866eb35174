import type { RelationCache } from '../../core/runner/relation-cache.js';
import { attachStateDatabases } from '../../core/state/attach-state-databases.js';
import { Deferral } from '../../core/state/deferral.js';
import type { StateOptions } from '../options.js';
import type { Session } from '../session.js';

/**
 * `--defer`: decides which refs read the state's relations (after reading which relations this
 * target has) and makes the state's database visible when the adapter must attach it.
 */
export async function prepareDeferral(session: Session, options: StateOptions, selected: ReadonlySet<string>, cache: RelationCache): Promise<Deferral | undefined> {
  if (!options.defer || !session.state) return undefined;
  const { project, adapter, logger } = session;
  const candidates = [...project.nodes.values()].filter((n) => !selected.has(n.unique_id) && n.relation_name && ['model', 'seed', 'snapshot'].includes(n.resource_type));
  await cache.load(candidates.map((n) => ({ database: n.database, schema: n.schema })));
  const previous = session.state.previous.manifest;
  const deferral = new Deferral({
    previous,
    nodes: candidates,
    selected,
    favorState: Boolean(options.favorState),
    exists: (rel) => cache.relationType(rel) !== undefined,
    sql: adapter.sql,
  });
  for (const message of await attachStateDatabases(adapter, deferral, previous)) logger.info(message);
  const n = deferral.deferred.size;
  logger.info(`Deferring ${n} ref${n === 1 ? '' : 's'} to the state in ${session.state.previous.dir}${options.favorState ? ' (--favor-state)' : ''}`, 'defer', { deferred: [...deferral.deferred.keys()] });
  return deferral;
}
