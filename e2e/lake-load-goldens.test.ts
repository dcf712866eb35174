import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DuckDBDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { RedshiftLakeLoader } from '../adapters/redshift/redshift-lake-loader.js';
import { SnowflakeLakeLoader } from '../adapters/snowflake/snowflake-lake-loader.js';
import { canLoadFromLake, type LakeLoader, type LakeTableLoad } from '../core/adapter/lake-loading.js';

// "Load from lake": the SQL each warehouse runs to bring landed tables in, checked in as goldens.
// No Snowflake or Redshift runs here, so their SQL is checked as text only (never executed); DuckDB's
// is also run for real by e2e/servers/mysql-extract.test.ts. Regenerate: UPDATE_GOLDENS=1 npx vitest run e2e/lake-load-goldens.test.ts
const goldens = path.join(path.dirname(fileURLToPath(import.meta.url)), 'goldens', 'lake-load');

const orders: LakeTableLoad = {
  relation: { database: 'analytics', schema: 'shop_mysql', identifier: 'orders' },
  lakeRoot: 's3://acme-lake/prod',
  folder: 'raw/shop_mysql/orders',
  format: 'parquet',
  disposition: 'merge',
  primaryKey: ['order_id'],
  cursorField: 'updated_at',
  schema: [
    { name: 'order_id', type: 'BIGINT' },
    { name: 'amount', type: 'DECIMAL(12,2)' },
    { name: 'updated_at', type: 'TIMESTAMPTZ' },
    { name: 'note', type: 'VARCHAR' },
  ],
  // The second load brought a new column, `note`.
  loads: [
    { loadId: '20261101T000000Z-00000001', folder: 'raw/shop_mysql/orders/load_id=20261101T000000Z-00000001', schema: [{ name: 'order_id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(12,2)' }, { name: 'updated_at', type: 'TIMESTAMPTZ' }] },
    { loadId: '20261102T000000Z-00000002', folder: 'raw/shop_mysql/orders/load_id=20261102T000000Z-00000002', schema: [{ name: 'order_id', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(12,2)' }, { name: 'updated_at', type: 'TIMESTAMPTZ' }, { name: 'note', type: 'VARCHAR' }] },
  ],
  existingColumns: ['order_id', 'amount', 'updated_at', '_strata_load_id', '_strata_loaded_at'],
};
const cases: Record<string, LakeTableLoad> = {
  'orders-merge': orders,
  'events-append': { ...orders, relation: { ...orders.relation, identifier: 'events' }, folder: 'raw/shop_mysql/events', disposition: 'append', primaryKey: [], cursorField: undefined, existingColumns: [] },
  // A child table (MongoDB `unnest:`): each document's rows are replaced whole by its newest load's.
  'variants-merge-groups': {
    ...orders,
    relation: { ...orders.relation, schema: 'shop_mongo', identifier: 'products__variants' },
    folder: 'raw/shop_mongo/products_variants',
    primaryKey: ['_strata_id'],
    groupKey: ['_strata_root_id'],
    cursorField: 'updatedAt',
    schema: [
      { name: '_strata_id', type: 'VARCHAR' },
      { name: '_strata_root_id', type: 'VARCHAR' },
      { name: 'sku', type: 'VARCHAR' },
      { name: 'updatedAt', type: 'TIMESTAMPTZ' },
    ],
    loads: orders.loads.map((l) => ({ ...l, folder: l.folder.replace('shop_mysql/orders', 'shop_mongo/products_variants'), schema: [{ name: '_strata_id', type: 'VARCHAR' }, { name: '_strata_root_id', type: 'VARCHAR' }, { name: 'sku', type: 'VARCHAR' }, { name: 'updatedAt', type: 'TIMESTAMPTZ' }] })),
    existingColumns: [],
  },
  // SFTP files under append: the second load is a changed file's new version, so the rows of the
  // load that held its old version (already in the warehouse) go.
  'stock-files-append': {
    ...orders,
    relation: { ...orders.relation, schema: 'partner_sftp', identifier: 'stock' },
    folder: 'raw/partner_sftp/stock',
    disposition: 'append',
    primaryKey: [],
    cursorField: undefined,
    loads: orders.loads.slice(1).map((l) => ({ ...l, folder: l.folder.replace('shop_mysql/orders', 'partner_sftp/stock'), fileColumn: true })),
    supersededLoads: ['20261031T000000Z-0000000a'],
  },
  // A full refresh of a feed that is now empty: the table is emptied, there are no part files to copy.
  'feed-replace-empty': { ...orders, relation: { ...orders.relation, identifier: 'feed' }, folder: 'raw/shop_mysql/feed', disposition: 'replace', primaryKey: [], cursorField: undefined, existingColumns: [], loads: orders.loads.map((l, i) => (i === 1 ? { ...l, empty: true } : l)) },
  'rates-replace': { ...orders, relation: { ...orders.relation, identifier: 'rates' }, folder: 'raw/shop_mysql/rates', disposition: 'replace', primaryKey: [], cursorField: undefined, existingColumns: [] },
};
const loaders: Record<string, LakeLoader> = {
  duckdb: new DuckDBDialect(),
  snowflake: new SnowflakeLakeLoader({ stage: '@raw.strata_lake' }),
  redshift: new RedshiftLakeLoader({ iamRole: 'arn:aws:iam::123456789012:role/strata-lake' }),
};

describe('load from lake: golden SQL', () => {
  for (const [warehouse, loader] of Object.entries(loaders)) {
    for (const [name, load] of Object.entries(cases)) {
      it(`${warehouse}: ${name}`, () => {
        const sql = `${loader.loadFromLakeSql(load).join(';\n\n')};\n`;
        const file = path.join(goldens, `${warehouse}-${name}.sql`);
        if (process.env.UPDATE_GOLDENS || !existsSync(file)) {
          mkdirSync(goldens, { recursive: true });
          writeFileSync(file, sql);
        }
        expect(sql).toBe(readFileSync(file, 'utf8'));
      });
    }
  }

  it('the capability is asked with a type guard; Redshift refuses a lake that is not on S3', () => {
    expect(canLoadFromLake(new DuckDBDialect())).toBe(true);
    expect(() => loaders.redshift.loadFromLakeSql({ ...orders, lakeRoot: '/var/lake' })).toThrow('Redshift copies from S3 only');
  });
});
