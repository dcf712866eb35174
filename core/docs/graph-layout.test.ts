import { describe, expect, it } from 'vitest';
import { createRandom } from '../../bench/synthetic-graph.mjs';
import { FULL_LAYOUT_LIMIT, layoutGraph, type GraphLayout, type LayoutInput } from './graph-layout.js';

const plain = (count: number, edges: [number, number][]): LayoutInput => ({ count, edges, attachedTo: new Array(count).fill(-1) });

/** A DAG like a dbt project's: each node after the roots reads 1-3 earlier nodes, picked at random. */
function randomDag(count: number, seed: number, roots = 5): [number, number][] {
  const random = createRandom(seed);
  const edges: [number, number][] = [];
  for (let i = roots; i < count; i++) {
    const parents = new Set<number>();
    const wanted = Math.min(i, random.int(1, 3));
    while (parents.size < wanted) parents.add(random.int(0, i - 1));
    for (const p of parents) edges.push([p, i]);
  }
  return edges;
}

/** Longest path from a root, the layering the layout promises. */
function depthOf(count: number, edges: [number, number][]): number[] {
  const depth = new Array<number>(count).fill(0);
  for (const [p, c] of [...edges].sort((a, b) => a[1] - b[1])) depth[c] = Math.max(depth[c], depth[p] + 1);
  return depth;
}

/** Pairs of edges between the same two layers that cross. */
function crossings(layout: GraphLayout, edges: [number, number][]): number {
  let n = 0;
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const [a, b] = edges[i], [c, d] = edges[j];
      if (layout.layer[a] !== layout.layer[c] || layout.layer[b] !== layout.layer[d]) continue;
      if ((layout.y[a] - layout.y[c]) * (layout.y[b] - layout.y[d]) < 0) n++;
    }
  }
  return n;
}

function expectLayersApart(layout: GraphLayout, nodes: number[]) {
  const byLayer = new Map<number, number[]>();
  for (const n of nodes) byLayer.set(layout.layer[n], [...(byLayer.get(layout.layer[n]) ?? []), layout.y[n]]);
  for (const ys of byLayer.values()) {
    ys.sort((a, b) => a - b);
    for (let k = 1; k < ys.length; k++) expect(ys[k] - ys[k - 1]).toBeGreaterThanOrEqual(0.99);
  }
}

describe('layoutGraph (ELK layered)', () => {
  it('puts each node one layer right of its deepest parent, edges pointing right', () => {
    // 0 -> 1 -> 2, and 0 -> 2 directly: 2 is at depth 2, not 1.
    const layout = layoutGraph(plain(3, [[0, 1], [1, 2], [0, 2]]));
    expect(layout.layer).toEqual([0, 1, 2]);
    expect(layout.x[0]).toBeLessThan(layout.x[1]);
    expect(layout.x[1]).toBeLessThan(layout.x[2]);
    expect(layout.engine.mode).toBe('full');
  });

  it('orders a layer by its parents, so two chains do not cross', () => {
    // Roots 0 and 1; children 2 (of 1) and 3 (of 0) are listed in the crossing order.
    const layout = layoutGraph(plain(4, [[1, 2], [0, 3]]));
    const above = (a: number, b: number) => layout.y[a] > layout.y[b];
    expect(above(0, 1)).toBe(above(3, 2));
  });

  it('draws a tree given in shuffled order without a crossing', () => {
    const random = createRandom(7);
    const count = 60;
    const edges: [number, number][] = [];
    for (let i = 1; i < count; i++) edges.push([random.int(0, i - 1), i]);
    // Renumber the nodes at random, so the input order gives ELK no hint.
    const order = Array.from({ length: count }, (_, i) => i).sort(() => random.next() - 0.5);
    const renamed = edges.map(([p, c]): [number, number] => [order[p], order[c]]);
    const layout = layoutGraph(plain(count, renamed));
    expect(crossings(layout, renamed)).toBe(0);
    expectLayersApart(layout, order);
  });

  it('lays out a medium project with every edge pointing right, layers by depth and no overlapping nodes', () => {
    const count = 200;
    const edges = randomDag(count, 3);
    const layout = layoutGraph(plain(count, edges));
    expect(layout.engine.mode).toBe('full');
    expect(layout.engine.edges).toBe(edges.length);
    expect(layout.layer).toEqual(depthOf(count, edges));
    for (const [p, c] of edges) expect(layout.x[p]).toBeLessThan(layout.x[c]);
    expectLayersApart(layout, Array.from({ length: count }, (_, i) => i));
  }, 120_000);

  it('draws a test beside the node it tests, out of the layering', () => {
    const layout = layoutGraph({ count: 4, edges: [[0, 1], [1, 2], [1, 3]], attachedTo: [-1, -1, 1, 1] });
    expect(layout.engine.nodes).toBe(2);
    expect(layout.layer[2]).toBe(layout.layer[1]);
    expect(layout.x[2]).toBeGreaterThan(layout.x[1]);
    expect(layout.x[2]).toBeLessThan(layout.x[1] + 10);
    expect(layout.x[3]).toBe(layout.x[2]);
    expect(layout.y[3]).not.toBe(layout.y[2]);
    expect(Math.abs(layout.y[2] - layout.y[1])).toBeLessThan(0.5);
  });

  it('gives the same drawing for the same graph', () => {
    const edges = randomDag(100, 11);
    const a = layoutGraph(plain(100, edges));
    const b = layoutGraph(plain(100, edges));
    expect(b.x).toEqual(a.x);
    expect(b.y).toEqual(a.y);
  }, 120_000);

  it('hands ELK only the short edges of a graph past the limit, and still every edge points right', () => {
    const count = 900;
    const edges = randomDag(count, 5, 10);
    const layout = layoutGraph(plain(count, edges));
    expect(layout.engine.nodes + layout.engine.dummies).toBeGreaterThan(FULL_LAYOUT_LIMIT);
    expect(layout.engine.mode).toBe('short-edges');
    const depth = depthOf(count, edges);
    // Every edge between adjacent layers, and some (not all) of the longer ones.
    expect(layout.engine.edges).toBeGreaterThan(edges.filter(([p, c]) => depth[c] === depth[p] + 1).length);
    expect(layout.engine.edges).toBeLessThan(edges.length);
    expect(layout.layer).toEqual(depth);
    for (const [p, c] of edges) expect(layout.x[p]).toBeLessThan(layout.x[c]);
    expectLayersApart(layout, Array.from({ length: count }, (_, i) => i));
  }, 120_000);

  it('lays out nothing when there are only tests, or no nodes', () => {
    expect(layoutGraph(plain(0, [])).engine.mode).toBe('none');
    const onlyTests = layoutGraph({ count: 1, edges: [], attachedTo: [0] });
    expect(onlyTests.x.every(Number.isFinite)).toBe(true);
  });
});
