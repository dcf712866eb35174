/** Positions of a layered left-to-right drawing of the DAG, one entry per node index. */
export interface GraphLayout {
  x: number[];
  y: number[];
  /** Layer of each node (its longest path from a root); tests share their model's layer. */
  layer: number[];
}

export interface LayoutInput {
  count: number;
  /** Edges from parent index to child index. */
  edges: [number, number][];
  /** For tests: the node index each is drawn beside (its model); -1 for every other node. */
  attachedTo: number[];
}

const SWEEPS = 4;

/**
 * Lays the DAG out in layers by depth, left to right, and orders each layer by the barycenter of
 * its neighbours in a few alternating sweeps (Sugiyama's crossing reduction, without the exact
 * parts that are quadratic). Linear per sweep, so 30,000 nodes take milliseconds; the browser
 * then does no layout work at all. Tests sit just right of the node they test.
 */
export function layoutGraph(input: LayoutInput): GraphLayout {
  const { count, edges, attachedTo } = input;
  const isMain = (i: number) => attachedTo[i] === -1;
  const parents: number[][] = Array.from({ length: count }, () => []);
  const children: number[][] = Array.from({ length: count }, () => []);
  for (const [p, c] of edges) {
    if (!isMain(p) || !isMain(c)) continue;
    parents[c].push(p);
    children[p].push(c);
  }
  const layer = longestPathLayers(count, parents, children, isMain);
  const layers: number[][] = [];
  for (let i = 0; i < count; i++) if (isMain(i)) (layers[layer[i]] ??= []).push(i);
  for (let l = 0; l < layers.length; l++) layers[l] ??= [];
  const position = new Float64Array(count);
  const place = (members: number[]) => members.forEach((n, k) => (position[n] = k - (members.length - 1) / 2));
  layers.forEach(place);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? layers.map((_, l) => l) : layers.map((_, l) => layers.length - 1 - l);
    for (const l of order) {
      const members = layers[l];
      const neighbours = down ? parents : children;
      const key = new Map<number, number>();
      for (const n of members) {
        const list = neighbours[n];
        key.set(n, list.length ? list.reduce((sum, m) => sum + position[m], 0) / list.length : position[n]);
      }
      members.sort((a, b) => key.get(a)! - key.get(b)! || a - b);
      place(members);
    }
  }
  const widest = Math.max(1, ...layers.map((m) => m.length));
  // Keep the drawing roughly as wide as it is tall, but never cram layers closer than a few rows.
  const gap = Math.max(6, widest / Math.max(1, layers.length));
  const x = new Array<number>(count).fill(0);
  const y = new Array<number>(count).fill(0);
  for (let i = 0; i < count; i++) {
    if (!isMain(i)) continue;
    x[i] = round(layer[i] * gap);
    y[i] = round(-position[i]);
  }
  const testsOf = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    if (isMain(i)) continue;
    const owner = attachedTo[i];
    const k = testsOf.get(owner) ?? 0;
    testsOf.set(owner, k + 1);
    layer[i] = layer[owner];
    x[i] = round(x[owner] + gap / 2);
    y[i] = round(y[owner] - 0.15 * k);
  }
  return { x, y, layer };
}

/** Each node's layer: one more than its deepest parent (Kahn's order, so linear). */
function longestPathLayers(count: number, parents: number[][], children: number[][], isMain: (i: number) => boolean): number[] {
  const layer = new Array<number>(count).fill(0);
  const waiting = parents.map((p) => p.length);
  const queue: number[] = [];
  for (let i = 0; i < count; i++) if (isMain(i) && waiting[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head];
    for (const c of children[n]) {
      layer[c] = Math.max(layer[c], layer[n] + 1);
      if (--waiting[c] === 0) queue.push(c);
    }
  }
  return layer;
}

const round = (v: number) => Math.round(v * 100) / 100;
