import { elkLayout } from './elk-layout.js';

/** Positions of a layered left-to-right drawing of the DAG, one entry per node index. */
export interface GraphLayout {
  x: number[];
  y: number[];
  /** Layer (column) of each node as ELK assigned it; sources and roots are in layer 0, tests share their model's layer. */
  layer: number[];
  /** What the layout engine was handed, and how long it took. */
  engine: LayoutEngineRun;
}

export interface LayoutEngineRun {
  /**
   * 'full': ELK laid out every node and edge. 'short-edges': the graph was too big for that (see
   * FULL_LAYOUT_LIMIT), so ELK got every node but only the edges between adjacent layers, and the
   * shortest longer ones that fit in what is left of the limit.
   * 'none': nothing to lay out.
   */
  mode: 'full' | 'short-edges' | 'none';
  nodes: number;
  /** Edges handed to ELK (of `allEdges` between the laid-out nodes). */
  edges: number;
  allEdges: number;
  /** Virtual nodes a layered layout needs for the edges that span several layers (one per layer crossed). */
  dummies: number;
  seconds: number;
}

export interface LayoutInput {
  count: number;
  /** Edges from parent index to child index. */
  edges: [number, number][];
  /** For tests: the node index each is drawn beside (its model); -1 for every other node. */
  attachedTo: number[];
}

/**
 * Above this many nodes plus dummy nodes, ELK gets only the short edges. ELK's layered algorithm
 * with every edge costs about 7 s of CPU at 500 synthetic models (1,000 edges, ~2,900 nodes with
 * dummies), 21 s at 2,000 and about 48 s at 10,000 models (20,000 edges, ~67,500 with dummies) even
 * with its cheapest strategies; see bench/RESULTS.md. Real projects up to a few hundred models stay below the limit.
 */
export const FULL_LAYOUT_LIMIT = 3_000;

// Node box handed to ELK, and the spacing between boxes; the output is in rows of NODE_HEIGHT + NODE_SPACING.
const NODE_WIDTH = 40;
const NODE_HEIGHT = 10;
const NODE_SPACING = 10;
const ROW = NODE_HEIGHT + NODE_SPACING;

const COMMON_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // Layer = depth (longest path from a source), so sources sit at the left and every edge points right.
  'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
  // One layering for the whole graph, so a layer is one column even across disconnected parts.
  'elk.separateConnectedComponents': 'false',
  // The site draws straight edges; ELK's bend points are not used, so the cheapest routing does.
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': String(NODE_SPACING),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(NODE_WIDTH),
  'elk.randomSeed': '1',
};
/** Small and medium graphs: ELK's defaults for crossing minimisation (layer sweep) and node placement (Brandes-Koepf). */
const FULL_OPTIONS = { ...COMMON_OPTIONS };
/** Big graphs (short edges only): one round of layer sweeps and the simple node placement, the cheapest ELK has. */
const TIGHT_OPTIONS = { ...COMMON_OPTIONS, 'elk.layered.thoroughness': '1', 'elk.layered.nodePlacement.strategy': 'SIMPLE' };

/**
 * Lays the DAG out with ELK's layered (Sugiyama) algorithm, left to right: ELK assigns the layers,
 * orders each layer to reduce crossings and places the nodes; the browser then does no layout work.
 *
 * Tests do not go through ELK: each is drawn just right of the node it tests, a little below the
 * previous test of that node. Up to FULL_LAYOUT_LIMIT, ELK sees every other node and edge. Beyond
 * it, ELK sees every node but only the edges that join adjacent layers (the "tight" edges), plus
 * the shortest longer edges whose dummy nodes fit in what is left of the limit: the edges spanning
 * several layers are what makes a layered layout expensive (each needs a dummy node per layer it
 * crosses, 57,500 of them at 10,000 synthetic models, where none fit). Every node below layer 0
 * keeps at least one tight edge (to its deepest parent), so ELK's layering of the reduced graph is
 * the same depth as that of the whole graph, and the dropped long edges still point right; they just
 * play no part in ordering the layers. Choosing the edges needs each node's depth, computed here in
 * one linear pass; everything that decides positions is ELK's.
 */
