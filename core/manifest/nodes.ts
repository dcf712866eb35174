import type { FreshnessCriteria } from '../freshness/freshness-criteria.js';
import type { LakeFormat } from '../lake/lake-layout.js';
/**
 * The node types of the manifest: what parsing produces, what compilation fills in and what
 * the runner, docs, state comparison and CI slim read. Field names follow dbt's manifest
 * (v12) so that tools reading dbt artifacts can read ours.
 */

export type ResourceType = 'model' | 'seed' | 'source' | 'test' | 'unit_test' | 'snapshot' | 'analysis' | 'operation';

export type Materialization = 'view' | 'table' | 'ephemeral' | 'incremental' | 'seed' | 'test';
export type IncrementalStrategy = 'append' | 'merge' | 'delete+insert';
export type OnSchemaChange = 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';

/** Resolved configuration of a node: project folder configs, then YAML, then the file's own `config`. */
export interface NodeConfig {
  enabled: boolean;
  materialized: Materialization | string;
  schema?: string | null;
  database?: string | null;
  alias?: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  unique_key?: string | string[] | null;
  incremental_strategy?: IncrementalStrategy | null;
  on_schema_change?: OnSchemaChange | null;
  full_refresh?: boolean | null;
  'pre-hook': string[];
  'post-hook': string[];
  /** Seeds only: column name to warehouse type. */
  column_types?: Record<string, string>;
  delimiter?: string;
  quote_columns?: boolean;
  [key: string]: unknown;
}

export interface ColumnInfo {
  name: string;
  description: string;
  data_type?: string | null;
  meta: Record<string, unknown>;
  tags: string[];
  /** Generic tests declared on the column, as written in YAML (read by the test issue). */
  tests?: unknown[];
}

export interface RefCall {
  name: string;
  package?: string | null;
  version?: string | number | null;
}

export interface Checksum {
  name: 'sha256';
  checksum: string;
}

/** Fields every node in `nodes` and `sources` has. */
export interface BaseNode {
  unique_id: string;
  resource_type: ResourceType;
  package_name: string;
  name: string;
  /** Path relative to the resource folder (e.g. `staging/stg_orders.sql`). */
  path: string;
  /** Path relative to the project root (e.g. `models/staging/stg_orders.sql`). */
  original_file_path: string;
  fqn: string[];
  description: string;
  tags: string[];
  meta: Record<string, unknown>;
  database: string | null;
  schema: string;
  /** The fully rendered relation name, quoted for the target's adapter. */
  relation_name: string | null;
}

/** A model, seed or (later) test, snapshot or analysis. */
export interface ManifestNode extends BaseNode {
  resource_type: Exclude<ResourceType, 'source'>;
  alias: string;
  checksum: Checksum;
  config: NodeConfig;
  /** Config as written by the user (before defaults), used by state comparison. */
  unrendered_config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  patch_path: string | null;
  language: 'sql' | 'python' | 'csv';
  raw_code: string;
  refs: RefCall[];
  sources: [string, string][];
  depends_on: { nodes: string[]; macros: string[] };
  /** Filled by compilation. */
  compiled?: boolean;
  compiled_code?: string;
  compiled_path?: string | null;
  extra_ctes_injected?: boolean;
  extra_ctes?: { id: string; sql: string }[];
  created_at: number;
  /** 1-based line of the first `ref`/`source` call of each name (see StaticFacts.lines), for error messages. Not in dbt's manifest (non-enumerable). */
  ref_lines?: [string, number][];
  /** The YAML property entry's other keys (tests...), for later features. Not in the manifest (non-enumerable). */
  property_entry?: Record<string, unknown>;
  /** Generic tests: which test with which arguments, as dbt records it. */
  test_metadata?: { name: string; kwargs: Record<string, unknown>; namespace: string | null };
  /** Tests: the column a generic test is declared on. */
  column_name?: string | null;
  /** Tests: the node a generic test is declared on. */
  attached_node?: string | null;
  /** Where a generic test was declared, for error messages. Not in the manifest (non-enumerable). */
  declared_at?: { file: string; line: () => number | undefined };
}

/** Sets a field that is ours alone: non-enumerable, so artifacts (JSON.stringify) leave it out without copying. */
export function setPrivate<K extends 'ref_lines' | 'property_entry' | 'declared_at'>(node: ManifestNode, key: K, value: ManifestNode[K]): void {
  Object.defineProperty(node, key, { value, enumerable: false, writable: true, configurable: true });
}

export interface SourceNode extends BaseNode {
  resource_type: 'source';
  source_name: string;
  source_description: string;
  identifier: string;
  loader: string;
  loaded_at_field?: string | null;
  /** Merged from every level it can be written at (dbt's shape): null when a level turned it off. */
  freshness?: FreshnessCriteria | null;
  columns: Record<string, ColumnInfo>;
  config: { enabled: boolean; tags: string[]; meta: Record<string, unknown> };
  source_meta: Record<string, unknown>;
  patch_path?: string | null;
  /** Lake files this source reads in place instead of a warehouse table (`external:` in its YAML). */
  external?: ExternalSource;
}

/** `external: {location, format}` of a source table; location is relative to the lake root unless absolute. */
export interface ExternalSource {
  location: string;
  format: LakeFormat;
  /** Read only the newest row per key (what a `merge` extract means); absent: every committed row. */
  primary_key?: string[];
  /** The cursor column that orders rows of one load, with primary_key. */
  cursor_field?: string;
  /**
   * `extract`: implied by the source's `loader:` block (no `external:` written). On targets that
   * cannot read files, such a source is the raw table `strata extract` loads from the lake.
   */
  loaded_by?: 'extract';
}

export interface MacroNode {
  unique_id: string;
  resource_type: 'macro';
  package_name: string;
  name: string;
  path: string;
  original_file_path: string;
  macro_sql: string;
  /** `sql` for template partials, `javascript` for helper modules. */
  language: 'sql' | 'javascript';
  /** The adapter this override is for (`duckdb__my_macro`), or null for the default. */
  adapter: string | null;
  description: string;
  depends_on: { macros: string[] };
}

/** What an exposure's `type:` may be, as in dbt. */
export const EXPOSURE_TYPES = ['dashboard', 'notebook', 'analysis', 'ml', 'application'] as const;
export const EXPOSURE_MATURITIES = ['high', 'medium', 'low'] as const;

/** A downstream use of the project (a dashboard, a notebook...), declared under `exposures:`; never built. */
export interface ExposureNode {
  unique_id: string;
  resource_type: 'exposure';
  package_name: string;
  name: string;
  path: string;
  original_file_path: string;
  fqn: string[];
  type: (typeof EXPOSURE_TYPES)[number];
  owner: { name?: string | null; email?: string | null };
  description: string;
  label: string | null;
  maturity: (typeof EXPOSURE_MATURITIES)[number] | null;
  url: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  config: { enabled: boolean; tags: string[]; meta: Record<string, unknown> };
  unrendered_config: Record<string, unknown>;
  refs: RefCall[];
  sources: [string, string][];
  metrics: string[][];
  depends_on: { nodes: string[]; macros: string[] };
  created_at: number;
}

export type AnyNode = ManifestNode | SourceNode | ExposureNode;

export function isSource(node: AnyNode): node is SourceNode {
  return node.resource_type === 'source';
}
