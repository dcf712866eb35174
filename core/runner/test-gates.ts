import type { Dag } from '../graph/dag.js';
import { topologicalOrder } from '../graph/dag.js';
import type { ManifestNode } from '../manifest/nodes.js';

/**
 * The DAG `build` schedules with: each data test also becomes a parent of the children of the
 * node it tests, so a failing test (severity error) skips them, as in dbt. An edge that would
 * close a cycle (the child is also an ancestor of the test, as with a relationships test) is
 * left out.
 */
export function withTestGates(dag: Dag, nodes: ReadonlyMap<string, ManifestNode>, ids: ReadonlySet<string>): Dag {
  const tests = [...ids].filter((id) => nodes.get(id)?.resource_type === 'test');
  if (tests.length === 0) return dag;
  const gated = dag.copy() as Dag;
  const position = new Map<string, number>();
  topologicalOrder(dag).forEach((id, i) => position.set(id, i));
  for (const testId of tests) {
    const test = nodes.get(testId)!;
    const parents = dag.inNeighbors(testId);
    // An ancestor of the test comes before its last parent in topological order.
    const lastParent = Math.max(...parents.map((p) => position.get(p) ?? -1));
    const gates = test.attached_node ? [test.attached_node] : parents;
    for (const gate of gates) {
      if (!dag.hasNode(gate)) continue;
      dag.forEachOutNeighbor(gate, (child) => {
        if (child === testId || !ids.has(child) || nodes.get(child)?.resource_type === 'test') return;
        if ((position.get(child) ?? -1) <= lastParent) return;
        if (!gated.hasEdge(testId, child)) gated.addEdge(testId, child);
      });
    }
  }
  return gated;
}
