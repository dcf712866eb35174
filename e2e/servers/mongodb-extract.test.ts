import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Decimal128, ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryProject } from '../duckdb-query.js';
import { projectYml, strata, tempProjects } from '../harness.js';
import { MongoWireTestServer } from './mongo-wire-test-server.js';

// `strata extract` on a small project whose MongoDB source is the wire-protocol TEST server
// (with SCRAM-SHA-256 auth): documents land whole as NDJSON, an array as a child table, staging
// models read them; incremental reruns, errors naming source and table, and no secret anywhere.
const PASSWORD = 'Mongo-s3cret-pw!';
let server: MongoWireTestServer;
beforeAll(async () => {
  server = await MongoWireTestServer.start({ users: { strata: PASSWORD } });
});
afterAll(async () => {
  await server?.stop();
});

const id = (n: number) => ObjectId.createFromHexString(`6650a1b2c3d4e5f6a7b8${n.toString(16).padStart(4, '0')}`);
const hex = (n: number) => id(n).toHexString();
function product(n: number, updated: string, amount = '39.90'): Document {
  return {
    _id: id(n),
    name: `Product ${n}`,
    status: 'active',
    categories: [{ id: 'apparel', name: 'Apparel', parent_id: null }],
    variants: [
      { sku: `P${n}-S`, size: 'S', prices: [{ currency: 'EUR', amount: Decimal128.fromString(amount) }] },
      { sku: `P${n}-M`, size: 'M', prices: [{ currency: 'EUR', amount: Decimal128.fromString(amount) }] },
    ],
    created_at: new Date('2024-06-01T00:00:00Z'),
    updated_at: new Date(updated),
  };
}

let database = 0;
let db = '';
beforeEach(() => {
  // A fresh database per test on the shared server.
  db = `shop${++database}`;
  server.insert(db, 'products', [product(1, '2026-06-28T01:00:00Z'), product(2, '2026-06-28T02:00:00Z')]);
  server.insert(db, 'reviews', [{ _id: id(100), product_id: hex(1), customer_id: 7, rating: 5, title: null, updated_at: new Date('2026-06-28T03:00:00Z') }]);
  process.env.SHOP_MONGO_URL = `mongodb://127.0.0.1:${server.port}/${db}?directConnection=true`;
  process.env.SHOP_MONGO_PASSWORD = PASSWORD;
});

const sourcesYml = (reviews = 'reviews') => `sources:
  - name: shop_mongo
    loader:
      type: mongodb
      url: '{{env "SHOP_MONGO_URL"}}'
      username: strata
      password: '{{env "SHOP_MONGO_PASSWORD"}}'
      server_selection_timeout_ms: 3000
    tables:
      - name: products
        loader: {cursor_field: updated_at, primary_key: _id}
      - name: product_variants
        loader: {collection: products, unnest: variants, cursor_field: updated_at, primary_key: _strata_id}
      - name: reviews
        loader: {collection: ${reviews}, cursor_field: updated_at, primary_key: _id}
`;

