import { describe, expect, it } from 'vitest';
import { FolderConfigs } from './folder-config.js';

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
