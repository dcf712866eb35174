#!/usr/bin/env node
// The docs site's graph layout (core/docs/graph-layout.ts, ELK layered) on the synthetic project's
// model graph at several sizes: CPU seconds (all threads, so ELK's worker counts), wall time, what ELK
// was handed, and crossings: between adjacent layers, and of the straight lines the site draws.
//   node bench/docs-layout.mjs [--sizes 50,200,500,1000,2000,10000] [--manifest target/manifest.json] [--full-limit N] [--compare old-graph-layout.js]
// Uses dist/ (npm run build), or $STRATA_DIST (e.g. bench/work/dist-layout). --full-limit overrides
// FULL_LAYOUT_LIMIT (to time ELK on every edge past the limit); --compare also runs another build's layoutGraph;
// --manifest lays out a real project's graph (as docs generate builds it, tests beside their models) instead of the sizes.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildGraph } from './synthetic-graph.mjs';
import { REPO_ROOT } from './strata-cli.mjs';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '50,200,500,1000,2000,10000' }, 'full-limit': { type: 'string' }, compare: { type: 'string' }, manifest: { type: 'string' } } });
const dist = path.resolve(process.env.STRATA_DIST ?? path.join(REPO_ROOT, 'dist'));
const { layoutGraph } = await import(pathToFileURL(path.join(dist, 'core', 'docs', 'graph-layout.js')).href);
const old = values.compare ? (await import(pathToFileURL(path.resolve(values.compare)).href)).layoutGraph : undefined;
const options = values['full-limit'] ? { fullLayoutLimit: Number(values['full-limit']) } : {};

/** The model graph of the synthetic project of `models` models (the docs bench's project), as index edges. */
function modelGraph(models) {
  const graph = buildGraph({ models });
  const index = new Map(graph.map((m, i) => [m.name, i]));
  const edges = graph.flatMap((m, i) => m.parents.map((p) => [index.get(p), i]));
  return { count: graph.length, edges, attachedTo: new Array(graph.length).fill(-1) };
}

/** A manifest's graph as docs-site-data.ts hands it to the layout: nodes, parent edges, tests attached to their model. */
function manifestGraph(file) {
  const m = JSON.parse(readFileSync(file, 'utf8'));
  const types = ['source', 'seed', 'model', 'snapshot', 'test', 'unit_test', 'exposure', 'analysis'];
  const all = [...Object.values(m.sources), ...Object.values(m.nodes), ...Object.values(m.unit_tests ?? {}), ...Object.values(m.exposures ?? {})].filter((n) => types.includes(n.resource_type));
  const index = new Map(all.map((n, i) => [n.unique_id, i]));
  const parentsOf = (n) => m.parent_map?.[n.unique_id] ?? n.depends_on?.nodes ?? [];
  const edges = all.flatMap((n, i) => parentsOf(n).map((p) => index.get(p)).filter((p) => p !== undefined && p !== i).map((p) => [p, i]));
  const attachedTo = all.map((n, i) => {
    if (n.resource_type !== 'test' && n.resource_type !== 'unit_test') return -1;
    const o = index.get(n.attached_node ?? parentsOf(n)[0]);
    return o === undefined || o === i ? -1 : o;
  });
  return { count: all.length, edges, attachedTo };
}

/** Pairs of edges whose straight lines cross as the site draws them (edges sharing an end do not count); undefined past 6,000 edges. */
function drawnCrossings(layout, edges) {
  if (edges.length > 6000) return undefined;
  const { x, y } = layout;
  const side = (a, b, c) => Math.sign((x[b] - x[a]) * (y[c] - y[a]) - (y[b] - y[a]) * (x[c] - x[a]));
  let n = 0;
  for (let i = 0; i < edges.length; i++) {
    const [a, b] = edges[i];
    for (let j = i + 1; j < edges.length; j++) {
      const [c, d] = edges[j];
      if (a === c || a === d || b === c || b === d) continue;
      if (Math.max(x[a], x[b]) <= Math.min(x[c], x[d]) || Math.max(x[c], x[d]) <= Math.min(x[a], x[b])) continue;
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) n++;
    }
  }
  return n;
}

/** Crossings among edges that join adjacent layers (each pair of such edges between the same two layers, counted once). */
function crossings(layout, edges) {
  const byLayer = new Map();
  for (const [p, c] of edges) if (layout.layer[c] === layout.layer[p] + 1) (byLayer.get(layout.layer[p]) ?? byLayer.set(layout.layer[p], []).get(layout.layer[p])).push([layout.y[p], layout.y[c]]);
  let n = 0;
  for (const list of byLayer.values()) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // Inversions of the child order once sorted by parent: merge sort count.
    const ys = list.map((e) => e[1]);
    const sort = (a) => {
      if (a.length < 2) return a;
      const l = sort(a.slice(0, a.length >> 1)), r = sort(a.slice(a.length >> 1)), out = [];
      let i = 0, j = 0;
      while (i < l.length && j < r.length) if (r[j] < l[i]) (out.push(r[j++]), (n += l.length - i)); else out.push(l[i++]);
      return out.concat(l.slice(i), r.slice(j));
    };
    sort(ys);
  }
  return n;
}

const measure = (fn) => {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = fn();
  const used = process.cpuUsage(cpu);
  return { result, wall: (performance.now() - t) / 1000, cpu: (used.user + used.system) / 1e6 };
};

process.stdout.write(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${os.cpus().length} cores\n`);
const cases = values.manifest ? [[values.manifest, manifestGraph(values.manifest)]] : values.sizes.split(',').map((size) => [`${size} models`, modelGraph(Number(size))]);
for (const [name, input] of cases) {
  const run = measure(() => layoutGraph(input, options));
  const e = run.result.engine;
  const layers = Math.max(...run.result.layer) + 1;
  // Crossings among the edges the layout engine sees (tests are drawn beside their model).
  const drawn = input.edges.filter(([p, c]) => input.attachedTo[p] === -1 && input.attachedTo[c] === -1);
  let line = `${name}: ${e.nodes} nodes and ${drawn.length} edges to lay out (${input.count} nodes in all): ELK ${e.mode} (${e.edges} edges, ${e.dummies} dummy nodes for all edges) ${run.cpu.toFixed(2)} s CPU, ${run.wall.toFixed(2)} s wall; ${layers} layers, ${crossings(run.result, drawn)} crossings between adjacent layers, ${drawnCrossings(run.result, drawn) ?? 'not counted'} crossings as drawn`;
  if (old) {
    const before = measure(() => old(input));
    line += `; compared build ${before.cpu.toFixed(2)} s CPU, ${crossings(before.result, drawn)} between adjacent layers, ${drawnCrossings(before.result, drawn) ?? 'not counted'} as drawn`;
  }
  process.stdout.write(`${line} (load ${os.loadavg()[0].toFixed(1)})\n`);
}
