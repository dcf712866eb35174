import type { DocsNode, DocsRunResults, DocsSources } from './docs-manifest.js';

/** The project overview page: counts, the last run, what failed and what is stale. Nodes by number. */
export interface DocsOverview {
  counts: Record<string, number>;
  /** Models per layer: the first folder under the model path (staging, marts...), '(root)' for none. */
  layers: { name: string; models: number }[];
  run: { generated_at: string | null; elapsed_time: number | null; command: string | null; statuses: Record<string, number> } | null;
  slowest: { node: number; seconds: number; status: string }[];
  failing: { node: number; status: string; message: string | null; failures: number | null }[];
  freshness: { generated_at: string | null; statuses: Record<string, number> } | null;
  stale: { node: number; status: string; age_s: number | null; error: string | null }[];
  /** What uses the project downstream, by name. */
  exposures: { node: number; type: string; maturity: string | null; owner: string | null }[];
}

const FAILED = new Set(['fail', 'error', 'warn', 'runtime error']);
const SLOWEST = 10;

export function docsOverview(input: { nodes: DocsNode[]; index: Map<string, number>; runResults?: DocsRunResults; sources?: DocsSources }): DocsOverview {
  const { nodes, index, runResults, sources } = input;
  const counts: Record<string, number> = {};
  const layers = new Map<string, number>();
  for (const node of nodes) {
    counts[node.resource_type] = (counts[node.resource_type] ?? 0) + 1;
    if (node.resource_type !== 'model') continue;
    // fqn is [package, ...folders, name]: a model in models/staging/x.sql has fqn [pkg, staging, x].
    const layer = node.fqn.length > 2 ? node.fqn[1] : '(root)';
    layers.set(layer, (layers.get(layer) ?? 0) + 1);
  }
  const known = (runResults?.results ?? []).filter((r) => index.has(r.unique_id));
  const tally = (statuses: string[]) => statuses.reduce<Record<string, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {});
  const fresh = (sources?.results ?? []).filter((r) => index.has(r.unique_id));
  return {
    counts,
    layers: [...layers].map(([name, models]) => ({ name, models })).sort((a, b) => b.models - a.models || a.name.localeCompare(b.name)),
    run: runResults
      ? {
          generated_at: runResults.metadata.generated_at ?? null,
          elapsed_time: runResults.elapsed_time ?? null,
          command: typeof runResults.args?.which === 'string' ? runResults.args.which : null,
          statuses: tally(known.map((r) => r.status)),
        }
      : null,
    slowest: known
      .filter((r) => nodes[index.get(r.unique_id)!].resource_type === 'model')
      .sort((a, b) => b.execution_time - a.execution_time)
      .slice(0, SLOWEST)
      .map((r) => ({ node: index.get(r.unique_id)!, seconds: r.execution_time, status: r.status })),
    failing: known.filter((r) => FAILED.has(r.status)).map((r) => ({ node: index.get(r.unique_id)!, status: r.status, message: r.message ?? null, failures: r.failures ?? null })),
    freshness: sources ? { generated_at: sources.metadata.generated_at ?? null, statuses: tally(fresh.map((r) => r.status)) } : null,
    exposures: nodes
      .filter((n) => n.resource_type === 'exposure')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => ({ node: index.get(n.unique_id)!, type: n.type ?? '', maturity: n.maturity ?? null, owner: n.owner?.name || n.owner?.email || null })),
    stale: fresh.filter((r) => r.status !== 'pass').map((r) => ({ node: index.get(r.unique_id)!, status: r.status, age_s: r.max_loaded_at_time_ago_in_s ?? null, error: r.error ?? null })),
  };
}
