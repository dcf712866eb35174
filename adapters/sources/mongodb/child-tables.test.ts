import { describe, expect, it } from 'vitest';
import { childRowId, childRows, isUnnestPath } from './child-tables.js';

const product = {
  _id: 'p1',
  name: 'Tee',
  tags: ['sale', 'new'],
  meta: { images: [{ url: 'a.png' }] },
  variants: [
    { sku: 'T-S', options: [{ name: 'fit', value: 'slim' }] },
    { sku: 'T-M', options: [] },
    { sku: 'T-L', options: [{ name: 'fit', value: 'wide' }, { name: 'neck', value: 'v' }] },
  ],
};

describe('child tables', () => {
  it('first-level rows carry the document _id as parent key and their array position', () => {
    const rows = childRows(product, 'p1', 'variants');
    expect(rows.map((r) => [r.sku, r._strata_parent_id, r._strata_list_idx, r._strata_root_id])).toEqual([
      ['T-S', 'p1', 0, 'p1'],
      ['T-M', 'p1', 1, 'p1'],
      ['T-L', 'p1', 2, 'p1'],
    ]);
    expect(rows[0]._strata_id).toBe(childRowId('p1', 'variants', 0));
    expect(new Set(rows.map((r) => r._strata_id)).size).toBe(3);
  });

  it("nested arrays hang off their parent element's key; keys are the same on every extract", () => {
    const variants = childRows(product, 'p1', 'variants');
    const options = childRows(product, 'p1', 'variants.options');
    expect(options.map((r) => [r.value, r._strata_parent_id, r._strata_list_idx, r._strata_root_id])).toEqual([
      ['slim', variants[0]._strata_id, 0, 'p1'],
      ['wide', variants[2]._strata_id, 0, 'p1'],
      ['v', variants[2]._strata_id, 1, 'p1'],
    ]);
    expect(childRows(structuredClone(product), 'p1', 'variants.options')).toEqual(options);
    // Another document's rows get other keys.
    expect(childRows({ ...product, _id: 'p2' }, 'p2', 'variants.options')[0]._strata_id).not.toBe(options[0]._strata_id);
  });

  it('plain values land in a value column; objects on the path are walked through; missing arrays give no rows', () => {
    expect(childRows(product, 'p1', 'tags').map((r) => [r.value, r._strata_list_idx])).toEqual([['sale', 0], ['new', 1]]);
    expect(childRows(product, 'p1', 'meta.images').map((r) => [r.url, r._strata_parent_id])).toEqual([['a.png', 'p1']]);
    expect(childRows({ _id: 'p3', variants: null }, 'p3', 'variants')).toEqual([]);
    expect(childRows({ _id: 'p4' }, 'p4', 'variants.options')).toEqual([]);
  });

  it('checks unnest paths', () => {
    expect(isUnnestPath('variants.options')).toBe(true);
    expect(isUnnestPath('variants..options')).toBe(false);
    expect(isUnnestPath('$where')).toBe(false);
    expect(isUnnestPath('')).toBe(false);
  });
});
