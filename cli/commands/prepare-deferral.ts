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
  // What the log names: the parents of this run's nodes that are read from the state, not every deferrable node.
  const read = new Set<string>();
  for (const id of selected) project.dag.forEachInNeighbor(id, (parent) => deferral.deferred.has(parent) && read.add(parent));
  const names = [...read].map((id) => project.nodes.get(id)?.name ?? id).sort();
  const shown = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  logger.info(`Deferred to the state in ${session.state.previous.dir}${options.favorState ? ' (--favor-state)' : ''}: ${names.length ? `refs to ${shown} read its relations` : 'no selected node reads an unbuilt node'}`, 'defer', { deferred: [...read] });
  return deferral;
}
