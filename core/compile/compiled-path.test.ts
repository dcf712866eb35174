import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/nodes.js';
import { compiledPath } from './compiled-path.js';

// A generic test's path is its file name: its name, or dbt's shorter name for a long one.
const node = (original_file_path: string, name: string, test = false, file = `${name}.sql`) =>
  ({ original_file_path, name, package_name: 'shop', ...(test ? { path: file, test_metadata: { name: 'unique', kwargs: {} } } : {}) }) as unknown as ManifestNode;

describe('compiledPath', () => {
  it('is the joined path of the node file (a YAML test in a folder named after its YAML file), for unusual paths too', () => {
    const nodes = [
      node('models/staging/stg_orders.sql', 'stg_orders'),
      node('models/staging/stg_orders.sql', 'stg_orders'),
      node('seeds/countries.csv', 'countries'),
      node('top.sql', 'top'),
      node('models/./a//b.sql', 'b'),
      node('models/x/../y/c.sql', 'c'),
      node('models/dir/', 'odd'),
      node('models/dir/..', 'odd'),
      node('models/_models.yml', 'unique_orders_id', true),
      node('models/_models.yml', 'not_null_orders_id', true),
      node('models/_models.yml', 'a/b', true),
      node('models/_models.yml', '..', true),
      node('_models.yml', 'unique_x', true),
      node('models/_models.yml', 'accepted_values_orders_status__placed__shipped__completed__return_pending__returned', true, 'accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758.sql'),
    ];
    for (const targetDir of ['target', '/abs/project/target', 'target/', './target', '../out']) {
      for (const folder of ['compiled', 'run'] as const) {
        for (const n of nodes) {
          const file = n.test_metadata ? path.join(n.original_file_path, n.path) : n.original_file_path.replace(/\.csv$/, '.sql');
          expect(compiledPath(targetDir, folder, n), `${targetDir} ${folder} ${n.original_file_path} ${n.name}`).toBe(path.join(targetDir, folder, n.package_name, file));
        }
      }
    }
  });
});
