import { EPHEMERAL_PREFIX } from '../compile/compiler.js';
import type { Catalog } from './catalog.js';
import { columnLineage, type LineageContext, type ModelLineage } from './column-lineage.js';
import type { DocsManifest, DocsNode } from './docs-manifest.js';

/**
 * Column-level lineage of every compiled model and snapshot in a manifest. Upstream columns come
 * from the catalog (what the warehouse has); a relation it does not list is followed by name only.
 */
export function projectLineage(manifest: DocsManifest, catalog: Catalog | undefined, grammar: string): Map<string, ModelLineage> {
  const all: DocsNode[] = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)];
  const byRelation = new Map<string, string | null>();
  const remember = (key: string, id: string) => byRelation.set(key, byRelation.has(key) && byRelation.get(key) !== id ? null : id);
  const ephemerals = new Map<string, string>();
  for (const node of all) {
    if (!['model', 'seed', 'snapshot', 'source'].includes(node.resource_type)) continue;
    if (node.config?.materialized === 'ephemeral') {
      ephemerals.set(`${EPHEMERAL_PREFIX}${node.name}`.toLowerCase(), node.unique_id);
      continue;
    }
    const table = (node.resource_type === 'source' ? node.identifier : node.alias) ?? node.name;
    const parts = [node.database ?? '', node.schema, table].map((p) => p.toLowerCase());
    remember(parts.join('.'), node.unique_id);
    remember(parts.slice(1).join('.'), node.unique_id);
    remember(parts[2], node.unique_id);
  }
  const columns = new Map<string, string[]>();
  for (const entry of [...Object.values(catalog?.nodes ?? {}), ...Object.values(catalog?.sources ?? {})]) {
    columns.set(entry.unique_id, Object.values(entry.columns).sort((a, b) => a.index - b.index).map((c) => c.name));
  }
  const context: LineageContext = {
    resolveRelation: ({ database, schema, table }) => {
      const key = [database, schema, table].filter((p): p is string => p !== null).join('.').toLowerCase();
      return byRelation.get(key) ?? undefined;
    },
    columnsOf: (id) => columns.get(id),
    ephemeralNode: (cte) => ephemerals.get(cte.toLowerCase()),
  };
  const out = new Map<string, ModelLineage>();
  for (const node of Object.values(manifest.nodes)) {
    if ((node.resource_type !== 'model' && node.resource_type !== 'snapshot') || !node.compiled_code) continue;
    // An ephemeral model's own select has no CTE prefix of its own; its columns come from the SQL.
    out.set(node.unique_id, columnLineage(node.compiled_code, node.unique_id, context, grammar));
  }
  return out;
}
