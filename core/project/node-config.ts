import type { NodeConfig, ResourceType } from '../manifest/nodes.js';
import { didYouMean } from '../errors/did-you-mean.js';

/** Raised by config validation; callers attach the file and line. */
export class ConfigKeyError extends Error {
  constructor(
    message: string,
    readonly key: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const COMMON_KEYS = ['enabled', 'tags', 'meta', 'schema', 'database', 'alias', 'docs', 'persist_docs', 'group', 'access', 'pre-hook', 'post-hook', 'full_refresh', 'grants', 'contract', 'quoting'];

/** Config keys each resource type accepts; anything else is a mistake, not a silent no-op. */
export const CONFIG_KEYS: Record<string, ReadonlySet<string>> = {
  model: new Set([...COMMON_KEYS, 'materialized', 'unique_key', 'incremental_strategy', 'on_schema_change', 'merge_update_columns', 'merge_exclude_columns', 'incremental_predicates', 'sql_header', 'batch_size', 'event_time', 'lookback', 'begin', 'packages', 'submission_method', 'cluster_by', 'partition_by']),
  seed: new Set([...COMMON_KEYS, 'materialized', 'column_types', 'delimiter', 'quote_columns']),
  source: new Set(['enabled', 'tags', 'meta', 'freshness', 'loaded_at_field', 'event_time', 'quoting']),
  exposure: new Set(['enabled', 'tags', 'meta']),
  unit_test: new Set(['enabled', 'tags', 'meta']),
  test: new Set(['enabled', 'tags', 'meta', 'severity', 'warn_if', 'error_if', 'where', 'limit', 'store_failures', 'store_failures_as', 'fail_calc', 'schema', 'database', 'alias']),
  snapshot: new Set([...COMMON_KEYS, 'materialized', 'unique_key', 'strategy', 'updated_at', 'check_cols', 'target_schema', 'target_database', 'invalidate_hard_deletes', 'hard_deletes', 'snapshot_meta_column_names', 'dbt_valid_to_current']),
};

/**
 * Other warehouses' own configs (dbt's adapter-specific keys), accepted on models, seeds and
 * snapshots so a project written for them parses; no target Strata has reads them, as dbt-duckdb
 * ignores them too.
 */
const WAREHOUSE_KEYS: ReadonlySet<string> = new Set([
  // Snowflake
  'transient', 'query_tag', 'copy_grants', 'snowflake_warehouse', 'secure', 'automatic_clustering', 'table_tag', 'target_lag',
  // Redshift
  'dist', 'sort', 'sort_type', 'bind', 'backup', 'auto_refresh',
  // BigQuery
  'labels', 'require_partition_filter', 'partition_expiration_days', 'hours_to_expiration', 'kms_key_name', 'grant_access_to',
  // Postgres
  'indexes', 'unlogged',
  // Spark and Databricks
  'file_format', 'location_root', 'tblproperties', 'clustered_by', 'buckets',
]);

/** dbt configs that would change what a build does, which Strata does not do yet: refused, never ignored. */
const NOT_IMPLEMENTED: Record<string, string> = {
  on_configuration_change: 'Strata has no materialized views, which this config is for',
};

const ALLOWED_VALUES: Record<string, readonly string[]> = {
  materialized: ['view', 'table', 'ephemeral', 'incremental', 'seed', 'snapshot', 'test'],
  incremental_strategy: ['append', 'merge', 'delete+insert'],
  severity: ['error', 'warn', 'ERROR', 'WARN', 'Error', 'Warn'],
  on_schema_change: ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'],
};

/** Template hash keys cannot contain '-', so `pre_hook=` in a `{{config}}` call means `pre-hook`. */
export function normaliseConfigKey(key: string): string {
  if (key === 'pre_hook') return 'pre-hook';
  if (key === 'post_hook') return 'post-hook';
  return key;
}

/** Checks one key/value pair; throws ConfigKeyError with a did-you-mean hint. */
export function validateConfigEntry(resourceType: ResourceType | string, rawKey: string, value: unknown): void {
  const key = normaliseConfigKey(rawKey);
  const keys = CONFIG_KEYS[resourceType] ?? CONFIG_KEYS.model;
  if (!keys.has(key) && WAREHOUSE_KEYS.has(key) && ['model', 'seed', 'snapshot'].includes(resourceType)) return;
  if (!keys.has(key) && NOT_IMPLEMENTED[key]) {
    throw new ConfigKeyError(`'${rawKey}' is a dbt config that Strata does not implement yet: ${NOT_IMPLEMENTED[key]}`, rawKey, 'remove it; it is refused rather than ignored, so that nothing builds differently from what it says');
  }
  if (!keys.has(key)) {
    const guess = didYouMean(key, keys);
    const noun = resourceType.replace(/_/g, ' ');
    throw new ConfigKeyError(`unknown config key '${rawKey}' for ${/^[aeio]/.test(noun) ? 'an' : 'a'} ${noun}`, rawKey, guess || `custom settings belong under 'meta'`);
  }
  const allowed = ALLOWED_VALUES[key];
  if (allowed && value !== null && value !== undefined) {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      const guess = typeof value === 'string' ? didYouMean(value, allowed) : '';
      throw new ConfigKeyError(`'${key}' cannot be ${JSON.stringify(value)}`, rawKey, guess || `one of: ${allowed.join(', ')}`);
    }
  }
  if (key === 'tags' && !isStringOrStringList(value)) throw new ConfigKeyError(`'tags' must be a string or a list of strings`, rawKey);
  if ((key === 'unique_key' || key === 'merge_update_columns' || key === 'merge_exclude_columns') && value !== null && !isStringOrStringList(value)) {
    throw new ConfigKeyError(`'${key}' must be a column name or a list of column names`, rawKey);
  }
  if (key === 'enabled' && typeof value !== 'boolean') {
    // dbt renders Jinja in project configs: `+enabled: "{{ target.name != 'prod' }}"`.
    const jinja = typeof value === 'string' && /\{\{[\s\S]*\}\}/.test(value);
    throw new ConfigKeyError(`'enabled' must be true or false`, rawKey, jinja ? 'a config value is not a template here; to leave these nodes out on one target, run there with --exclude (e.g. --exclude resource_type:seed)' : undefined);
  }
}

function isStringOrStringList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** Defaults per resource type, before any user config. */
export function defaultConfig(resourceType: ResourceType): NodeConfig {
  return {
    enabled: true,
    materialized: resourceType === 'seed' ? 'seed' : resourceType === 'test' ? 'test' : 'view',
    tags: [],
    meta: {},
    'pre-hook': [],
    'post-hook': [],
    ...(resourceType === 'model' ? { on_schema_change: 'ignore' as const } : {}),
    // dbt's test defaults: fail on any failing row, counted with count(*).
    ...(resourceType === 'test' ? { severity: 'ERROR', warn_if: '!= 0', error_if: '!= 0', fail_calc: 'count(*)', store_failures: null, where: null, limit: null } : {}),
  };
}

function toList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.includes(',')) {
    return value.split(',').map((v) => v.trim()).filter(Boolean);
  }
  return [String(value)];
}

