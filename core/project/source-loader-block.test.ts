import { describe, expect, it } from 'vitest';
import { readSourceLoaders } from '../extract/source-loaders.js';
import type { SourceNode } from '../manifest/nodes.js';
import { readPropertyFile } from './property-files.js';
import { YamlFile } from './yaml-file.js';

const read = (text: string) => readPropertyFile(new YamlFile('models/sources.yml', text), 'shop', 'models');
const errorOf = (text: string) => {
  try {
    read(text);
  } catch (error) {
    return (error as { format(): string }).format();
  }
  throw new Error('no error');
};

describe('loader: blocks of sources', () => {
  it("dbt's plain-string loader stays a description; a mapping with a type reads the table's lake folder with its key and cursor", () => {
    const file = read(`sources:
  - name: legacy
    loader: fivetran
    tables: [{name: t}]
  - name: ShopMySQL
    loader: {type: mysql, database: shop}
    tables:
      - name: Orders
        loader: {primary_key: order_id, cursor_field: updated_at}
      - name: events
        loader: {cursor_field: id}
      - name: rates
      - name: docs
        loader: {format: jsonl, disposition: append}
`);
    const byName = Object.fromEntries(file.sources.map((s) => [`${s.source_name}.${s.name}`, s]));
    expect(byName['legacy.t']).toMatchObject({ loader: 'fivetran' });
    expect(byName['legacy.t'].external).toBeUndefined();
    expect(byName['ShopMySQL.Orders']).toMatchObject({ loader: 'mysql', external: { location: 'raw/shop_my_sql/orders', format: 'parquet', primary_key: ['order_id'], cursor_field: 'updated_at', loaded_by: 'extract' } });
    // Defaults: a cursor alone appends, nothing at all is a full copy (replace), read as every committed row.
    expect(byName['ShopMySQL.events'].external).toEqual({ location: 'raw/shop_my_sql/events', format: 'parquet', cursor_field: 'id', loaded_by: 'extract' });
    expect(byName['ShopMySQL.rates'].external).toEqual({ location: 'raw/shop_my_sql/rates', format: 'parquet', loaded_by: 'extract' });
    expect(byName['ShopMySQL.docs'].external).toMatchObject({ format: 'jsonl' });
  });

  it('mistakes name the line: a bad disposition, merge without a key, a table block under a source without one', () => {
    expect(errorOf('sources:\n  - name: s\n    loader: {type: mysql}\n    tables:\n      - name: t\n        loader:\n          disposition: upsert\n')).toMatch(/^models\/sources\.yml:7: 'loader\.disposition' must be one of append, replace, merge/);
    expect(errorOf('sources:\n  - name: s\n    loader: {type: mysql}\n    tables:\n      - name: t\n        loader:\n          disposition: merge\n')).toMatch(/^models\/sources\.yml:7: 'disposition: merge' needs a 'primary_key'/);
    expect(errorOf('sources:\n  - name: s\n    tables:\n      - name: t\n        loader: {cursor_field: id}\n')).toMatch(/^models\/sources\.yml:5: table 't' has a 'loader' block, but its source has none/);
    expect(errorOf('sources:\n  - name: s\n    loader: {host: x}\n    tables: [{name: t}]\n')).toMatch(/^models\/sources\.yml:3: source 's' has a 'loader' block without a 'type'/);
  });

  it('reading the blocks for extract: env rendered and its secrets collected, the profile wins, a literal secret is refused', () => {
    const text = `sources:
  - name: shop
    loader:
      type: mysql
      user: '{{env "SHOP_USER"}}'
      password: '{{env "SHOP_PASSWORD"}}'
      host: db
    tables:
      - name: orders
        loader: {primary_key: id}
`;
    const file = read(text);
    const nodes = new Map<string, SourceNode>(file.sources.map((s) => [s.unique_id, s]));
    const loaders = readSourceLoaders({ propertyFiles: [file], sourceNodes: nodes, env: { SHOP_USER: 'etl', SHOP_PASSWORD: 'pw-from-env' }, targetSources: { shop: { host: 'db.prod' } } });
    expect(loaders.sources).toHaveLength(1);
    expect(loaders.sources[0]).toMatchObject({ name: 'shop', type: 'mysql', settings: { user: 'etl', password: 'pw-from-env', host: 'db.prod' } });
    expect(loaders.sources[0].tables[0]).toMatchObject({ name: 'orders', line: 9, load: { disposition: 'merge', primaryKey: ['id'], format: 'parquet' } });
    expect(loaders.sources[0].locate?.('orders', 'primary_key')).toBe(10);
    expect(loaders.secrets).toEqual(['pw-from-env']);

    const literal = read(text.replace(`'{{env "SHOP_PASSWORD"}}'`, 'hunter22'));
    const literalNodes = new Map<string, SourceNode>(literal.sources.map((s) => [s.unique_id, s]));
    expect(() => readSourceLoaders({ propertyFiles: [literal], sourceNodes: literalNodes, env: { SHOP_USER: 'etl' } })).toThrow(/'password' of source 'shop' is written in the file/);
    expect(() => readSourceLoaders({ propertyFiles: [file], sourceNodes: nodes, env: { SHOP_USER: 'etl' } })).toThrow(/environment variable SHOP_PASSWORD is not set \(source 'shop'\)/);
  });
});
