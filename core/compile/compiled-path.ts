import path from 'node:path';
import type { ManifestNode } from '../manifest/nodes.js';

/**
 * Joined folder prefixes by target folder, `compiled`/`run`, package and the node file's folder.
 * Nested maps keyed by the nodes' own strings, whose hashes are computed once: a compile asks
 * for 60,000 paths in a few dozen folders.
 */
const prefixes = new Map<string, Map<string, Map<string, Map<string, string>>>>();

/**
 * Where a node's compiled SQL goes under target/ (`compiled` or `run`): its own file path, or for
 * a generic test declared in YAML, the YAML file's path as a folder with the test's name in it (dbt's layout).
 */
export function compiledPath(targetDir: string, folder: 'compiled' | 'run', node: ManifestNode): string {
  // path.join normalizes the whole string each time; the folder part is joined once, and a plain
  // file name (no separator, not . or ..) appended to a normalized folder gives the same string.
  let dir: string;
  let base: string;
  // A generic test's file is named by its path: its name, or for a long name dbt's shorter one.
  if (node.test_metadata && !hasSeparator(node.path)) {
    dir = node.original_file_path;
    base = node.path;
  } else {
    const file = node.test_metadata ? `${node.original_file_path}/${node.path}` : node.original_file_path.replace(/\.csv$/, '.sql');
    const cut = path.sep === '/' ? file.lastIndexOf('/') : Math.max(file.lastIndexOf('/'), file.lastIndexOf(path.sep));
    base = file.slice(cut + 1);
    if (base === '' || base === '.' || base === '..') return path.join(targetDir, folder, node.package_name, file);
    dir = cut < 0 ? '' : file.slice(0, cut);
  }
  const byDir = child(child(child(prefixes, targetDir), folder), node.package_name);
  let prefix = byDir.get(dir);
  if (prefix === undefined) {
    prefix = path.join(targetDir, folder, node.package_name, dir);
    byDir.set(dir, prefix);
  }
  return prefix === '.' || prefix.endsWith(path.sep) ? path.join(prefix, base) : `${prefix}${path.sep}${base}`;
}

function hasSeparator(name: string): boolean {
  return name.includes('/') || (path.sep !== '/' && name.includes(path.sep));
}

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (!next) map.set(key, (next = new Map()));
  return next;
}