/**
 * Applies a layer of config on top of `target` with dbt's merge rules: tags and hooks
 * accumulate, meta and column_types merge, everything else is replaced.
 */
export function mergeConfig(target: NodeConfig, layer: Record<string, unknown>): NodeConfig {
  for (const [rawKey, value] of Object.entries(layer)) {
    const key = normaliseConfigKey(rawKey);
    if (key === 'tags') {
      for (const tag of toList(value)) if (!target.tags.includes(tag)) target.tags.push(tag);
    } else if (key === 'pre-hook' || key === 'post-hook') {
      target[key] = [...target[key], ...(Array.isArray(value) ? value.map(String) : value == null ? [] : [String(value)])];
    } else if ((key === 'meta' || key === 'column_types') && value && typeof value === 'object') {
      target[key] = { ...((target[key] as object | undefined) ?? {}), ...(value as object) };
    } else if (key === 'unique_key' && typeof value === 'string' && value.includes(',')) {
      // Template hashes cannot hold lists, so "a,b" is the spelling of a two-column key.
      target.unique_key = toList(value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** The unique key as a list of columns. */
export function uniqueKeyColumns(config: NodeConfig): string[] {
  return columnList(config.unique_key);
}

/** A config's column list, written as a list or as one comma-separated string (`"a,b"`, as a template hash can hold). */
export function columnList(value: unknown): string[] {
  return toList(value);
}

/** A copy of a config that can be merged into without touching the original. */
export function copyConfig(config: NodeConfig): NodeConfig {
  const copy: NodeConfig = { ...config, tags: [...config.tags], meta: { ...config.meta }, 'pre-hook': [...config['pre-hook']], 'post-hook': [...config['post-hook']] };
  if (config.column_types) copy.column_types = { ...config.column_types };
  return copy;
}
