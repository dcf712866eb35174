import type { Catalog, CatalogEntry } from './catalog.js';
import type { ModelLineage } from './column-lineage.js';
import type { DocsManifest, DocsNode, DocsRunResult, DocsRunResults, DocsSources, DocsFreshnessResult } from './docs-manifest.js';
import { layoutGraph, type LayoutEngineRun } from './graph-layout.js';
import { docsOverview, type DocsOverview } from './docs-overview.js';

/** How many node pages go in one lazily loaded data file. */
export const CHUNK_SIZE = 250;

/**
 * What index.html loads first: every node as parallel arrays (index = node number), the edges,
 * the layout and the overview. Small enough to make the graph interactive at once; pages and
 * the search index come in files of their own.
 */
export interface DocsGraphData {
  project: string;
  adapter_type: string;
  generated_at: string;
  chunk_size: number;
  /** Dictionaries the per-node numbers point into. */
  types: string[];
  materializations: string[];
  packages: string[];
  statuses: string[];
  id: string[];
  name: string[];
  type: number[];
  package: number[];
  /** Materialization (models, seeds, snapshots), -1 for others. */
  mat: number[];
  path: string[];
  /** fqn joined with '.', for selection. */
  fqn: string[];
  /** Tags joined with a space. */
  tags: string[];
  /** Source name for sources, '' otherwise. */
  source: string[];
  /** Tests: 'g' generic, 's' singular, 'u' unit; '' otherwise. */
  test: string[];
  /** Tests: node number of the tested node, -1 otherwise. */
  attached: number[];
  /** Latest status (run_results or sources.json), -1 when none. */
  status: number[];
  x: number[];
  y: number[];
  layer: number[];
  /** Flat parent, child, parent, child... node numbers. */
  edges: number[];
  overview: DocsOverview;
}

/** A node's page, loaded when it is opened. Lineage origins name nodes by number. */
export interface DocsNodePage {
  description: string;
  relation: string | null;
  database: string | null;
  schema: string;
  materialized: string | null;
  tags: string[];
  owner: string | null;
  meta: Record<string, unknown>;
  config: Record<string, unknown> | null;
  raw_code: string | null;
  compiled_code: string | null;
  language: string | null;
  relation_type: string | null;
  columns: DocsPageColumn[];
  /** Why column lineage is missing altogether, if it is. */
  lineage_error: string | null;
  result: { status: string; execution_time: number; message: string | null; failures: number | null; started_at: string | null; completed_at: string | null } | null;
  freshness: { status: string; max_loaded_at: string | null; snapshotted_at: string | null; age_s: number | null; criteria: unknown; error: string | null } | null;
  source_description: string | null;
  loader: string | null;
  test: { name: string; kwargs: Record<string, unknown>; column: string | null } | null;
  /** Exposures: what uses the project downstream, and who owns it. */
  exposure: { type: string; label: string | null; maturity: string | null; url: string | null; owner_name: string | null; owner_email: string | null } | null;
}

export interface DocsPageColumn {
  name: string;
  type: string | null;
  description: string;
  /** Node numbers of the tests on this column. */
  tests: number[];
  /** Upstream columns, as [node number, column]; null when the node has no lineage (not a model). */
  from: [number, string][] | null;
  unknown: string | null;
  /** Downstream columns computed from this one. */
  used_by: [number, string][];
}

export interface DocsSiteData {
  graph: DocsGraphData;
  /** Pages in chunks of CHUNK_SIZE, by node number. */
  pages: DocsNodePage[][];
  /** Per node, lower-cased `name \u0001 description \u0001 columns and their descriptions`. */
  search: string[];
  /** What the graph layout engine (ELK) was handed and how long it took; not written to the site. */
  layout: LayoutEngineRun;
}

export interface DocsSiteInput {
  manifest: DocsManifest;
  catalog?: Catalog;
  runResults?: DocsRunResults;
  sources?: DocsSources;
  lineage: Map<string, ModelLineage>;
  generatedAt?: Date;
}

const GRAPH_TYPES = ['source', 'seed', 'model', 'snapshot', 'test', 'unit_test', 'exposure', 'analysis'];

