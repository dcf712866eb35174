import { DirectedGraph } from 'graphology';
import { UserError } from '../errors/user-error.js';
import type { AnyNode } from '../manifest/nodes.js';

/** The dependency graph: one graph node per unique_id, an edge from each parent to its child. */
export type Dag = DirectedGraph;

/** Builds the DAG from nodes whose `depends_on.nodes` are already resolved; refuses cycles. */
export function buildDag(nodes: ReadonlyMap<string, AnyNode>): Dag {
  const graph = buildGraph(nodes);
  // Kahn's algorithm allocates nothing per node; the DFS that names the cycle runs only when there is one.
  const cycle = topologicalOrder(graph).length === graph.order ? undefined : findCycle(graph);
  if (cycle) throw cycleError(cycle, nodes);
  return graph;
}

/** The graph of nodes already known to be acyclic (see assertAcyclic). */
export function buildGraph(nodes: ReadonlyMap<string, AnyNode>): Dag {
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (const id of nodes.keys()) graph.addNode(id);
  for (const node of nodes.values()) {
    if (node.resource_type === 'source') continue;
    // depends_on.nodes holds each parent once, so no edge is added twice.
    for (const parent of node.depends_on.nodes) if (graph.hasNode(parent)) graph.addEdge(parent, node.unique_id);
  }
  return graph;
}

/**
 * Parents and children of every node, from `depends_on.nodes`, each list sorted: the manifest's
 * parent_map and child_map. A parent list is often a node's own `depends_on.nodes` (see parentList): read, do not change.
 */
export function adjacency(nodes: ReadonlyMap<string, AnyNode>): { parents: Map<string, readonly string[]>; children: Map<string, string[]> } {
  const parents = new Map<string, readonly string[]>();
  for (const [id, node] of nodes) parents.set(id, parentList(node, nodes));
  return { parents, children: childLists(nodes) };
}

/**
 * A node's parents among `nodes`, sorted: its `depends_on.nodes` itself when that is already so
 * (resolved dependencies are sorted and exist), so the manifest's parent_map needs no list per node.
 */
function parentList(node: AnyNode, nodes: ReadonlyMap<string, AnyNode>): readonly string[] {
  if (node.resource_type === 'source') return [];
  const deps = node.depends_on.nodes;
  for (let i = 0; i < deps.length; i++) {
    if (!nodes.has(deps[i]) || (i > 0 && deps[i - 1] >= deps[i])) return deps.filter((id) => nodes.has(id)).sort();
  }
  return deps;
}

/** The children of every node, each list sorted. */
function childLists(nodes: ReadonlyMap<string, AnyNode>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const id of nodes.keys()) children.set(id, []);
  for (const node of nodes.values()) {
    if (node.resource_type === 'source') continue;
    // depends_on.nodes holds each parent once.
    for (const parent of node.depends_on.nodes) children.get(parent)?.push(node.unique_id);
  }
  for (const list of children.values()) if (list.length > 1) list.sort();
  return children;
}

/**
 * Refuses cycles without building the graph: Kahn's algorithm over `depends_on.nodes`, on
 * integer indexes (no object per node or edge). Only when there is a cycle is the graph built, to name it.
 */
export function assertAcyclic(nodes: ReadonlyMap<string, AnyNode>): void {
  const index = new Map<string, number>();
  for (const id of nodes.keys()) index.set(id, index.size);
  const count = index.size;
  const from: number[] = [];
  const to: number[] = [];
  const indegree = new Int32Array(count);
  const firstEdge = new Int32Array(count + 1);
  for (const [id, node] of nodes) {
    if (node.resource_type === 'source') continue;
    const child = index.get(id)!;
    for (const parentId of node.depends_on.nodes) {
      const parent = index.get(parentId);
      if (parent === undefined) continue;
      from.push(parent);
      to.push(child);
      indegree[child]++;
      firstEdge[parent + 1]++;
    }
  }
  for (let i = 0; i < count; i++) firstEdge[i + 1] += firstEdge[i];
  const children = new Int32Array(from.length);
  const fill = firstEdge.slice(0, count);
  for (let e = 0; e < from.length; e++) children[fill[from[e]]++] = to[e];
  const ready = new Int32Array(count);
  let tail = 0;
  for (let i = 0; i < count; i++) if (indegree[i] === 0) ready[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const parent = ready[head];
    for (let e = firstEdge[parent]; e < firstEdge[parent + 1]; e++) if (--indegree[children[e]] === 0) ready[tail++] = children[e];
  }
  if (tail !== count) buildDag(nodes);
}

function cycleError(cycle: string[], nodes: ReadonlyMap<string, AnyNode>): UserError {
  const first = nodes.get(cycle[0]);
  const names = cycle.map((id) => nodes.get(id)?.name ?? id);
  return new UserError(`dependency cycle: ${names.join(' -> ')}`, {
    file: first?.original_file_path,
    hint: 'a model cannot depend on itself, directly or through others; break the cycle by removing one ref',
  });
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
