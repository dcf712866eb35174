import path from 'node:path';
import type { ManifestNode } from '../manifest/nodes.js';

/**
 * Where a node's compiled SQL goes under target/ (`compiled` or `run`): its own file path, or for
 * a generic test declared in YAML, the YAML file's path as a folder with the test's name in it (dbt's layout).
 */
export function compiledPath(targetDir: string, folder: 'compiled' | 'run', node: ManifestNode): string {
  const file = node.test_metadata ? path.join(node.original_file_path, `${node.name}.sql`) : node.original_file_path.replace(/\.csv$/, '.sql');
  return path.join(targetDir, folder, node.package_name, file);
}