/** Builds the site's data from the artifacts: one pass over the nodes, then the layout. */
export function buildDocsSiteData(input: DocsSiteInput): DocsSiteData {
  const { manifest, catalog } = input;
  const all: DocsNode[] = [
    ...Object.values(manifest.sources),
    ...Object.values(manifest.nodes),
    ...Object.values(manifest.unit_tests ?? {}),
    ...Object.values(manifest.exposures ?? {}),
  ].filter((n) => GRAPH_TYPES.includes(n.resource_type));
  const index = new Map(all.map((n, i) => [n.unique_id, i]));
  const results = new Map<string, DocsRunResult>((input.runResults?.results ?? []).map((r) => [r.unique_id, r]));
  const freshness = new Map<string, DocsFreshnessResult>((input.sources?.results ?? []).map((r) => [r.unique_id, r]));
  const dict = () => {
    const values: string[] = [];
    const at = new Map<string, number>();
    return { values, of: (v: string) => at.get(v) ?? (values.push(v), at.set(v, values.length - 1), values.length - 1) };
  };
  const types = dict();
  const mats = dict();
  const packages = dict();
  const statuses = dict();
  const graph: DocsGraphData = {
    project: manifest.metadata.project_name ?? '',
    adapter_type: manifest.metadata.adapter_type ?? '',
    generated_at: (input.generatedAt ?? new Date()).toISOString(),
    chunk_size: CHUNK_SIZE,
    types: types.values,
    materializations: mats.values,
    packages: packages.values,
    statuses: statuses.values,
    id: [], name: [], type: [], package: [], mat: [], path: [], fqn: [], tags: [], source: [], test: [], attached: [], status: [], x: [], y: [], layer: [], edges: [],
    overview: undefined as unknown as DocsOverview,
  };
  const edges: [number, number][] = [];
  all.forEach((node, i) => {
    graph.id.push(node.unique_id);
    graph.name.push(node.name);
    graph.type.push(types.of(node.resource_type));
    graph.package.push(packages.of(node.package_name));
    graph.mat.push(node.config?.materialized && node.resource_type !== 'test' && node.resource_type !== 'unit_test' ? mats.of(node.config.materialized) : -1);
    graph.path.push(node.original_file_path);
    graph.fqn.push((node.fqn ?? []).join('.'));
    graph.tags.push([...new Set([...(node.tags ?? []), ...(node.config?.tags ?? [])])].join(' '));
    graph.source.push(node.source_name ?? '');
    graph.test.push(node.resource_type === 'unit_test' ? 'u' : node.resource_type === 'test' ? (node.test_metadata ? 'g' : 's') : '');
    const status = results.get(node.unique_id)?.status ?? freshness.get(node.unique_id)?.status;
    graph.status.push(status === undefined ? -1 : statuses.of(status));
    const parents = manifest.parent_map?.[node.unique_id] ?? node.depends_on?.nodes ?? [];
    for (const parent of parents) {
      const p = index.get(parent);
      if (p !== undefined && p !== i) edges.push([p, i]);
    }
  });
  const attachedTo = all.map((node, i) => {
    if (node.resource_type !== 'test' && node.resource_type !== 'unit_test') return -1;
    const owner = node.attached_node ?? (manifest.parent_map?.[node.unique_id] ?? node.depends_on?.nodes ?? [])[0];
    const o = owner === undefined ? undefined : index.get(owner);
    return o === undefined || o === i ? -1 : o;
  });
  graph.attached = attachedTo;
  const layout = layoutGraph({ count: all.length, edges, attachedTo });
  graph.x = layout.x;
  graph.y = layout.y;
  graph.layer = layout.layer;
  graph.edges = edges.flat();
  graph.overview = docsOverview({ nodes: all, index, runResults: input.runResults, sources: input.sources });

  const usedBy = downstreamColumns(input.lineage, index);
  const testsOf = new Map<string, number[]>();
  all.forEach((node, i) => {
    if (node.resource_type === 'test' && node.attached_node && node.column_name) {
      const key = columnKey(node.attached_node, node.column_name);
      testsOf.set(key, [...(testsOf.get(key) ?? []), i]);
    }
  });
  const pages: DocsNodePage[][] = [];
  const search: string[] = [];
  all.forEach((node, i) => {
    const entry = catalog?.nodes[node.unique_id] ?? catalog?.sources[node.unique_id];
    const page = nodePage(node, entry, input.lineage.get(node.unique_id), index, usedBy, testsOf, results.get(node.unique_id), freshness.get(node.unique_id));
    (pages[Math.floor(i / CHUNK_SIZE)] ??= []).push(page);
    const exposure = page.exposure ? [page.exposure.label ?? '', page.exposure.owner_name ?? '', page.exposure.owner_email ?? ''] : [];
    search.push([node.name, page.description, ...page.columns.flatMap((c) => [c.name, c.description]), ...exposure].join('\u0001').toLowerCase());
  });
  return { graph, pages, search, layout: layout.engine };
}

const columnKey = (id: string, column: string) => `${id}\u0000${column.toLowerCase()}`;

