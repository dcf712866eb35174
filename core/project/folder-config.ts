import { didYouMean } from '../errors/did-you-mean.js';
import type { ResourceType } from '../manifest/nodes.js';
import { CONFIG_KEYS, ConfigKeyError, validateConfigEntry } from './node-config.js';
import type { YamlFile } from './yaml-file.js';

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

  /** The config layers that apply to a node with this fqn, outermost first. */
  layersFor(fqn: string[]): Record<string, unknown>[] {
    const layers: Record<string, unknown>[] = [];
    let level: Record<string, unknown> | undefined = this.tree;
    for (let depth = 0; level; depth++) {
      const configs = this.configsAt(level);
      if (configs) layers.push(configs);
      if (depth >= fqn.length) break;
      const next: unknown = level[fqn[depth]];
      level = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
    }
    return layers;
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
   * Checks every key of the tree: configs must be valid, and other keys must name a folder
   * or node that exists (`knownPrefixes` holds fqn prefixes joined by '.').
   */
  validate(yaml: YamlFile, rootKey: string, knownPrefixes: ReadonlySet<string>): void {
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
          throw yaml.error(path, `no ${fqn.length === 0 ? 'project' : 'folder or node'} named '${key}' for this config under '${rootKey}:'`, didYouMean(key, siblings) || (fqn.length === 0 ? `the first level under '${rootKey}:' is the project name` : undefined));
        }
        walk(value as Record<string, unknown>, child, path);
      }
    };
    walk(this.tree, [], [rootKey]);
  }
}
