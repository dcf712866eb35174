import { DirectedGraph } from 'graphology';
import { UserError } from '../errors/user-error.js';
import type { AnyNode } from '../manifest/nodes.js';

/** The dependency graph: one graph node per unique_id, an edge from each parent to its child. */
export type Dag = DirectedGraph;

/** Builds the DAG from nodes whose `depends_on.nodes` are already resolved; refuses cycles. */
export function buildDag(nodes: ReadonlyMap<string, AnyNode>): Dag {
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (const id of nodes.keys()) graph.addNode(id);
  for (const node of nodes.values()) {
    if (node.resource_type === 'source') continue;
    // depends_on.nodes holds each parent once, so no edge is added twice.
    for (const parent of node.depends_on.nodes) if (graph.hasNode(parent)) graph.addEdge(parent, node.unique_id);
  }
  // Kahn's algorithm allocates nothing per node; the DFS that names the cycle runs only when there is one.
  const cycle = topologicalOrder(graph).length === graph.order ? undefined : findCycle(graph);
  if (cycle) {
    const first = nodes.get(cycle[0]);
    const names = cycle.map((id) => nodes.get(id)?.name ?? id);
    throw new UserError(`dependency cycle: ${names.join(' -> ')}`, {
      file: first?.original_file_path,
      hint: 'a model cannot depend on itself, directly or through others; break the cycle by removing one ref',
    });
  }
  return graph;
}

/** A cycle as a list of ids that starts and ends with the same id, or undefined. Iterative DFS. */
export function findCycle(graph: Dag): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of graph.nodes()) {
    if (state.has(start)) continue;
    const stack: { id: string; children: string[]; next: number }[] = [{ id: start, children: graph.outNeighbors(start), next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next >= top.children.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const child = top.children[top.next++];
      const seen = state.get(child);
      if (seen === 1) {
        const from = stack.findIndex((frame) => frame.id === child);
        return [...stack.slice(from).map((frame) => frame.id), child];
      }
      if (seen === undefined) {
        state.set(child, 1);
        stack.push({ id: child, children: graph.outNeighbors(child), next: 0 });
      }
    }
  }
  return undefined;
}

/** Ids in an order where every node comes after its parents (Kahn's algorithm, stable by id). */
export function topologicalOrder(graph: Dag, subset?: ReadonlySet<string>): string[] {
  const include = (id: string) => !subset || subset.has(id);
  const indegree = new Map<string, number>();
  graph.forEachNode((id) => {
    if (!include(id)) return;
    let n = 0;
    graph.forEachInNeighbor(id, (parent) => {
      if (include(parent)) n++;
    });
    indegree.set(id, n);
  });
  const ready = [...indegree].filter(([, n]) => n === 0).map(([id]) => id).sort();
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i];
    order.push(id);
    graph.forEachOutNeighbor(id, (child) => {
      if (!indegree.has(child)) return;
      const n = indegree.get(child)! - 1;
      indegree.set(child, n);
      if (n === 0) ready.push(child);
    });
  }
  return order;
}
