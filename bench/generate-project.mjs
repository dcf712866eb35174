#!/usr/bin/env node
// Generates a synthetic Strata project (and optionally the same graph as a Dataform project).
//   node bench/generate-project.mjs --models 1000 --out DIR [--dataform DIR] [--seed 42] [--materialized table]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDataformToolchain, installDataformCore, pinnedVersions } from './dataform-toolchain.mjs';
import { buildGraph, effectiveConfig, folderConfigs } from './synthetic-graph.mjs';
import { writeDataformProject } from './write-dataform-project.mjs';
import { writeStrataProject } from './write-strata-project.mjs';

/**
 * Writes a project of `models` models into `out`, and into `dataform` if given. The same size
 * and seed always give the same files. `materialized` ('table') overrides every model's
 * materialization, for benchmarks that build the project. Returns the model list.
 */
export function generateProject({ models, out, dataform, seed = 42, materialized }) {
  const folders = folderConfigs(materialized);
  const graph = buildGraph({ models, seed, forceMaterialized: materialized }).map((m) => ({ ...m, effective: effectiveConfig(m, folders) }));
  writeStrataProject(out, graph, { folders, forceMaterialized: materialized });
  if (dataform) {
    ensureDataformToolchain();
    writeDataformProject(dataform, graph, { coreVersion: pinnedVersions().core });
    installDataformCore(dataform);
  }
  return graph;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      out: { type: 'string' },
      dataform: { type: 'string' },
      seed: { type: 'string', default: '42' },
      materialized: { type: 'string' },
    },
  });
  if (!values.models || !values.out) {
    process.stderr.write('usage: node bench/generate-project.mjs --models N --out DIR [--dataform DIR] [--seed 42] [--materialized table]\n');
    process.exit(2);
  }
  const started = performance.now();
  const graph = generateProject({ models: Number(values.models), out: values.out, dataform: values.dataform, seed: Number(values.seed), materialized: values.materialized });
  const counts = {};
  for (const m of graph) counts[m.effective.materialized] = (counts[m.effective.materialized] ?? 0) + 1;
  const refs = graph.reduce((n, m) => n + m.parents.length, 0);
  process.stdout.write(`wrote ${graph.length} models (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${refs} refs) to ${values.out}${values.dataform ? ` and ${values.dataform}` : ''} in ${((performance.now() - started) / 1000).toFixed(2)}s\n`);
}
