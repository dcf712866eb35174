import { describe, expect, it } from 'vitest';
import { FolderConfigs } from './folder-config.js';
import { YamlFile } from './yaml-file.js';

const tree = {
  '+tags': ['all'],
  shop: {
    '+severity': 'warn',
    staging: { '+tags': ['staging'], unique_orders_id: { '+severity': 'error' }, deeper: { '+limit': 5 } },
    marts: {},
  },
};

describe('FolderConfigs.layersFor', () => {
  const folders = new FolderConfigs(tree, 'test');

  it('gives the layers from the project down to the node, outermost first', () => {
    expect(folders.layersFor(['shop', 'staging', 'not_null_orders_id'])).toEqual([{ tags: ['all'] }, { severity: 'warn' }, { tags: ['staging'] }]);
    expect(folders.layersFor(['shop', 'staging', 'deeper', 'x'])).toEqual([{ tags: ['all'] }, { severity: 'warn' }, { tags: ['staging'] }, { limit: 5 }]);
    expect(folders.layersFor(['shop', 'marts', 'x'])).toEqual([{ tags: ['all'] }, { severity: 'warn' }]);
    expect(folders.layersFor(['shop', 'nowhere', 'deeper', 'x'])).toEqual([{ tags: ['all'] }, { severity: 'warn' }]);
    expect(folders.layersFor([])).toEqual([{ tags: ['all'] }]);
  });

  it("adds a node's own level, named like the node", () => {
    expect(folders.layersFor(['shop', 'staging', 'unique_orders_id'])).toEqual([{ tags: ['all'] }, { severity: 'warn' }, { tags: ['staging'] }, { severity: 'error' }]);
    // The folder's own layers are not changed by it.
    expect(folders.layersFor(['shop', 'staging', 'other'])).toHaveLength(3);
  });

  it('hands nodes of one folder the same frozen array, so it can be merged once per folder', () => {
    const a = folders.layersFor(['shop', 'staging', 'a']);
    expect(folders.layersFor(['shop', 'staging', 'b'])).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(folders.layersFor(['shop', 'staging', 'unique_orders_id'])).not.toBe(a);
  });
});

describe('FolderConfigs.validate', () => {
  const known = new Set(['shop', 'shop.staging', 'shop.staging.a']);
  const validate = (text: string) => {
    const yaml = new YamlFile('project.yml', text);
    return new FolderConfigs((yaml.data as { models: Record<string, unknown> }).models, 'model').validate(yaml, 'models', known);
  };

  it('returns a path naming no folder, with its line, as dbt warns of it', () => {
    const unused = validate('name: shop\nmodels:\n  shop:\n    staging:\n      +materialized: table\n    legacy:\n      +tags: [old]\n');
    expect(unused).toEqual([{ path: 'models.shop.legacy', file: 'project.yml', line: 6 }]);
  });

  it('refuses a name close to a folder that exists: a misspelling must not lose its configs', () => {
    expect(() => validate('name: shop\nmodels:\n  shop:\n    stagign:\n      +schema: s\n')).toThrow(/no folder or node named 'stagign'/);
  });

  it('returns a first level that is not the project (a package of dbt) as unused', () => {
    expect(validate('name: shop\nmodels:\n  dbt_utils:\n    +materialized: table\n').map((u) => u.path)).toEqual(['models.dbt_utils']);
  });
});
