import { didYouMean } from '../errors/did-you-mean.js';
import type { ResourceType } from '../manifest/nodes.js';
import { CONFIG_KEYS, ConfigKeyError, validateConfigEntry } from './node-config.js';
import type { YamlFile } from './yaml-file.js';

function childLevel(level: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const next: unknown = level[name];
  return next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
}

/**
 * Folder-level configs from project.yml (`models: {shop: {+materialized: view, staging: {...}}}`).
 * Keys with `+` are configs; keys without are folder or node names, except plain config
 * names, which dbt also accepts as configs.
 */
export class FolderConfigs {
  constructor(
    private readonly tree: Record<string, unknown>,
    private readonly resourceType: ResourceType | 'exposure',
  ) {}

  /**
   * The config layers that apply to a node with this fqn, outermost first. Nodes of one folder
   * without a level of their own get the same (frozen) array, so callers can merge it once per folder.
   */
  layersFor(fqn: string[]): readonly Record<string, unknown>[] {
    if (fqn.length === 0) return this.walk(fqn).layers;
    const key = fqn.slice(0, -1).join('\u0000');
    let folder = this.folders.get(key);
    if (!folder) {
      folder = this.walk(fqn.slice(0, -1));
      Object.freeze(folder.layers);
      this.folders.set(key, folder);
    }
    const own = folder.level && childLevel(folder.level, fqn[fqn.length - 1]);
    const configs = own && this.configsAt(own);
    if (configs) this.levelPaths.set(configs, { path: fqn, level: own });
    return configs ? [...folder.layers, configs] : folder.layers;
  }

  /** Where a layer's config `key` is written, under the tree's root key (`['shop', 'staging', '+tags']`): for errors at its line. */
  keyPath(layer: Record<string, unknown>, key: string): string[] {
    const at = this.levelPaths.get(layer);
    if (!at) return [];
    return [...at.path, `+${key}` in at.level ? `+${key}` : key];
  }

  // The level each layer was read from, and its path of folder names.
  private readonly levelPaths = new WeakMap<Record<string, unknown>, { path: string[]; level: Record<string, unknown> }>();

  // Walks of each folder path, by the path joined with NUL: a large project asks for 30,000 nodes in a few dozen folders.
  private readonly folders = new Map<string, { layers: Record<string, unknown>[]; level: Record<string, unknown> | undefined }>();

  /** The layers down the whole of `fqn`, and the level at its end when the tree goes that deep. */
  private walk(fqn: string[]): { layers: Record<string, unknown>[]; level: Record<string, unknown> | undefined } {
    const layers: Record<string, unknown>[] = [];
    let level: Record<string, unknown> | undefined = this.tree;
    for (let depth = 0; level; depth++) {
      const configs = this.configsAt(level);
      if (configs) {
        layers.push(configs);
        this.levelPaths.set(configs, { path: fqn.slice(0, depth), level });
      }
      if (depth >= fqn.length) break;
      level = childLevel(level, fqn[depth]);
    }
    return { layers, level };
  }

  // Asked once per node (30,000 times in a large project) for a few dozen levels: each level's configs are read once.
  private readonly levels = new WeakMap<Record<string, unknown>, Record<string, unknown> | undefined>();

  private configsAt(level: Record<string, unknown>): Record<string, unknown> | undefined {
    if (this.levels.has(level)) return this.levels.get(level);
    const out = this.readConfigsAt(level);
    this.levels.set(level, out);
    return out;
  }

  private readConfigsAt(level: Record<string, unknown>): Record<string, unknown> | undefined {
    let out: Record<string, unknown> | undefined;
    const keys = CONFIG_KEYS[this.resourceType];
    for (const [key, value] of Object.entries(level)) {
      if (key.startsWith('+')) (out ??= {})[key.slice(1)] = value;
      else if (keys.has(key) && (typeof value !== 'object' || value === null || Array.isArray(value) || key === 'meta' || key === 'column_types')) {
        (out ??= {})[key] = value;
      }
    }
    return out;
  }

  /**
   * Checks every key of the tree: configs must be valid, and other keys must name a folder or
   * node that exists (`knownPrefixes` holds fqn prefixes joined by '.'). A name close to one that
   * exists is a mistake (a misspelled folder must not silently lose its configs); any other
   * name is returned as an unused path, as dbt warns of them (a folder not made yet, or removed).
   */
  validate(yaml: YamlFile, rootKey: string, knownPrefixes: ReadonlySet<string>): UnusedConfigPath[] {
    const unused: UnusedConfigPath[] = [];
    const walk = (level: Record<string, unknown>, fqn: string[], yamlPath: string[]) => {
      for (const [key, value] of Object.entries(level)) {
        const path = [...yamlPath, key];
        const isConfig = key.startsWith('+') || (CONFIG_KEYS[this.resourceType].has(key) && (typeof value !== 'object' || value === null || Array.isArray(value) || key === 'meta' || key === 'column_types'));
        if (isConfig) {
          try {
            validateConfigEntry(this.resourceType, key.replace(/^\+/, ''), value);
          } catch (error) {
            if (error instanceof ConfigKeyError) throw yaml.error(path, error.message, error.hint ? (error.hint.startsWith('did you mean') ? error.hint.replace("'", "'+") : error.hint) : undefined);
            throw error;
          }
          continue;
        }
        const child = [...fqn, key];
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          const guess = didYouMean(key, [...CONFIG_KEYS[this.resourceType]].map((k) => `+${k}`));
          throw yaml.error(path, `'${key}' under '${rootKey}:' is neither a config nor a folder`, guess || 'configs start with +, e.g. +materialized: table');
        }
        if (!knownPrefixes.has(child.join('.'))) {
          const siblings = [...knownPrefixes].filter((p) => p.split('.').length === child.length && p.startsWith(fqn.length ? fqn.join('.') + '.' : '')).map((p) => p.split('.').pop()!);
          const guess = didYouMean(key, siblings);
          if (guess) throw yaml.error(path, `no ${fqn.length === 0 ? 'project' : 'folder or node'} named '${key}' for this config under '${rootKey}:'`, guess);
          unused.push({ path: [rootKey, ...child].join('.'), file: yaml.file, line: yaml.lineOf(path) });
          continue;
        }
        walk(value as Record<string, unknown>, child, path);
      }
    };
    walk(this.tree, [], [rootKey]);
    return unused;
  }
}

/** Every leading part of each fqn, joined by '.' (`shop`, `shop.staging`, `shop.staging.orders`): what validate checks paths against. */
export function fqnPrefixes(fqns: Iterable<readonly string[]>, into = new Set<string>()): Set<string> {
  for (const fqn of fqns) for (let i = 1; i <= fqn.length; i++) into.add(fqn.slice(0, i).join('.'));
  return into;
}

/** A folder config naming no folder or node of the project (`models.shop.legacy`), with where it is written. */
export interface UnusedConfigPath {
  path: string;
  file: string;
  line: number | undefined;
}
