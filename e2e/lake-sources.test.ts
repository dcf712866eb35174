import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBParquetEncoder } from '../adapters/duckdb/duckdb-parquet-encoder.js';
import { LakeWriter } from '../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../core/lake/local-lake-storage.js';
import { JsonLinesEncoder } from '../core/lake/part-encoders.js';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects } from './harness.js';

// External sources: staging models read the committed loads of the lake in place, on DuckDB.
const project = tempProjects({
  'project.yml': projectYml(),
  'models/sources.yml': `sources:
  - name: shop_mysql
    tables:
      - name: orders
        external: {location: raw/shop_mysql/orders, primary_key: order_id, cursor_field: updated_at}
      - name: order_log
        external: {location: raw/shop_mysql/orders}
      - name: rates
        external: {location: raw/shop_mysql/rates}
  - name: shop_mongo
    tables:
      - name: products
        external: {location: raw/shop_mongo/products, format: jsonl}
`,
  'models/stg_orders.sql': 'select order_id, amount, status, updated_at from {{source "shop_mysql" "orders"}}',
  'models/order_log.sql': 'select order_id, _strata_load_id from {{source "shop_mysql" "order_log"}}',
  'models/stg_rates.sql': 'select * from {{source "shop_mysql" "rates"}}',
  'models/stg_products.sql': 'select _id, name, variants[1].sku as first_sku from {{source "shop_mongo" "products"}}',
});

/** A lake whose process dies just before a load's manifest is written, too early to clean up. */
class KilledBeforeManifest extends LocalLakeStorage {
  override async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (key.endsWith('/_manifest.json')) throw new Error('killed');
    return super.put(key, body);
  }
  override async delete(): Promise<void> {
    throw new Error('killed');
  }
}

const encoder = new DuckDBParquetEncoder();
afterAll(() => encoder.close());
const schema = [
  { name: 'order_id', type: 'BIGINT' },
  { name: 'amount', type: 'DECIMAL(12,2)' },
  { name: 'status', type: 'VARCHAR' },
  { name: 'updated_at', type: 'TIMESTAMPTZ' },
];

describe('external sources over the lake', () => {
  it('read committed parquet and jsonl loads in place: exact decimals, merge keeps the newest row, replace hides older loads, uncommitted loads are invisible', async () => {
    const dir = project({});
    const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
    const order = (id: number, amount: string, status: string, at: string) => ({ order_id: id, amount, status, updated_at: new Date(at) });
    await writer.writeLoad({ source: 'shop_mysql', table: 'orders', schema, encoder, system: 'mysql', disposition: 'merge', primaryKey: ['order_id'], loadId: '20261101T000000Z-00000001',
      rows: [order(1, '10.10', 'placed', '2026-11-01T10:00:00Z'), order(2, '0.30', 'placed', '2026-11-01T11:00:00Z')] });
    await writer.writeLoad({ source: 'shop_mysql', table: 'orders', schema, encoder, system: 'mysql', disposition: 'merge', primaryKey: ['order_id'], loadId: '20261102T000000Z-00000002',
      rows: [order(2, '0.30', 'shipped', '2026-11-02T09:00:00Z'), order(3, '99999999.99', 'placed', '2026-11-02T09:30:00Z')] });
    // A load killed before its manifest: its parts exist, but no reader may see them.
    await expect(new LakeWriter(new KilledBeforeManifest(path.join(dir, 'lake'))).writeLoad({ source: 'shop_mysql', table: 'orders', schema, encoder, system: 'mysql', loadId: '20261103T000000Z-00000003', rows: [order(4, '1.00', 'placed', '2026-11-03T00:00:00Z')] })).rejects.toThrow('killed');
    await writer.writeLoad({ source: 'shop_mysql', table: 'rates', encoder, system: 'mysql', disposition: 'replace', loadId: '20261101T000000Z-00000001', rows: [{ currency: 'EUR', rate: 1.1 }, { currency: 'GBP', rate: 1.3 }] });
    await writer.writeLoad({ source: 'shop_mysql', table: 'rates', encoder, system: 'mysql', disposition: 'replace', loadId: '20261102T000000Z-00000002', rows: [{ currency: 'EUR', rate: 1.2 }] });
    await writer.writeLoad({ source: 'shop_mongo', table: 'products', encoder: new JsonLinesEncoder(), system: 'mongodb', loadId: '20261101T000000Z-00000001',
      rows: [{ _id: 'p1', name: 'Mug', variants: [{ sku: 'M-1' }] }, { _id: 'p2', name: 'Tee', variants: [{ sku: 'T-S', size: 'S' }], brand: 'Acme' }] });

    const result = await strata(dir, 'build');
    expect(result.output).toContain('Completed successfully');
    expect(result.code).toBe(0);
    expect(await queryProject(dir, 'select order_id, cast(amount as varchar) as amount, status from stg_orders order by order_id')).toEqual([
      { order_id: '1', amount: '10.10', status: 'placed' },
      { order_id: '2', amount: '0.30', status: 'shipped' },
      { order_id: '3', amount: '99999999.99', status: 'placed' },
    ]);
    // Without a primary key every committed row is read, each load once.
    expect(await queryProject(dir, 'select count(*)::int as n, count(distinct _strata_load_id)::int as loads from order_log')).toEqual([{ n: 4, loads: 2 }]);
    expect(await queryProject(dir, 'select currency, rate from stg_rates')).toEqual([{ currency: 'EUR', rate: 1.2 }]);
    expect(await queryProject(dir, 'select _id, name, first_sku from stg_products order by _id')).toEqual([
      { _id: 'p1', name: 'Mug', first_sku: 'M-1' },
      { _id: 'p2', name: 'Tee', first_sku: 'T-S' },
    ]);
  });

  it('a malformed external block is one error naming the YAML line', async () => {
    const dir = project({ 'models/sources.yml': 'sources:\n  - name: s\n    tables:\n      - name: t\n        external: {location: raw/s/t, format: xlsx}\n' });
    const result = await strata(dir, 'parse');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/models\/sources\.yml:5.*'external\.format' must be one of parquet, jsonl, csv/);
  });
});
