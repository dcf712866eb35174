import type { DirectedGraph } from 'graphology';

/** `N+x`: the start nodes and their ancestors up to `maxDepth` edges away (null: all). Linear in the graph. */
export function withParents(graph: DirectedGraph, start: Iterable<string>, maxDepth: number | null = null): Set<string> {
  return walk(graph, start, maxDepth, 'in');
}

/** `x+N`: the start nodes and their descendants up to `maxDepth` edges away (null: all). Linear in the graph. */
export function withChildren(graph: DirectedGraph, start: Iterable<string>, maxDepth: number | null = null): Set<string> {
  return walk(graph, start, maxDepth, 'out');
}

/** `@x`: the start nodes, all their descendants, and every ancestor of any of those. */
export function withChildrensParents(graph: DirectedGraph, start: Iterable<string>): Set<string> {
  return withParents(graph, withChildren(graph, start));
}

/**
 * One breadth-first search from all start nodes at once. A node is first reached at its shortest
 * distance from the nearest start, which is exactly the distance the depth limit is about.
 */
function walk(graph: DirectedGraph, start: Iterable<string>, maxDepth: number | null, direction: 'in' | 'out'): Set<string> {
  const seen = new Set<string>();
  let frontier: string[] = [];
  for (const id of start) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (graph.hasNode(id)) frontier.push(id);
  }
  const visit = (neighbor: string) => {
    if (seen.has(neighbor)) return;
    seen.add(neighbor);
    next.push(neighbor);
  };
  let next: string[] = [];
  for (let level = 1; frontier.length > 0 && (maxDepth === null || level <= maxDepth); level++) {
    next = [];
    for (const id of frontier) {
      if (direction === 'in') graph.forEachInNeighbor(id, visit);
      else graph.forEachOutNeighbor(id, visit);
    }
    frontier = next;
  }
  return seen;
}