function downstreamColumns(lineage: Map<string, ModelLineage>, index: Map<string, number>): Map<string, [number, string][]> {
  const out = new Map<string, [number, string][]>();
  for (const [id, model] of lineage) {
    const i = index.get(id);
    if (i === undefined) continue;
    for (const [column, col] of Object.entries(model.columns)) {
      for (const from of col.from) {
        const key = columnKey(from.node, from.column);
        const list = out.get(key) ?? [];
        list.push([i, column]);
        out.set(key, list);
      }
    }
  }
  return out;
}

/** Columns in warehouse order with YAML descriptions; YAML-only columns (not built yet) follow. */
function pageColumns(node: DocsNode, entry: CatalogEntry | undefined, lineage: ModelLineage | undefined, index: Map<string, number>, usedBy: Map<string, [number, string][]>, testsOf: Map<string, number[]>): DocsPageColumn[] {
  const yaml = new Map(Object.values(node.columns ?? {}).map((c) => [c.name.toLowerCase(), c]));
  const names: { name: string; type: string | null }[] = entry ? Object.values(entry.columns).sort((a, b) => a.index - b.index).map((c) => ({ name: c.name, type: c.type })) : [];
  const seen = new Set(names.map((n) => n.name.toLowerCase()));
  for (const c of Object.values(node.columns ?? {})) if (!seen.has(c.name.toLowerCase())) names.push({ name: c.name, type: c.data_type ?? null });
  if (lineage) for (const name of Object.keys(lineage.columns)) if (!seen.has(name.toLowerCase()) && !yaml.has(name.toLowerCase())) names.push({ name, type: null }), seen.add(name.toLowerCase());
  const lineageOf = new Map(Object.entries(lineage?.columns ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return names.map(({ name, type }) => {
    const col = lineageOf.get(name.toLowerCase());
    const from = lineage ? (col?.from ?? []).flatMap((o): [number, string][] => (index.has(o.node) ? [[index.get(o.node)!, o.column]] : [])) : null;
    return {
      name,
      type,
      description: yaml.get(name.toLowerCase())?.description ?? '',
      tests: testsOf.get(columnKey(node.unique_id, name)) ?? [],
      from,
      unknown: lineage ? (col ? (col.unknown ?? null) : (lineage.error ?? 'not found among the columns of the parsed select')) : null,
      used_by: usedBy.get(columnKey(node.unique_id, name)) ?? [],
    };
  });
}

function nodePage(
  node: DocsNode,
  entry: CatalogEntry | undefined,
  lineage: ModelLineage | undefined,
  index: Map<string, number>,
  usedBy: Map<string, [number, string][]>,
  testsOf: Map<string, number[]>,
  result: DocsRunResult | undefined,
  fresh: DocsFreshnessResult | undefined,
): DocsNodePage {
  const meta = { ...(node.config?.meta ?? {}), ...(node.meta ?? {}) };
  const owner = typeof meta.owner === 'string' ? meta.owner : node.owner ? [node.owner.name, node.owner.email].filter(Boolean).join(' ') || null : null;
  const execute = result?.timing?.find((t) => t.name === 'execute');
  return {
    description: node.description ?? '',
    relation: node.relation_name ?? null,
    database: node.database ?? null,
    schema: node.schema,
    materialized: node.config?.materialized ?? null,
    tags: [...new Set([...(node.tags ?? []), ...(node.config?.tags ?? [])])],
    owner,
    meta,
    config: node.resource_type === 'source' ? null : (node.config ?? null),
    raw_code: node.raw_code ?? null,
    compiled_code: node.compiled_code ?? null,
    language: node.language ?? null,
    relation_type: entry?.metadata.type ?? null,
    columns: pageColumns(node, entry, lineage, index, usedBy, testsOf),
    lineage_error: lineage?.error ?? null,
    result: result
      ? { status: result.status, execution_time: result.execution_time, message: result.message ?? null, failures: result.failures ?? null, started_at: execute?.started_at ?? null, completed_at: execute?.completed_at ?? null }
      : null,
    freshness: fresh
      ? { status: fresh.status, max_loaded_at: fresh.max_loaded_at ?? null, snapshotted_at: fresh.snapshotted_at ?? null, age_s: fresh.max_loaded_at_time_ago_in_s ?? null, criteria: fresh.criteria ?? null, error: fresh.error ?? null }
      : null,
    source_description: node.source_description ?? null,
    loader: node.loader ?? null,
    test: node.test_metadata ? { name: node.test_metadata.name, kwargs: node.test_metadata.kwargs ?? {}, column: node.column_name ?? null } : null,
    exposure:
      node.resource_type === 'exposure'
        ? { type: node.type ?? '', label: node.label ?? null, maturity: node.maturity ?? null, url: node.url ?? null, owner_name: node.owner?.name ?? null, owner_email: node.owner?.email ?? null }
        : null,
  };
}
