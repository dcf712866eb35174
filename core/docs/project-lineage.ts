import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EPHEMERAL_PREFIX } from '../compile/compiler.js';
import type { Catalog } from './catalog.js';
import { columnLineage, type ModelLineage } from './column-lineage.js';
import type { DocsManifest, DocsNode } from './docs-manifest.js';
import { contextFrom, type LineageContextData } from './lineage-context.js';

/** Below this many models, worker threads cost more to start than they save. */
const PARALLEL_FROM = 200;

/**
 * Column-level lineage of every compiled model and snapshot in a manifest. Upstream columns come
 * from the catalog (what the warehouse has); a relation it does not list is followed by name only.
 * With `threads` > 1 and enough models, the SQL is parsed on worker threads (one per core at most).
 */
export async function projectLineage(manifest: DocsManifest, catalog: Catalog | undefined, grammar: string, threads = 1): Promise<{ lineage: Map<string, ModelLineage>; threads: number }> {
  const context = lineageContextData(manifest, catalog);
  const items: [string, string][] = [];
  for (const node of Object.values(manifest.nodes)) {
    if ((node.resource_type === 'model' || node.resource_type === 'snapshot') && node.compiled_code) items.push([node.unique_id, node.compiled_code]);
  }
  const workerFile = fileURLToPath(new URL('./lineage-worker.js', import.meta.url));
  const workers = Math.min(threads, os.availableParallelism(), Math.ceil(items.length / PARALLEL_FROM));
  // Under a TypeScript test runner the worker is not compiled; the work is the same in-process.
  if (workers < 2 || !existsSync(workerFile)) {
    const lineageContext = contextFrom(context);
    return { lineage: new Map(items.map(([id, sql]) => [id, columnLineage(sql, id, lineageContext, grammar)])), threads: 1 };
  }
  const shares: [string, string][][] = Array.from({ length: workers }, () => []);
  items.forEach((item, i) => shares[i % workers].push(item));
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise<[string, ModelLineage][]>((resolve, reject) => {
          const worker = new Worker(workerFile, { workerData: { context, grammar, items: share } });
          worker.once('message', (message: [string, ModelLineage][]) => resolve(message));
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`a lineage worker exited with code ${code}`))));
        }),
    ),
  );
  const byId = new Map(results.flat());
  // In manifest order, whatever order the workers finished in.
  return { lineage: new Map(items.map(([id]) => [id, byId.get(id)!])), threads: workers };
}

/** Which node each relation name and ephemeral CTE stands for, and the catalog's columns. */
export function lineageContextData(manifest: DocsManifest, catalog: Catalog | undefined): LineageContextData {
  const all: DocsNode[] = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)];
  const relations = new Map<string, string | null>();
  const remember = (key: string, id: string) => relations.set(key, relations.has(key) && relations.get(key) !== id ? null : id);
  const ephemerals: [string, string][] = [];
  for (const node of all) {
    if (!['model', 'seed', 'snapshot', 'source'].includes(node.resource_type)) continue;
    if (node.config?.materialized === 'ephemeral') {
      ephemerals.push([`${EPHEMERAL_PREFIX}${node.name}`.toLowerCase(), node.unique_id]);
      continue;
    }
    const table = (node.resource_type === 'source' ? node.identifier : node.alias) ?? node.name;
    const parts = [node.database ?? '', node.schema, table].map((p) => p.toLowerCase());
    remember(parts.join('.'), node.unique_id);
    remember(parts.slice(1).join('.'), node.unique_id);
    remember(parts[2], node.unique_id);
  }
  const columns: [string, string[]][] = [];
  for (const entry of [...Object.values(catalog?.nodes ?? {}), ...Object.values(catalog?.sources ?? {})]) {
    columns.push([entry.unique_id, Object.values(entry.columns).sort((a, b) => a.index - b.index).map((c) => c.name)]);
  }
  return { relations: [...relations], columns, ephemerals };
}
