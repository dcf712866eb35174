import path from 'node:path';
import type { ManifestNode } from '../manifest/nodes.js';

/** Joined folder prefixes by target, folder, package and the file's folder: a compile asks for 30,000 paths in a few dozen folders. */
const prefixes = new Map<string, string>();

/**
 * Where a node's compiled SQL goes under target/ (`compiled` or `run`): its own file path, or for
 * a generic test declared in YAML, the YAML file's path as a folder with the test's name in it (dbt's layout).
 */
export function compiledPath(targetDir: string, folder: 'compiled' | 'run', node: ManifestNode): string {
  const file = node.test_metadata ? `${node.original_file_path}/${node.name}.sql` : node.original_file_path.replace(/\.csv$/, '.sql');
  const cut = path.sep === '/' ? file.lastIndexOf('/') : Math.max(file.lastIndexOf('/'), file.lastIndexOf(path.sep));
  const base = file.slice(cut + 1);
  // path.join normalizes the whole string each time; the folder part is joined once, and a plain
  // file name (no separator, not . or ..) appended to a normalized folder gives the same string.
  if (base === '' || base === '.' || base === '..') return path.join(targetDir, folder, node.package_name, file);
  const dir = cut < 0 ? '' : file.slice(0, cut);
  const key = `${targetDir}\0${folder}\0${node.package_name}\0${dir}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = path.join(targetDir, folder, node.package_name, dir);
    prefixes.set(key, prefix);
  }
  return prefix === '.' || prefix.endsWith(path.sep) ? path.join(prefix, base) : `${prefix}${path.sep}${base}`;
}