export function layoutGraph(input: LayoutInput, options: { fullLayoutLimit?: number } = {}): GraphLayout {
  const started = performance.now();
  const { count, attachedTo } = input;
  const main: number[] = [];
  const slot = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) if (attachedTo[i] === -1) slot[i] = main.push(i) - 1;
  const seen = new Set<number>();
  const edges: [number, number][] = [];
  for (const [p, c] of input.edges) {
    const a = slot[p], b = slot[c];
    if (a < 0 || b < 0 || a === b || seen.has(a * main.length + b)) continue;
    seen.add(a * main.length + b);
    edges.push([a, b]);
  }
  const depth = depths(main.length, edges);
  let dummies = 0;
  for (const [a, b] of edges) dummies += Math.max(0, depth[b] - depth[a] - 1);
  const limit = options.fullLayoutLimit ?? FULL_LAYOUT_LIMIT;
  const full = main.length + dummies <= limit;
  const handed = full ? edges : reducedEdges(edges, depth, limit - main.length);
  const positions = elkLayout({ count: main.length, edges: handed, width: NODE_WIDTH, height: NODE_HEIGHT, options: full ? FULL_OPTIONS : TIGHT_OPTIONS });

  // ELK's columns become layer numbers; x is then one gap per layer, so the drawing stays about as
  // wide as it is tall (sigma fits it to the screen), but layers are never closer than a few rows.
  const columns = [...new Set(positions.x)].sort((a, b) => a - b);
  const columnOf = new Map(columns.map((v, k) => [v, k]));
  let top = Infinity, bottom = -Infinity;
  for (const v of positions.y) (top = Math.min(top, v)), (bottom = Math.max(bottom, v));
  const rows = main.length ? (bottom - top) / ROW + 1 : 1;
  const gap = Math.max(6, rows / Math.max(1, columns.length));
  const x = new Array<number>(count).fill(0);
  const y = new Array<number>(count).fill(0);
  const layer = new Array<number>(count).fill(0);
  main.forEach((node, k) => {
    layer[node] = columnOf.get(positions.x[k])!;
    x[node] = round(layer[node] * gap);
    y[node] = round(-(positions.y[k] - top) / ROW);
  });
  const testsOf = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    if (attachedTo[i] === -1) continue;
    const owner = attachedTo[i];
    const k = testsOf.get(owner) ?? 0;
    testsOf.set(owner, k + 1);
    layer[i] = layer[owner];
    x[i] = round(x[owner] + gap / 2);
    y[i] = round(y[owner] - 0.15 * k);
  }
  const mode = main.length === 0 ? 'none' : full ? 'full' : 'short-edges';
  return { x, y, layer, engine: { mode, nodes: main.length, edges: handed.length, allEdges: edges.length, dummies, seconds: (performance.now() - started) / 1000 } };
}

/**
 * The edges that join adjacent layers, then the shortest longer ones while their dummy nodes fit in
 * `budget` (what is left of FULL_LAYOUT_LIMIT after the nodes; nothing at 10,000 models).
 */
function reducedEdges(edges: [number, number][], depth: Int32Array, budget: number): [number, number][] {
  const span = (e: [number, number]) => depth[e[1]] - depth[e[0]];
  const out = edges.filter((e) => span(e) === 1);
  const longer = edges.filter((e) => span(e) > 1).sort((e, f) => span(e) - span(f));
  for (const e of longer) {
    if (span(e) - 1 > budget) break;
    budget -= span(e) - 1;
    out.push(e);
  }
  return out;
}

/** Each node's depth: one more than its deepest parent (Kahn's order, so linear). Nodes on a cycle keep what they reached. */
function depths(count: number, edges: [number, number][]): Int32Array {
  const depth = new Int32Array(count);
  const waiting = new Int32Array(count);
  const children: number[][] = Array.from({ length: count }, () => []);
  for (const [a, b] of edges) (children[a].push(b), waiting[b]++);
  const queue: number[] = [];
  for (let i = 0; i < count; i++) if (waiting[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head];
    for (const c of children[n]) {
      depth[c] = Math.max(depth[c], depth[n] + 1);
      if (--waiting[c] === 0) queue.push(c);
    }
  }
  return depth;
}

const round = (v: number) => Math.round(v * 100) / 100;
