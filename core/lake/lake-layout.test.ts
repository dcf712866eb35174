import { describe, expect, it } from 'vitest';
import { commitMarkerKey, isBatchId, isLakeName, newBatchId, partKey, tableGlobs, toLakeName } from './lake-layout.js';

const at = new Date('2026-11-25T08:30:00.123Z');

describe('lake layout', () => {
  it('part keys are raw/<source>/<table>/load_date=<UTC date>/<batch_id>-<5-digit part>.<ext>', () => {
    const id = '20261125T083000Z-0a1b2c3d';
    expect(partKey('shop_mysql', 'orders', at, id, 7, 'csv.gz')).toBe('raw/shop_mysql/orders/load_date=2026-11-25/20261125T083000Z-0a1b2c3d-00007.csv.gz');
    expect(commitMarkerKey('shop_mysql', 'orders', id)).toBe('raw/shop_mysql/orders/_committed/20261125T083000Z-0a1b2c3d.json');
  });

  it('batch ids are the UTC second and 8 hex digits, so they sort by time', () => {
    const id = newBatchId(at, () => 0.5);
    expect(id).toBe('20261125T083000Z-88888888');
    expect(isBatchId(id)).toBe(true);
    expect(isBatchId('2026-11-25-x')).toBe(false);
    expect(newBatchId(new Date('2026-11-25T08:30:01Z')) > id).toBe(true);
  });

  it('names are lower snake case; others are rejected with a suggestion', () => {
    expect(isLakeName('order_items')).toBe(true);
    expect(isLakeName('OrderItems')).toBe(false);
    expect(isLakeName('1orders')).toBe(false);
    expect(toLakeName('OrderItems')).toBe('order_items');
    expect(toLakeName('order-items v2')).toBe('order_items_v2');
    expect(() => partKey('Shop', 'orders', at, '20261125T083000Z-0a1b2c3d', 0, 'jsonl')).toThrow(/lower snake case.*'shop'/);
  });

  it('reader globs match data parts (csv also matches csv.gz) and commit markers', () => {
    expect(tableGlobs('/lake/raw/sftp/stock/', 'csv')).toEqual({ files: '/lake/raw/sftp/stock/load_date=*/*.csv*', commits: '/lake/raw/sftp/stock/_committed/*.json' });
    expect(tableGlobs('/lake/raw/mongodb/products', 'jsonl').files).toBe('/lake/raw/mongodb/products/load_date=*/*.jsonl');
  });
});
