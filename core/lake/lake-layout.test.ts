import { describe, expect, it } from 'vitest';
import { isLakeName, isLoadId, loadIdAfter, loadIdOfKey, manifestKey, newLoadId, partKey, tableGlobs, toLakeName } from './lake-layout.js';
import { inferLakeType, lakeFileType, widenLakeType } from './lake-types.js';

const at = new Date('2026-11-25T08:30:00.123Z');

describe('lake layout', () => {
  it('part keys are raw/<source>/<table>/load_id=<id>/part-N.<format>, the manifest beside them', () => {
    const id = '20261125T083000Z-0a1b2c3d';
    expect(partKey('shop_mysql', 'orders', id, 7, 'parquet')).toBe('raw/shop_mysql/orders/load_id=20261125T083000Z-0a1b2c3d/part-7.parquet');
    expect(manifestKey('shop_mysql', 'orders', id)).toBe('raw/shop_mysql/orders/load_id=20261125T083000Z-0a1b2c3d/_manifest.json');
    expect(loadIdOfKey('raw/shop_mysql/orders/load_id=20261125T083000Z-0a1b2c3d/part-7.parquet')).toBe(id);
    expect(loadIdOfKey('raw/shop_mysql/orders/load_id=nope/part-7.parquet')).toBeUndefined();
    expect(() => partKey('shop', 'orders', 'bad-id', 0, 'jsonl')).toThrow(/load id 'bad-id'/);
  });

  it('load ids are the UTC second and 8 hex digits, so they sort by time', () => {
    const id = newLoadId(at, () => 0.5);
    expect(id).toBe('20261125T083000Z-88888888');
    expect(isLoadId(id)).toBe(true);
    expect(isLoadId('2026-11-25-x')).toBe(false);
    expect(newLoadId(new Date('2026-11-25T08:30:01Z')) > id).toBe(true);
  });

  it('a load id made after another sorts after it, also within the same second', () => {
    const first = newLoadId(at, () => 0.9);
    const second = loadIdAfter(first, at, () => 0.1);
    expect(second).toBe('20261125T083000Z-eeeeeeef');
    expect(second > first).toBe(true);
    expect(loadIdAfter(first, new Date('2026-11-25T08:30:01Z'), () => 0)).toBe('20261125T083001Z-00000000');
    expect(loadIdAfter('20261125T083059Z-ffffffff', at)).toBe('20261125T083100Z-00000000');
    expect(loadIdAfter(undefined, at, () => 0.5)).toBe('20261125T083000Z-88888888');
  });

  it('names are lower snake case; others are rejected with a suggestion', () => {
    expect(isLakeName('order_items')).toBe(true);
    expect(isLakeName('OrderItems')).toBe(false);
    expect(isLakeName('1orders')).toBe(false);
    expect(toLakeName('OrderItems')).toBe('order_items');
    expect(toLakeName('order-items v2')).toBe('order_items_v2');
    expect(() => partKey('Shop', 'orders', '20261125T083000Z-0a1b2c3d', 0, 'jsonl')).toThrow(/lower snake case.*'shop'/);
  });

  it('reader globs match the data parts and the manifests of every load', () => {
    expect(tableGlobs('/lake/raw/partner_sftp/stock/', 'parquet')).toEqual({ files: '/lake/raw/partner_sftp/stock/load_id=*/part-*.parquet', manifests: '/lake/raw/partner_sftp/stock/load_id=*/_manifest.json' });
    expect(tableGlobs('s3://b/p/raw/shop_mongo/products', 'jsonl').files).toBe('s3://b/p/raw/shop_mongo/products/load_id=*/part-*.jsonl');
  });

  it('types are inferred from values and widened, never narrowed; all-null columns are VARCHAR', () => {
    expect([1, 1.5, true, 'x', 10n, new Date(0), { a: 1 }, new Uint8Array(1), null].map(inferLakeType)).toEqual(['BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'HUGEINT', 'TIMESTAMPTZ', 'JSON', 'BLOB', 'NULL']);
    expect(widenLakeType('BIGINT', 'DOUBLE')).toBe('DOUBLE');
    expect(widenLakeType('DOUBLE', 'BIGINT')).toBe('DOUBLE');
    expect(widenLakeType('NULL', 'BIGINT')).toBe('BIGINT');
    expect(widenLakeType('BIGINT', 'VARCHAR')).toBe('VARCHAR');
    expect(widenLakeType('BOOLEAN', 'BIGINT')).toBe('VARCHAR');
    expect(lakeFileType('NULL')).toBe('VARCHAR');
  });
});
