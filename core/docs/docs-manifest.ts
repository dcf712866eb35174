/**
 * The parts of the artifacts that the docs site reads, typed loosely on purpose: the site is built
 * from the JSON files (manifest.json, run_results.json, sources.json, catalog.json) so that it
 * can be rebuilt from artifacts alone, and unknown fields are simply not shown.
 */

export interface DocsColumn {
  name: string;
  description?: string;
  data_type?: string | null;
  meta?: Record<string, unknown>;
  tags?: string[];
}

/** A node or source as manifest.json has it. */
export interface DocsNode {
  unique_id: string;
  resource_type: string;
  name: string;
  package_name: string;
  original_file_path: string;
  path?: string;
  fqn: string[];
  description?: string;
  tags?: string[];
  meta?: Record<string, unknown>;
  database: string | null;
  schema: string;
  relation_name?: string | null;
  alias?: string;
  identifier?: string;
  source_name?: string;
  source_description?: string;
  loader?: string;
  loaded_at_field?: string | null;
  freshness?: unknown;
  config?: Record<string, unknown> & { materialized?: string; tags?: string[]; enabled?: boolean; meta?: Record<string, unknown> };
  columns?: Record<string, DocsColumn>;
  raw_code?: string;
  compiled_code?: string;
  language?: string;
  depends_on?: { nodes?: string[] };
  test_metadata?: { name: string; kwargs?: Record<string, unknown> };
  column_name?: string | null;
  attached_node?: string | null;
  patch_path?: string | null;
  /** Exposures. */
  owner?: { name?: string | null; email?: string | null };
  type?: string;
  url?: string | null;
  label?: string | null;
  maturity?: string | null;
}

export interface DocsManifest {
  metadata: { project_name?: string; adapter_type?: string; generated_at?: string; invocation_id?: string };
  nodes: Record<string, DocsNode>;
  sources: Record<string, DocsNode>;
  exposures?: Record<string, DocsNode>;
  unit_tests?: Record<string, DocsNode>;
  parent_map?: Record<string, string[]>;
}

/** One result of run_results.json. */
export interface DocsRunResult {
  unique_id: string;
  status: string;
  execution_time: number;
  message?: string | null;
  failures?: number | null;
  timing?: { name: string; started_at: string; completed_at: string }[];
  adapter_response?: Record<string, unknown>;
}

export interface DocsRunResults {
  metadata: { generated_at?: string; invocation_id?: string };
  results: DocsRunResult[];
  elapsed_time?: number;
  args?: Record<string, unknown>;
}

/** One result of sources.json. */
export interface DocsFreshnessResult {
  unique_id: string;
  status: string;
  max_loaded_at?: string | null;
  snapshotted_at?: string | null;
  max_loaded_at_time_ago_in_s?: number | null;
  criteria?: unknown;
  error?: string | null;
}

export interface DocsSources {
  metadata: { generated_at?: string };
  results: DocsFreshnessResult[];
}