const project = tempProjects();
const projectFor = (yml = sourcesYml()) =>
  project({
    'project.yml': projectYml(),
    'models/sources.yml': yml,
    'models/stg_products.sql': 'select _id as product_id, name, len(variants) as variant_count, cast(updated_at as timestamptz) as updated_at from {{source "shop_mongo" "products"}}',
    'models/stg_variants.sql': `select sku, _strata_parent_id as product_id, size, cast(prices[1].amount as decimal(12,2)) as eur_price from {{source "shop_mongo" "product_variants"}}`,
    'models/stg_reviews.sql': 'select _id as review_id, product_id, rating, title from {{source "shop_mongo" "reviews"}}',
  });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('strata extract from MongoDB (wire test server)', () => {
  it('lands documents whole and an array as a child table; staging models read them; the password is nowhere', async () => {
    const dir = projectFor();
    const result = await strata(dir, 'extract');
    expect(result.output).toContain('Completed successfully');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/OK extracted shop_mongo\.products: 2 rows/);
    expect(result.output).toMatch(/OK extracted shop_mongo\.product_variants: 4 rows/);
    expect(result.output).toMatch(/OK extracted shop_mongo\.reviews: 1 rows/);
    const manifest = JSON.parse(readFileSync(filesUnder(path.join(dir, 'lake/raw/shop_mongo/products')).find((f) => f.endsWith('_manifest.json'))!, 'utf8'));
    expect(manifest).toMatchObject({ system: 'mongodb', format: 'jsonl', disposition: 'merge', primary_key: ['_id'], rows: 2, state: { cursor_field: 'updated_at', cursor: { type: 'date', value: '2026-06-28T02:00:00.000Z' } } });
    const build = await strata(dir, 'build');
    expect(build.code, build.output).toBe(0);
    expect(await queryProject(dir, 'select product_id, name, variant_count::int as variant_count from stg_products order by product_id')).toEqual([
      { product_id: hex(1), name: 'Product 1', variant_count: 2 },
      { product_id: hex(2), name: 'Product 2', variant_count: 2 },
    ]);
    expect(await queryProject(dir, "select sku, product_id, size, eur_price::varchar as eur_price from stg_variants where product_id = '" + hex(1) + "' order by sku desc")).toEqual([
      { sku: 'P1-S', product_id: hex(1), size: 'S', eur_price: '39.90' },
      { sku: 'P1-M', product_id: hex(1), size: 'M', eur_price: '39.90' },
    ]);
    expect(await queryProject(dir, 'select review_id, product_id, rating::int as rating, title from stg_reviews')).toEqual([{ review_id: hex(100), product_id: hex(1), rating: 5, title: null }]);
    // The raw tables are views over the lake in the warehouse too.
    expect(await queryProject(dir, 'select count(*)::int as n from shop_mongo.product_variants')).toEqual([{ n: 4 }]);
    for (const file of [...filesUnder(path.join(dir, 'lake')), ...filesUnder(path.join(dir, 'target')).filter((f) => !f.endsWith('.duckdb'))]) {
      expect(readFileSync(file, 'utf8'), file).not.toContain(PASSWORD);
    }
    expect(result.output).not.toContain(PASSWORD);
  });

  it('a document whose array shrank or emptied loses those child rows in the warehouse on the rerun', async () => {
    const dir = projectFor();
    expect((await strata(dir, 'extract', '--select', 'source:shop_mongo.product_variants')).code).toBe(0);
    const one = product(1, '2026-06-29T08:00:00Z');
    server.replace(db, 'products', { ...one, variants: [one.variants[0]] });
    server.replace(db, 'products', { ...product(2, '2026-06-29T09:00:00Z'), variants: [] });
    const rerun = await strata(dir, 'extract', '--select', 'source:shop_mongo.product_variants');
    expect(rerun.code, rerun.output).toBe(0);
    expect(await queryProject(dir, 'select sku, _strata_root_id as product_id from shop_mongo.product_variants order by sku')).toEqual([{ sku: 'P1-S', product_id: hex(1) }]);
  });

  it('a rerun lands only changed documents; merge keeps the newest; --full-refresh reloads everything', async () => {
    const dir = projectFor();
    expect((await strata(dir, 'extract')).code).toBe(0);
    server.replace(db, 'products', product(2, '2026-06-29T08:00:00Z', '44.90'));
    server.insert(db, 'reviews', [{ _id: id(101), product_id: hex(2), customer_id: 8, rating: 3, title: 'ok', updated_at: new Date('2026-06-29T09:00:00Z') }]);
    // Three tables of one source at once, on one client.
    const rerun = await strata(dir, 'extract', '--threads', '3');
    expect(rerun.code, rerun.output).toBe(0);
    expect(rerun.output).toMatch(/OK extracted shop_mongo\.products: 1 rows/);
    expect(rerun.output).toMatch(/OK extracted shop_mongo\.product_variants: 2 rows/);
    // The new review, and the one at the committed cursor, read again (merged away by key).
    expect(rerun.output).toMatch(/OK extracted shop_mongo\.reviews: 2 rows/);
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await queryProject(dir, 'select sku, eur_price::varchar as eur_price from stg_variants order by sku')).toEqual([
      { sku: 'P1-M', eur_price: '39.90' },
      { sku: 'P1-S', eur_price: '39.90' },
      { sku: 'P2-M', eur_price: '44.90' },
      { sku: 'P2-S', eur_price: '44.90' },
    ]);
    expect(await queryProject(dir, 'select count(*)::int as n from stg_reviews')).toEqual([{ n: 2 }]);
    const full = await strata(dir, 'extract', '--full-refresh', '--select', 'source:shop_mongo.products');
    expect(full.code, full.output).toBe(0);
    expect(full.output).toMatch(/OK extracted shop_mongo\.products: 2 rows/);
    expect(full.output).not.toContain('shop_mongo.reviews');
    const manifests = filesUnder(path.join(dir, 'lake/raw/shop_mongo/products')).filter((f) => f.endsWith('_manifest.json'));
    // The replace load hides, and the runner removes, the loads before it.
    expect(manifests.map((f) => JSON.parse(readFileSync(f, 'utf8')).disposition)).toEqual(['replace']);
  });

  it('a missing collection fails its table with one line naming source and table; the other tables carry on; exit code 1', async () => {
    const dir = projectFor(sourcesYml('reveiws'));
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/OK extracted shop_mongo\.products: 2 rows/);
    expect(result.output).toContain("source shop_mongo, table reviews: collection 'reveiws' does not exist in MongoDB database '" + db + "' (did you mean 'reviews'?); set 'loader.collection' to its name");
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('bad credentials fail every table of the source with one line each, never showing the password', async () => {
    process.env.SHOP_MONGO_PASSWORD = 'not-the-password';
    const dir = projectFor();
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(1);
    for (const table of ['products', 'product_variants', 'reviews']) {
      expect(result.output).toContain(`source shop_mongo, table ${table}: MongoDB at 127.0.0.1:${server.port} refused the credentials of user 'strata' (authentication failed)`);
    }
    expect(result.output).not.toContain('not-the-password');
  });

  it('a field whose type changes across loads in a way the lake cannot take is one error naming table and column', async () => {
    server.insert(db, 'flags', [{ _id: id(1), gift: 1, updated_at: new Date('2026-06-28T01:00:00Z') }, { _id: id(3), updated_at: new Date('2026-06-28T02:00:00Z') }]);
    const dir = projectFor(`${sourcesYml()}      - name: flags\n        loader: {cursor_field: updated_at, primary_key: _id}\n`);
    expect((await strata(dir, 'extract', '--select', 'source:shop_mongo.flags')).code).toBe(0);
    server.insert(db, 'flags', [{ _id: id(2), gift: true, updated_at: new Date('2026-06-29T01:00:00Z') }]);
    const result = await strata(dir, 'extract', '--select', 'source:shop_mongo.flags');
    expect(result.code).toBe(1);
    expect(result.output).toContain("source shop_mongo, table flags: column 'gift' changed type from BIGINT to BOOLEAN");
  });

  it('an unknown loader key is a parse-time error naming the file and line, exit code 2', async () => {
    const dir = projectFor(sourcesYml().replace('unnest: variants', 'unnset: variants'));
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/models\/sources\.yml:1\d: unknown key 'unnset' in the loader of table 'shop_mongo\.product_variants' \(type mongodb\)/);
    expect(result.output).toContain("did you mean 'unnest'?");
  });
});
