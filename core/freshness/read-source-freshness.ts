import { didYouMean } from '../errors/did-you-mean.js';
import type { YamlFile } from '../project/yaml-file.js';
import { FRESHNESS_PERIODS, mergeFreshness, type FreshnessCriteria, type FreshnessLevel, type FreshnessPeriod, type FreshnessTime } from './freshness-criteria.js';

const FRESHNESS_KEYS = ['warn_after', 'error_after', 'filter'];
const TIME_KEYS = ['count', 'period'];
const EXAMPLE = 'freshness: {warn_after: {count: 12, period: hour}, error_after: {count: 1, period: day}}';

type Path = (string | number)[];

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function readTime(yaml: YamlFile, value: unknown, path: Path): FreshnessTime | null | undefined {
  if (value === undefined || value === null) return value;
  const key = path[path.length - 1];
  const time = asObject(value);
  if (!time) throw yaml.error(path, `'${key}' must be a mapping with a count and a period`, `${key}: {count: 12, period: hour}`);
  for (const k of Object.keys(time)) {
    if (!TIME_KEYS.includes(k)) throw yaml.error([...path, k], `unknown key '${k}' in '${key}'`, didYouMean(k, TIME_KEYS) || `'${key}' takes a count and a period`);
  }
  if (time.count === undefined || time.period === undefined) {
    throw yaml.error(path, `'${key}' needs both a count and a period`, `${key}: {count: 12, period: hour}`);
  }
  if (typeof time.count !== 'number' || !Number.isInteger(time.count) || time.count < 1) {
    throw yaml.error([...path, 'count'], `'count' in '${key}' must be a whole number of at least 1, got ${JSON.stringify(time.count)}`);
  }
  if (typeof time.period !== 'string' || !(FRESHNESS_PERIODS as readonly string[]).includes(time.period)) {
    const guess = typeof time.period === 'string' ? didYouMean(time.period.replace(/s$/i, ''), FRESHNESS_PERIODS) : '';
    throw yaml.error([...path, 'period'], `'period' in '${key}' cannot be ${JSON.stringify(time.period)}`, guess || `one of: ${FRESHNESS_PERIODS.join(', ')}`);
  }
  return { count: time.count, period: time.period as FreshnessPeriod };
}

/** Reads and checks one `freshness:` block; undefined when absent, null when written as null. */
export function readFreshnessLevel(yaml: YamlFile, value: unknown, path: Path): FreshnessLevel | null | undefined {
  if (value === undefined || value === null) return value;
  const block = asObject(value);
  if (!block) throw yaml.error(path, `'freshness' must be a mapping with warn_after and/or error_after, or null`, EXAMPLE);
  for (const key of Object.keys(block)) {
    if (!FRESHNESS_KEYS.includes(key)) throw yaml.error([...path, key], `unknown key '${key}' in 'freshness'`, didYouMean(key, FRESHNESS_KEYS) || `'freshness' takes ${FRESHNESS_KEYS.join(', ')}`);
  }
  if (block.filter !== undefined && block.filter !== null && typeof block.filter !== 'string') {
    throw yaml.error([...path, 'filter'], `'filter' in 'freshness' must be a SQL condition, got ${JSON.stringify(block.filter)}`, "e.g. filter: \"_etl_loaded_at >= current_date - 2\"");
  }
  const level: FreshnessLevel = {};
  const warn = readTime(yaml, block.warn_after, [...path, 'warn_after']);
  const error = readTime(yaml, block.error_after, [...path, 'error_after']);
  if (warn !== undefined) level.warn_after = warn;
  if (error !== undefined) level.error_after = error;
  if (block.filter !== undefined) level.filter = block.filter as string | null;
  return level;
}

function readLoadedAtField(yaml: YamlFile, value: unknown, path: Path): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value.trim() === '') throw yaml.error(path, `'loaded_at_field' must be a column name or SQL expression, got ${JSON.stringify(value)}`, 'e.g. loaded_at_field: _etl_loaded_at');
  return value;
}

/** Where one source table's freshness is written: its source's YAML entry, its own, and project.yml's `sources:` configs. */
export interface SourceTableEntry {
  yaml: YamlFile;
  source: Record<string, unknown>;
  sourcePath: Path;
  table: Record<string, unknown>;
  tablePath: Path;
  /** project.yml's `sources:` folder configs of this table, outermost first, that file, and where in it each layer's key is (for errors). */
  project?: { yaml: YamlFile; layers: readonly Record<string, unknown>[]; keyPath: (layer: Record<string, unknown>, key: string) => Path };
}

/** One source table's freshness, merged: the manifest's `freshness` and `loaded_at_field`. */
export interface SourceTableFreshness {
  /** dbt's shape: thresholds of nulls when none is set, null when a level turned freshness off. */
  freshness: FreshnessCriteria | null;
  loadedAtField: string | null;
}

/**
 * Reads and checks the freshness settings of one source table (a bad period or count is a
 * UserError at its line). Levels merge project.yml's `sources:` configs, source, source config,
 * table, table config, innermost last; `freshness: null` on a table turns it off, and a table's
 * `loaded_at_field` (even null) replaces the source's.
 */
export function sourceTableFreshness({ yaml, source, sourcePath, table, tablePath, project }: SourceTableEntry): SourceTableFreshness {
  const sourceConfig = asObject(source.config) ?? {};
  const tableConfig = asObject(table.config) ?? {};
  const layers = project?.layers ?? [];
  const freshness = mergeFreshness([
    ...layers.map((layer) => readFreshnessLevel(project!.yaml, layer.freshness, project!.keyPath(layer, 'freshness'))),
    readFreshnessLevel(yaml, source.freshness, [...sourcePath, 'freshness']),
    readFreshnessLevel(yaml, sourceConfig.freshness, [...sourcePath, 'config', 'freshness']),
    readFreshnessLevel(yaml, table.freshness, [...tablePath, 'freshness']),
    readFreshnessLevel(yaml, tableConfig.freshness, [...tablePath, 'config', 'freshness']),
  ]);
  const configField = readLoadedAtField(yaml, tableConfig.loaded_at_field, [...tablePath, 'config', 'loaded_at_field']);
  const propertyField = readLoadedAtField(yaml, table.loaded_at_field, [...tablePath, 'loaded_at_field']);
  // dbt: a table that sets loaded_at_field, even to null, does not inherit the source's.
  const tableSetsField = 'loaded_at_field' in tableConfig || 'loaded_at_field' in table;
  const sourceField = readLoadedAtField(yaml, sourceConfig.loaded_at_field, [...sourcePath, 'config', 'loaded_at_field']) ?? readLoadedAtField(yaml, source.loaded_at_field, [...sourcePath, 'loaded_at_field']);
  const projectField = layers.reduce<string | null | undefined>((field, layer) => readLoadedAtField(project!.yaml, layer.loaded_at_field, project!.keyPath(layer, 'loaded_at_field')) ?? field, undefined);
  const loadedAtField = tableSetsField ? (configField ?? propertyField ?? null) : (sourceField ?? projectField ?? null);
  return { freshness, loadedAtField };
}
