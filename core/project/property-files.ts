import { didYouMean } from '../errors/did-you-mean.js';
import { sourceTableFreshness } from '../freshness/read-source-freshness.js';
import { LAKE_FORMATS, type LakeFormat } from '../lake/lake-layout.js';
import type { ColumnInfo, ExternalSource, NodeConfig, SourceNode } from '../manifest/nodes.js';
import { readExposures, type DeclaredExposure } from './exposure-files.js';
import { ConfigKeyError, mergeConfig, validateConfigEntry } from './node-config.js';
import { readSourceLoader } from './source-loader-block.js';
import type { YamlFile } from './yaml-file.js';

/** What one YAML entry under `models:`/`seeds:`/`snapshots:` says about a node. */
export interface NodePatch {
  resourceType: 'model' | 'seed' | 'snapshot' | 'analysis' | 'macro';
  name: string;
  yaml: YamlFile;
  /** Index of the entry in its list, for error lines. */
  path: (string | number)[];
  description?: string;
  config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  tags: string[];
  /** Model-level tests and other keys kept as written, for the features that read them. */
  raw: Record<string, unknown>;
}

/** Everything one property file declares. */
export interface PropertyFile {
  yaml: YamlFile;
  /** The resource path the file was found under (`models`, `snapshots`...). */
  resourcePath: string;
  patches: NodePatch[];
  /** Source tables, without database/schema defaults (applied once the target is known). */
  sources: SourceNode[];
  /** Exposures, their `depends_on` not yet resolved. */
  exposures: DeclaredExposure[];
  /** Sections later features read (unit_tests, metrics...), as written. */
  other: Record<string, unknown>;
}

const TOP_KEYS = new Set(['version', 'models', 'seeds', 'sources', 'macros', 'snapshots', 'analyses', 'exposures', 'unit_tests', 'metrics', 'groups', 'semantic_models', 'saved_queries', 'data_tests']);
const NODE_KEYS = new Set(['name', 'relation', 'description', 'config', 'columns', 'meta', 'tags', 'tests', 'data_tests', 'docs', 'access', 'group', 'constraints', 'latest_version', 'versions', 'contract', 'deprecation_date', 'arguments']);
const COLUMN_KEYS = new Set(['name', 'description', 'data_type', 'meta', 'tags', 'tests', 'data_tests', 'constraints', 'quote', 'policy_tags', 'granularity']);
const SOURCE_KEYS = new Set(['name', 'description', 'database', 'schema', 'loader', 'meta', 'tags', 'config', 'tables', 'loaded_at_field', 'freshness', 'quoting', 'overrides']);
const TABLE_KEYS = new Set(['name', 'description', 'identifier', 'meta', 'tags', 'config', 'columns', 'tests', 'data_tests', 'loaded_at_field', 'freshness', 'quoting', 'external', 'loader']);

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function checkKeys(yaml: YamlFile, entry: Record<string, unknown>, allowed: ReadonlySet<string>, path: (string | number)[], what: string): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.has(key)) throw yaml.error([...path, key], `unknown key '${key}' in ${what}`, didYouMean(key, allowed) || undefined);
  }
}

function tagList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function readColumns(yaml: YamlFile, value: unknown, path: (string | number)[]): Record<string, ColumnInfo> {
  const columns: Record<string, ColumnInfo> = {};
  if (value === undefined || value === null) return columns;
  if (!Array.isArray(value)) throw yaml.error(path, `'columns' must be a list`, '- name: order_id');
  value.forEach((raw, i) => {
    const entry = asObject(raw);
    if (!entry || typeof entry.name !== 'string') throw yaml.error([...path, i], `each column needs a 'name'`);
    checkKeys(yaml, entry, COLUMN_KEYS, [...path, i], `column '${entry.name}'`);
    columns[entry.name] = {
      name: entry.name,
      description: typeof entry.description === 'string' ? entry.description : '',
      data_type: typeof entry.data_type === 'string' ? entry.data_type : null,
      meta: asObject(entry.meta) ?? {},
      tags: tagList(entry.tags),
      ...(entry.tests || entry.data_tests ? { tests: [...((entry.data_tests as unknown[]) ?? []), ...((entry.tests as unknown[]) ?? [])] } : {}),
      ...(entry.constraints ? { constraints: entry.constraints } : {}),
    } as ColumnInfo;
  });
  return columns;
}

