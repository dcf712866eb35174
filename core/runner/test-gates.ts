import type { Dag } from '../graph/dag.js';
import { topologicalOrder } from '../graph/dag.js';
import type { ManifestNode } from '../manifest/nodes.js';

/**
 * The DAG `build` schedules with: each unit test comes before its model, and each data test
 * also becomes a parent of the children of the node it tests, so a failing test (severity
 * error) skips them, as in dbt. An edge that would
 * close a cycle (the child is also an ancestor of the test, as with a relationships test) is
 * left out.
 */
export function withTestGates(dag: Dag, nodes: ReadonlyMap<string, ManifestNode>, ids: ReadonlySet<string>): Dag {
  const tests = [...ids].filter((id) => nodes.get(id)?.resource_type === 'test');
  const unitTests = [...ids].filter((id) => nodes.get(id)?.resource_type === 'unit_test');
  if (tests.length === 0 && unitTests.length === 0) return dag;
  const gated = dag.copy() as Dag;
  // A unit test runs before its model (it needs nothing built), and a failure skips the model.
  for (const unitTest of unitTests) {
    for (const model of dag.inNeighbors(unitTest)) {
      gated.dropEdge(model, unitTest);
      if (ids.has(model)) gated.addEdge(unitTest, model);
    }
  }
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
        const type = nodes.get(child)?.resource_type;
        if (child === testId || !ids.has(child) || type === 'test' || type === 'unit_test') return;
        if ((position.get(child) ?? -1) <= lastParent) return;
        if (!gated.hasEdge(testId, child)) gated.addEdge(testId, child);
      });
    }
  }
  return gated;
}
