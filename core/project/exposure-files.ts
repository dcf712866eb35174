import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { EXPOSURE_MATURITIES, EXPOSURE_TYPES, type AnyNode, type ExposureNode, type ManifestNode, type RefCall, type SourceNode } from '../manifest/nodes.js';
import { FolderConfigs, fqnPrefixes, type UnusedConfigPath } from './folder-config.js';
import { defaultConfig, mergeConfig } from './node-config.js';
import { lineOf, type YamlFile } from './yaml-file.js';

/** An exposure as read from its YAML entry, before its `depends_on` strings point at nodes. */
export interface DeclaredExposure {
  node: ExposureNode;
  yaml: YamlFile;
  /** Key path of the entry in its file, for error lines. */
  path: (string | number)[];
  /** Each `depends_on` string as written, with its index in the list. */
  dependsOn: { expression: string; parsed: ExposureDependency; index: number }[];
  /** `enabled` as the entry sets it (config or top level), which wins over project.yml. */
  ownEnabled: boolean | undefined;
}

/** One parsed `depends_on` string. */
export type ExposureDependency = { kind: 'ref'; ref: RefCall } | { kind: 'source'; source: string; table: string } | { kind: 'metric'; name: string; package: string | null };

const KEYS = new Set(['name', 'label', 'type', 'owner', 'depends_on', 'url', 'maturity', 'description', 'tags', 'meta', 'config', 'enabled']);
const OWNER_KEYS = new Set(['name', 'email']);
const CONFIG_KEYS = new Set(['enabled', 'tags', 'meta']);
const NAME = /^[A-Za-z0-9_]+$/;