function readConfig(yaml: YamlFile, value: unknown, resourceType: string, path: (string | number)[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const config = asObject(value);
  if (!config) throw yaml.error(path, `'config' must be a mapping`);
  for (const [key, v] of Object.entries(config)) {
    try {
      validateConfigEntry(resourceType, key, v);
    } catch (error) {
      if (error instanceof ConfigKeyError) throw yaml.error([...path, key], error.message, error.hint);
      throw error;
    }
  }
  return config;
}

/**
 * Project-level configs of a source table: project.yml's `sources:` folder configs by the table's
 * fqn, outermost first, and the file they are in. A source's own YAML config goes over them.
 */
export interface SourceConfigLayers {
  layersFor(fqn: string[]): readonly Record<string, unknown>[];
  /** Where a layer's config `key` is written in project.yml (`['sources', 'shop', '+freshness']`). */
  keyPath(layer: Record<string, unknown>, key: string): string[];
  yaml: YamlFile;
}

/** Reads a YAML property file (`version: 2` with models/seeds/sources...). */
export function readPropertyFile(yaml: YamlFile, projectName: string, resourcePath: string, sourceLayers?: SourceConfigLayers): PropertyFile {
  const out: PropertyFile = { yaml, resourcePath, patches: [], sources: [], exposures: [], other: {} };
  const data = yaml.data;
  if (data === null || data === undefined) return out;
  const top = asObject(data);
  if (!top) throw yaml.error([], 'a property file must be a mapping', "start with 'version: 2' and 'models:'");
  checkKeys(yaml, top, TOP_KEYS, [], 'a property file');
  for (const section of ['models', 'seeds', 'snapshots', 'analyses', 'macros'] as const) {
    const list = top[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw yaml.error([section], `'${section}' must be a list`, '- name: ...');
    const resourceType = section === 'analyses' ? 'analysis' : (section.slice(0, -1) as NodePatch['resourceType']);
    list.forEach((raw, i) => {
      const path = [section, i];
      const entry = asObject(raw);
      if (!entry || typeof entry.name !== 'string') throw yaml.error(path, `each entry under '${section}' needs a 'name'`);
      checkKeys(yaml, entry, NODE_KEYS, path, `${resourceType} '${entry.name}'`);
      // dbt 1.9's snapshots in YAML: `relation: ref('x')` is what the snapshot selects from.
      if (entry.relation !== undefined && (resourceType !== 'snapshot' || typeof entry.relation !== 'string' || !/^\s*(ref|source)\s*\(/.test(entry.relation))) {
        throw yaml.error([...path, 'relation'], resourceType === 'snapshot' ? `a snapshot's 'relation' is ref('model') or source('source', 'table')` : `'relation' is a key of snapshots, not of a ${resourceType}`, "relation: source('shop', 'orders')");
      }
      const { name, description, config, columns, meta, tags, ...rest } = entry;
      out.patches.push({
        resourceType,
        name: name as string,
        yaml,
        path,
        description: typeof description === 'string' ? description : undefined,
        config: resourceType === 'macro' ? {} : readConfig(yaml, config, resourceType, [...path, 'config']),
        columns: readColumns(yaml, columns, [...path, 'columns']),
        meta: asObject(meta) ?? {},
        tags: tagList(tags),
        raw: rest,
      });
    });
  }
  if (top.sources !== undefined && top.sources !== null) {
    out.sources = readSources(yaml, top.sources, projectName, resourcePath, sourceLayers);
  }
  if (top.exposures !== undefined) out.exposures = readExposures(yaml, top.exposures, projectName, resourcePath);
  for (const key of ['unit_tests', 'metrics', 'groups', 'semantic_models', 'saved_queries', 'data_tests']) {
    if (top[key] !== undefined) out.other[key] = top[key];
  }
  return out;
}

function readSources(yaml: YamlFile, value: unknown, projectName: string, resourcePath: string, sourceLayers?: SourceConfigLayers): SourceNode[] {
  if (!Array.isArray(value)) throw yaml.error(['sources'], `'sources' must be a list`, '- name: shop');
  const folder = yaml.file.slice(resourcePath.length + 1).split('/').slice(0, -1);
  const nodes: SourceNode[] = [];
  value.forEach((raw, i) => {
    const path = ['sources', i];
    const source = asObject(raw);
    if (!source || typeof source.name !== 'string') throw yaml.error(path, `each source needs a 'name'`);
    checkKeys(yaml, source, SOURCE_KEYS, path, `source '${source.name}'`);
    const sourceConfig = readConfig(yaml, source.config, 'source', [...path, 'config']);
    const tables = source.tables;
    if (!Array.isArray(tables)) throw yaml.error(path, `source '${source.name}' needs a list of 'tables'`, '- name: orders');
    tables.forEach((rawTable, j) => {
      const tablePath = [...path, 'tables', j];
      const table = asObject(rawTable);
      if (!table || typeof table.name !== 'string') throw yaml.error(tablePath, `each source table needs a 'name'`);
      checkKeys(yaml, table, TABLE_KEYS, tablePath, `source table '${table.name}'`);
      const tableConfig = readConfig(yaml, table.config, 'source', [...tablePath, 'config']);
      const name = table.name;
      const fqn = [projectName, ...folder, source.name as string, name];
      // project.yml's `sources:` configs, outermost first, merged into one layer (tags added, meta merged) under the YAML's own.
      const projectConfig = { tags: [], meta: {} } as unknown as NodeConfig;
      const projectLayers = sourceLayers?.layersFor(fqn) ?? [];
      for (const layer of projectLayers) mergeConfig(projectConfig, layer);
      const tags = [...new Set([...projectConfig.tags, ...tagList(source.tags), ...tagList(sourceConfig.tags), ...tagList(table.tags), ...tagList(tableConfig.tags)])];
      const meta = { ...projectConfig.meta, ...(asObject(source.meta) ?? {}), ...(asObject(sourceConfig.meta) ?? {}), ...(asObject(table.meta) ?? {}), ...(asObject(tableConfig.meta) ?? {}) };
      const { freshness, loadedAtField } = sourceTableFreshness({ yaml, source, sourcePath: path, table, tablePath, project: sourceLayers && { yaml: sourceLayers.yaml, layers: projectLayers, keyPath: sourceLayers.keyPath } });
      const tests = [...((table.data_tests as unknown[]) ?? []), ...((table.tests as unknown[]) ?? [])];
      const loader = readSourceLoader(yaml, source, table, path, tablePath);
      const external = table.external !== undefined && table.external !== null ? readExternal(yaml, table.external, [...tablePath, 'external']) : loader.external;
      nodes.push({
        unique_id: `source.${projectName}.${source.name}.${name}`,
        resource_type: 'source',
        package_name: projectName,
        name,
        source_name: source.name as string,
        source_description: typeof source.description === 'string' ? source.description : '',
        path: yaml.file.slice(resourcePath.length + 1),
        original_file_path: yaml.file,
        fqn,
        description: typeof table.description === 'string' ? table.description : '',
        tags,
        meta,
        database: typeof source.database === 'string' ? source.database : null,
        schema: typeof source.schema === 'string' ? source.schema : (source.name as string),
        identifier: typeof table.identifier === 'string' ? table.identifier : name,
        relation_name: null,
        loader: loader.loader,
        loaded_at_field: loadedAtField,
        freshness,
        columns: readColumns(yaml, table.columns, [...tablePath, 'columns']),
        config: { enabled: (tableConfig.enabled ?? sourceConfig.enabled ?? projectConfig.enabled ?? true) as boolean, tags, meta },
        source_meta: asObject(source.meta) ?? {},
        patch_path: null,
        ...(tests.length ? { tests } : {}),
        ...(external ? { external } : {}),
      } as SourceNode);
    });
  });
  return nodes;
}

const EXTERNAL_KEYS = new Set(['location', 'format', 'primary_key', 'cursor_field']);

/** `external: {location: raw/shop_mysql/orders, format: parquet}`: lake files a source table reads in place. */
function readExternal(yaml: YamlFile, value: unknown, path: (string | number)[]): ExternalSource {
  const example = '{location: raw/shop_mysql/orders, format: parquet}';
  const entry = asObject(value);
  if (!entry) throw yaml.error(path, `'external' must be a mapping`, `external: ${example}`);
  checkKeys(yaml, entry, EXTERNAL_KEYS, path, "'external'");
  if (typeof entry.location !== 'string' || !entry.location.trim()) throw yaml.error([...path, 'location'], `'external' needs a 'location': a lake folder like raw/<source>/<table>`, `external: ${example}`);
  const format = entry.format ?? 'parquet';
  if (!LAKE_FORMATS.includes(format as LakeFormat)) {
    throw yaml.error([...path, 'format'], `'external.format' must be one of ${LAKE_FORMATS.join(', ')}`, `got ${JSON.stringify(entry.format)}`);
  }
  const external: ExternalSource = { location: entry.location.trim(), format: format as LakeFormat };
  if (entry.primary_key !== undefined) {
    const keys = typeof entry.primary_key === 'string' ? [entry.primary_key] : entry.primary_key;
    if (!Array.isArray(keys) || !keys.length || keys.some((k) => typeof k !== 'string' || !k)) {
      throw yaml.error([...path, 'primary_key'], `'external.primary_key' must be a column name or a list of them`, 'primary_key: [order_id]');
    }
    external.primary_key = keys as string[];
  }
  if (entry.cursor_field !== undefined) {
    if (typeof entry.cursor_field !== 'string' || !entry.cursor_field) throw yaml.error([...path, 'cursor_field'], `'external.cursor_field' must be a column name`, 'cursor_field: updated_at');
    external.cursor_field = entry.cursor_field;
  }
  return external;
}
