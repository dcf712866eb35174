import { describe, expect, it } from 'vitest';
import { layoutGraph } from './graph-layout.js';

describe('layoutGraph', () => {
  it('puts each node one layer right of its deepest parent', () => {
    // 0 -> 1 -> 2, and 0 -> 2 directly: 2 is at depth 2, not 1.
    const layout = layoutGraph({ count: 3, edges: [[0, 1], [1, 2], [0, 2]], attachedTo: [-1, -1, -1] });
    expect(layout.layer).toEqual([0, 1, 2]);
    expect(layout.x[0]).toBeLessThan(layout.x[1]);
    expect(layout.x[1]).toBeLessThan(layout.x[2]);
  });

  it('orders a layer by its parents, so two chains do not cross', () => {
    // Roots 0 and 1; children 2 (of 1) and 3 (of 0) are listed in the crossing order.
    const layout = layoutGraph({ count: 4, edges: [[1, 2], [0, 3]], attachedTo: [-1, -1, -1, -1] });
    const above = (a: number, b: number) => layout.y[a] > layout.y[b];
    expect(above(0, 1)).toBe(above(3, 2));
  });

  it('draws a test beside the node it tests, out of the layering', () => {
    const layout = layoutGraph({ count: 3, edges: [[0, 1], [1, 2]], attachedTo: [-1, -1, 1] });
    expect(layout.layer[2]).toBe(layout.layer[1]);
    expect(layout.x[2]).toBeGreaterThan(layout.x[1]);
    expect(layout.x[2]).toBeLessThan(layout.x[1] + 10);
  });

  it('lays out 30,000 nodes in a few hundred milliseconds (3 s allowed on a loaded machine)', () => {
    const count = 30_000;
    const edges: [number, number][] = [];
    for (let i = 10; i < count; i++) edges.push([Math.floor(i / 3), i], [Math.floor(i / 7), i]);
    const started = performance.now();
    const layout = layoutGraph({ count, edges, attachedTo: new Array(count).fill(-1) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(layout.x.every(Number.isFinite) && layout.y.every(Number.isFinite)).toBe(true);
  });
});