// A quoted argument is two groups: the quote, then the text up to the same quote.
const REF = /^\s*ref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?(?:,\s*(?:v|version)\s*=\s*(['"]?)([\w.]+)\5\s*)?\)\s*$/;
const SOURCE = /^\s*source\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)\s*$/;
const METRIC = /^\s*metric\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?\)\s*$/;

/** Parses `ref('x')`, `ref("pkg", "x")`, `ref('x', v=2)`, `source('a', 'b')` or `metric('m')`; undefined for anything else. */
export function parseExposureDependency(expression: string): ExposureDependency | undefined {
  let m = REF.exec(expression);
  if (m) {
    const ref: RefCall = m[4] === undefined ? { name: m[2] } : { package: m[2], name: m[4] };
    if (m[6] !== undefined) ref.version = /^\d+$/.test(m[6]) ? Number(m[6]) : m[6];
    return { kind: 'ref', ref };
  }
  m = SOURCE.exec(expression);
  if (m) return { kind: 'source', source: m[2], table: m[4] };
  m = METRIC.exec(expression);
  if (m) return m[4] === undefined ? { kind: 'metric', name: m[2], package: null } : { kind: 'metric', name: m[4], package: m[2] };
  return undefined;
}

const asObject = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

function tagList(yaml: YamlFile, value: unknown, path: (string | number)[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw yaml.error(path, `'tags' must be a string or a list of strings`, 'tags: [finance]');
}

function optionalString(yaml: YamlFile, entry: Record<string, unknown>, key: string, path: (string | number)[]): string | null {
  const value = entry[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw yaml.error([...path, key], `'${key}' must be a string`);
  return value;
}

function oneOf<T extends string>(yaml: YamlFile, value: unknown, allowed: readonly T[], key: string, path: (string | number)[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const guess = typeof value === 'string' ? didYouMean(value, allowed) : '';
  throw yaml.error([...path, key], `${what} cannot have ${key} ${JSON.stringify(value)}`, guess || `one of: ${allowed.join(', ')}`);
}

/** Reads the `exposures:` list of a property file into exposure nodes (dependencies not resolved yet). */
export function readExposures(yaml: YamlFile, value: unknown, projectName: string, resourcePath: string): DeclaredExposure[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw yaml.error(['exposures'], `'exposures' must be a list`, '- name: weekly_kpis');
  const relative = yaml.file.slice(resourcePath.length + 1);
  const folders = relative.split('/').slice(0, -1);
  return value.map((raw, i) => {
    const path = ['exposures', i];
    const entry = asObject(raw);
    if (!entry || typeof entry.name !== 'string') throw yaml.error(path, `each exposure needs a 'name'`, '- name: weekly_kpis');
    const name = entry.name;
    const what = `exposure '${name}'`;
    if (!NAME.test(name)) throw yaml.error([...path, 'name'], `exposure name '${name}' may contain only letters, digits and underscores`, `use 'label:' for a human-friendly name, e.g. name: ${name.replace(/[^A-Za-z0-9_]+/g, '_')}`);
    for (const key of Object.keys(entry)) {
      if (!KEYS.has(key)) throw yaml.error([...path, key], `unknown key '${key}' in ${what}`, didYouMean(key, KEYS) || `custom settings belong under 'meta'`);
    }
    if (entry.type === undefined) throw yaml.error(path, `${what} needs a 'type'`, `one of: ${EXPOSURE_TYPES.join(', ')}`);
    const type = oneOf(yaml, entry.type, EXPOSURE_TYPES, 'type', path, what);
    const maturity = entry.maturity === undefined || entry.maturity === null ? null : oneOf(yaml, entry.maturity, EXPOSURE_MATURITIES, 'maturity', path, what);
    const owner = asObject(entry.owner);
    if (!owner) throw yaml.error(entry.owner === undefined ? path : [...path, 'owner'], `${what} needs an 'owner' with a name or an email`, 'owner: {name: Finance team, email: finance@example.com}');
    for (const key of Object.keys(owner)) {
      if (!OWNER_KEYS.has(key)) throw yaml.error([...path, 'owner', key], `unknown key '${key}' in the owner of ${what}`, didYouMean(key, OWNER_KEYS) || 'an owner has a name and an email only');
    }
    const ownerName = optionalString(yaml, owner, 'name', [...path, 'owner']);
    const ownerEmail = optionalString(yaml, owner, 'email', [...path, 'owner']);
    if (!ownerName && !ownerEmail) throw yaml.error([...path, 'owner'], `the owner of ${what} needs a name or an email`, 'owner: {name: Finance team, email: finance@example.com}');
    const config = entry.config === undefined || entry.config === null ? {} : asObject(entry.config);
    if (!config) throw yaml.error([...path, 'config'], `'config' must be a mapping`);
    for (const key of Object.keys(config)) {
      if (!CONFIG_KEYS.has(key)) throw yaml.error([...path, 'config', key], `unknown config key '${key}' for an exposure`, didYouMean(key, CONFIG_KEYS) || `custom settings belong under 'meta'`);
    }
    for (const [where, enabled] of [[[...path, 'enabled'], entry.enabled], [[...path, 'config', 'enabled'], config.enabled]] as const) {
      if (enabled !== undefined && typeof enabled !== 'boolean') throw yaml.error([...where], `'enabled' must be true or false`);
    }
    for (const [where, meta] of [[[...path, 'meta'], entry.meta], [[...path, 'config', 'meta'], config.meta]] as const) {
      if (meta !== undefined && meta !== null && !asObject(meta)) throw yaml.error([...where], `'meta' must be a mapping`);
    }
    const tags = [...new Set([...tagList(yaml, entry.tags, [...path, 'tags']), ...tagList(yaml, config.tags, [...path, 'config', 'tags'])])];
    const meta = { ...(asObject(entry.meta) ?? {}), ...(asObject(config.meta) ?? {}) };
    const dependsOnList = entry.depends_on ?? [];
    if (!Array.isArray(dependsOnList)) throw yaml.error([...path, 'depends_on'], `'depends_on' of ${what} must be a list`, "one entry a line: - ref('fct_orders') or - source('shop', 'orders')");
    const dependsOn = dependsOnList.map((expression, index) => {
      const parsed = typeof expression === 'string' ? parseExposureDependency(expression) : undefined;
      if (!parsed) {
        throw yaml.error([...path, 'depends_on', index], `${what}: depends_on entry ${JSON.stringify(expression)} is not ref(), source() or metric()`, "write ref('fct_orders') or source('shop', 'orders'), quoted as a YAML string, without {{ }}");
      }
      return { expression: expression as string, parsed, index };
    });
    const node: ExposureNode = {
      name,
      resource_type: 'exposure',
      package_name: projectName,
      path: relative,
      original_file_path: yaml.file,
      unique_id: `exposure.${projectName}.${name}`,
      fqn: [projectName, ...folders, name],
      type,
      owner: { email: ownerEmail, name: ownerName },
      description: optionalString(yaml, entry, 'description', path) ?? '',
      label: optionalString(yaml, entry, 'label', path),
      maturity,
      url: optionalString(yaml, entry, 'url', path),
      tags,
      meta,
      config: { enabled: (config.enabled ?? entry.enabled ?? true) as boolean, tags, meta },
      unrendered_config: { ...config },
      refs: dependsOn.flatMap((d) => (d.parsed.kind === 'ref' ? [{ name: d.parsed.ref.name, package: d.parsed.ref.package ?? null, version: d.parsed.ref.version ?? null }] : [])),
      sources: dependsOn.flatMap((d): [string, string][] => (d.parsed.kind === 'source' ? [[d.parsed.source, d.parsed.table]] : [])),
      metrics: dependsOn.flatMap((d) => (d.parsed.kind === 'metric' ? [d.parsed.package ? [d.parsed.package, d.parsed.name] : [d.parsed.name]] : [])),
      depends_on: { nodes: [], macros: [] },
      created_at: Date.now() / 1000,
    };
    return { node, yaml, path, dependsOn, ownEnabled: (config.enabled ?? entry.enabled) as boolean | undefined };
  });
}

/**
 * Applies project.yml's `exposures:` configs (`+enabled`, `+tags`, `+meta` by fqn, as dbt allows)
 * under what each entry sets itself; checks the tree's keys, and returns those naming no folder or exposure.
 */
export function applyProjectExposureConfigs(declared: DeclaredExposure[], tree: Record<string, unknown>, projectYaml: YamlFile): UnusedConfigPath[] {
  const folders = new FolderConfigs(tree, 'exposure');
  const unused = folders.validate(projectYaml, 'exposures', fqnPrefixes(declared.map(({ node }) => node.fqn)));
  for (const exposure of declared) {
    const layers = folders.layersFor(exposure.node.fqn);
    if (!layers.length) continue;
    const { node } = exposure;
    const merged = defaultConfig('model');
    for (const layer of layers) mergeConfig(merged, layer);
    mergeConfig(merged, { tags: node.tags, meta: node.meta });
    node.tags = merged.tags;
    node.meta = merged.meta;
    node.config = { enabled: exposure.ownEnabled ?? (merged.enabled as boolean), tags: merged.tags, meta: merged.meta };
  }
  return unused;
}

/** The project's exposures: enabled ones with `depends_on.nodes` resolved, and disabled ones. */
export function resolveExposures(
  declared: DeclaredExposure[],
  nodes: ReadonlyMap<string, ManifestNode>,
  sources: ReadonlyMap<string, SourceNode>,
  disabled: ReadonlyMap<string, AnyNode>,
): { enabled: Map<string, ExposureNode>; disabled: ExposureNode[] } {
  const enabled = new Map<string, ExposureNode>();
  const off: ExposureNode[] = [];
  const seen = new Map<string, DeclaredExposure>();
  const byName = new Map<string, ManifestNode>();
  for (const node of nodes.values()) if (node.resource_type !== 'test' && node.resource_type !== 'unit_test') byName.set(node.name, node);
  const disabledNames = new Set([...disabled.values()].map((n) => (n.resource_type === 'source' ? `${n.source_name}.${n.name}` : n.name)));
  for (const exposure of declared) {
    const { node, yaml, path } = exposure;
    const twin = seen.get(node.name);
    if (twin) {
      throw new UserError(`two exposures are named '${node.name}'`, { file: yaml.file, line: lineOf(yaml.text, [...path, 'name']), hint: `the other is at ${twin.yaml.file}:${lineOf(twin.yaml.text, [...twin.path, 'name'])}; exposure names must be unique` });
    }
    seen.set(node.name, exposure);
    if (!node.config.enabled) {
      off.push(node);
      continue;
    }
    const deps = new Set<string>();
    for (const { parsed, index } of exposure.dependsOn) {
      const where = [...path, 'depends_on', index];
      if (parsed.kind === 'ref') {
        const { name, package: pkg } = parsed.ref;
        if (pkg && pkg !== node.package_name) throw yaml.error(where, `exposure '${node.name}' refers to '${pkg}.${name}', but there is no package '${pkg}'`, `write ref('${name}')`);
        const target = byName.get(name);
        if (!target) {
          if (disabledNames.has(name)) throw yaml.error(where, `exposure '${node.name}' refers to '${name}', which is disabled`, `enable '${name}' or disable the exposure too (config: {enabled: false})`);
          throw yaml.error(where, `exposure '${node.name}' refers to '${name}', which does not exist`, didYouMean(name, byName.keys()) || 'check the spelling, or create the model');
        }
        deps.add(target.unique_id);
      } else if (parsed.kind === 'source') {
        const id = `source.${node.package_name}.${parsed.source}.${parsed.table}`;
        if (!sources.has(id)) {
          const full = `${parsed.source}.${parsed.table}`;
          if (disabledNames.has(full)) throw yaml.error(where, `exposure '${node.name}' uses source '${full}', which is disabled`, `enable it or disable the exposure too`);
          const known = [...sources.values()].map((s) => `${s.source_name}.${s.name}`);
          throw yaml.error(where, `exposure '${node.name}' uses source '${full}', which is not declared`, didYouMean(full, known) || 'declare it under sources: in a YAML file next to the models');
        }
        deps.add(id);
      } else {
        throw yaml.error(where, `exposure '${node.name}' depends on metric '${parsed.name}', but this project declares no metrics`, 'strata has no metrics yet: depend on the model the metric is computed from, with ref()');
      }
    }
    node.depends_on.nodes = [...deps].sort();
    enabled.set(node.unique_id, node);
  }
  return { enabled, disabled: off };
}
