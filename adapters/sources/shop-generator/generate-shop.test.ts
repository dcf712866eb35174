import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exchangeRatesCsv } from './exchange-rates.js';
import { queryDuckDB } from '../../../e2e/duckdb-query.js';
import { DuckDBParquetAppender } from '../../duckdb/duckdb-parquet-appender.js';
import { JsonLinesEncoder } from '../../../core/lake/part-encoders.js';
import { generateShop, type GenerateShopOptions } from './generate-shop.js';

// Generates small lakes on disk and checks them with DuckDB SQL written independently of the
// generator's JS: the ground truth it wrote must be what the landed files say.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shop-generator-'));
  dirs.push(dir);
  return dir;
}

/** Every file under the lake with its bytes' length and content, keyed by relative path. */
function lakeFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(root, full), readFileSync(full).toString('base64'));
    }
  };
  walk(root);
  return out;
}

const query = (sql: string) => queryDuckDB(sql);

/** Committed loads only (a manifest exists), newest load's row per key: what a merge destination holds. */
function merged(lake: string, source: string, table: string, key: string): string {
  const folder = `${lake}/raw/${source}/${table}`;
  return `(select * from read_parquet('${folder}/load_id=*/part-*.parquet', union_by_name = true)
    where _strata_load_id in (select load_id from read_json('${folder}/load_id=*/_manifest.json', columns = {load_id: 'VARCHAR'}))
    qualify row_number() over (partition by ${key} order by _strata_load_id desc, updated_at desc) = 1)`;
}

/** generateShop with the encoders the CLI gives it. */
const generate = (options: Omit<GenerateShopOptions, 'encoderFor'>) => generateShop({ ...options, encoderFor: (format) => (format === 'parquet' ? new DuckDBParquetAppender() : new JsonLinesEncoder()) });

const truth = (lake: string, name: string) => JSON.parse(readFileSync(path.join(lake, 'ground_truth', `${name}.json`), 'utf8'));

describe('strata generate (lake)', () => {
  const dir = tempDir();
  const lake = path.join(dir, 'lake');
  const rates = path.join(dir, 'rates.csv');
  writeFileSync(rates, exchangeRatesCsv());
  const generated = generate({ lakeRoot: lake, seed: 11, scale: 0.03, day: 1, ifMissing: false });

  it('lands one backfill and three daily loads per table, with generator state in every manifest', async () => {
    const result = await generated;
    expect(result.loads).toEqual(['backfill', '2026-06-29', '2026-06-30', '2026-07-01']);
    expect(result.rows.size).toBe(12);
    for (const [table, rows] of result.rows) expect(rows, table).toBeGreaterThan(0);
    const [manifest] = readdirSync(path.join(lake, 'raw/shop_mysql/orders')).map((d) => JSON.parse(readFileSync(path.join(lake, 'raw/shop_mysql/orders', d, '_manifest.json'), 'utf8')));
    expect(manifest).toMatchObject({ disposition: 'merge', primary_key: ['order_id'], state: { generator: { seed: 11, scale: 0.03, day: 1, load: 'backfill' } } });
    expect(manifest.schema).toContainEqual({ name: 'total_amount', type: 'DECIMAL(12,2)' });
  }, 240_000);

  it('daily revenue recomputed from the landed files with SQL equals the ground truth', async () => {
    await generated;
    const sql = `
      with rates as (select * from read_csv('${rates}', header = true, columns = {rate_date: 'DATE', currency_code: 'VARCHAR', rate_to_eur: 'DECIMAL(12,6)'})),
      orders as ${merged(lake, 'shop_mysql', 'orders', 'order_id')},
      refunds as ${merged(lake, 'shop_mysql', 'refunds', 'refund_id')},
      gross as (
        select cast(timezone('UTC', o.placed_at) as date) as d, o.sales_channel as ch, o.shipping_country_code as c,
               count(*) as orders, sum(cast(round(o.total_amount * r.rate_to_eur, 2) as decimal(18, 2))) as eur
        from orders o join rates r on r.rate_date = cast(timezone('UTC', o.placed_at) as date) and r.currency_code = o.currency
        where o.status <> 'cancelled' group by all
      ),
      back as (
        select cast(timezone('UTC', f.created_at) as date) as d, o.sales_channel as ch, o.shipping_country_code as c,
               sum(cast(round(f.amount * r.rate_to_eur, 2) as decimal(18, 2))) as eur
        from refunds f join orders o using (order_id)
        join rates r on r.rate_date = cast(timezone('UTC', f.created_at) as date) and r.currency_code = f.currency
        where f.status = 'completed' group by all
      )
      select strftime(coalesce(g.d, b.d), '%Y-%m-%d') as date, coalesce(g.ch, b.ch) as sales_channel, coalesce(g.c, b.c) as country_code,
             coalesce(g.orders, 0)::int as orders,
             cast(coalesce(g.eur, 0) as varchar) as gross_revenue_eur, cast(coalesce(b.eur, 0) as decimal(18, 2))::varchar as refunds_eur,
             cast(coalesce(g.eur, 0) - coalesce(b.eur, 0) as decimal(18, 2))::varchar as net_revenue_eur
      from gross g full join back b on g.d = b.d and g.ch = b.ch and g.c = b.c
      order by 1, 2, 3`;
    const rows = (await query(sql)).map((r) => ({ ...r, gross_revenue_eur: String(r.gross_revenue_eur).replace(/^(\d+)$/, '$1.00') }));
    const expected = truth(lake, 'daily_revenue');
    expect(expected.length).toBeGreaterThan(500);
    expect(rows).toEqual(expected);
  }, 240_000);

  it('stock per sku and product recomputed from the partner files equals the ground truth', async () => {
    await generated;
    const inventory = `${lake}/raw/partner_sftp/inventory_snapshots`;
    const products = `${lake}/raw/shop_mongo/products`;
    const latest = `
      with reports as (
        select snapshot_date, upper(trim(sku)) as sku, quantity_on_hand from read_parquet('${inventory}/load_id=*/part-*.parquet')
        qualify row_number() over (partition by snapshot_date, upper(trim(sku)) order by _strata_load_id desc) = 1
      ),
      variants as (
        select _id as product_id, unnest(variants).sku as sku
        from read_json('${products}/load_id=*/part-*.jsonl', union_by_name = true)
        qualify row_number() over (partition by _id order by _strata_load_id desc) = 1
      )
      select strftime(r.snapshot_date, '%Y-%m-%d') as snapshot_date, r.sku, v.product_id, r.quantity_on_hand
      from reports r join variants v using (sku)
      where r.snapshot_date = (select max(snapshot_date) from reports)
      order by r.sku`;
    const rows = await query(latest);
    const stock = truth(lake, 'stock');
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.map((r) => r.snapshot_date)).toEqual(rows.map(() => stock.snapshot_date));
    expect(rows.map(({ sku, product_id, quantity_on_hand }) => ({ sku, product_id, quantity_on_hand }))).toEqual(stock.skus);
    const perProduct = new Map<string, number>();
    for (const r of rows) perProduct.set(r.product_id as string, (perProduct.get(r.product_id as string) ?? 0) + Number(r.quantity_on_hand));
    expect([...perProduct.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([product_id, quantity_on_hand]) => ({ product_id, quantity_on_hand }))).toEqual(stock.products);
  }, 240_000);

  it('the dirt is there: duplicate events, late app events, resent or lower-case inventory rows, restated ad spend', async () => {
    await generated;
    const events = `read_parquet('${lake}/raw/web_api/events/load_id=*/part-*.parquet')`;
    const [dirt] = await query(`select
        (select count(*) - count(distinct event_id) from ${events})::int as duplicate_events,
        (select count(*) from ${events} where received_at > occurred_at + interval 1 day)::int as late_events,
        (select count(*) from read_parquet('${lake}/raw/partner_sftp/inventory_snapshots/load_id=*/part-*.parquet') where sku <> upper(trim(sku)))::int as dirty_skus,
        (select count(*) - count(distinct (spend_date, campaign_id)) from read_parquet('${lake}/raw/web_api/ad_spend/load_id=*/part-*.parquet'))::int as restated_spend,
        (select count(*) from read_parquet('${lake}/raw/shop_mysql/customers/load_id=*/part-*.parquet') where email <> lower(trim(email)))::int as dirty_emails,
        (select count(*) - count(distinct order_id) from read_parquet('${lake}/raw/shop_mysql/orders/load_id=*/part-*.parquet'))::int as order_versions`);
    for (const [kind, n] of Object.entries(dirt)) expect(n, kind).toBeGreaterThan(0);
  }, 240_000);

  it('--if-missing does nothing when the lake holds this seed and scale, and regenerates for another seed', async () => {
    await generated;
    const before = lakeFiles(lake);
    const again = await generate({ lakeRoot: lake, seed: 11, scale: 0.03, day: 1, ifMissing: true });
    expect(again.skipped).toBe(true);
    expect(lakeFiles(lake)).toEqual(before);
    const other = await generate({ lakeRoot: lake, seed: 12, scale: 0.03, day: 1, ifMissing: true });
    expect(other.skipped).toBe(false);
    expect(truth(lake, 'summary')).toMatchObject({ seed: 12 });
    const orders = readdirSync(path.join(lake, 'raw/shop_mysql/orders'));
    expect(orders).toHaveLength(4); // the old seed's loads are gone, not mixed in
  }, 240_000);
});

describe('strata generate (determinism on disk and --day)', () => {
  it('the same seed writes byte-identical lakes; --day 2 adds one load per table and keeps the others', async () => {
    const a = path.join(tempDir(), 'lake');
    const b = path.join(tempDir(), 'lake');
    await generate({ lakeRoot: a, seed: 5, scale: 0.01, day: 1, ifMissing: false });
    await generate({ lakeRoot: b, seed: 5, scale: 0.01, day: 1, ifMissing: false });
    const day1 = lakeFiles(a);
    expect(lakeFiles(b)).toEqual(day1);
    const next = await generate({ lakeRoot: a, seed: 5, scale: 0.01, day: 2, ifMissing: false });
    expect(next.loads).toEqual(['2026-07-02']);
    const day2 = lakeFiles(a);
    for (const [file, bytes] of day1) if (file.startsWith('raw/')) expect(day2.get(file), file).toBe(bytes);
    const added = [...day2.keys()].filter((f) => !day1.has(f) && f.endsWith('_manifest.json'));
    expect(added).toHaveLength(12);
    expect(JSON.parse(readFileSync(path.join(a, 'ground_truth/summary.json'), 'utf8'))).toMatchObject({ day: 2, last_date: '2026-07-01' });
    await expect(generate({ lakeRoot: a, seed: 5, scale: 0.01, day: 1, ifMissing: true })).resolves.toMatchObject({ skipped: true });
    // Going back a day is refused, naming what to run instead; plain day 1 starts again.
    await expect(generate({ lakeRoot: b, seed: 5, scale: 0.01, day: 3, ifMissing: false })).resolves.toMatchObject({ loads: ['2026-07-02', '2026-07-03'] });
    await expect(generate({ lakeRoot: b, seed: 5, scale: 0.01, day: 2, ifMissing: false })).rejects.toThrow(/already holds day 3 .*cannot go back to day 2/);
    await expect(generate({ lakeRoot: b, seed: 5, scale: 0.01, day: 1, ifMissing: false })).resolves.toMatchObject({ loads: ['backfill', '2026-06-29', '2026-06-30', '2026-07-01'] });
    expect(lakeFiles(b)).toEqual(day1);
  }, 300_000);

  it('--day 2 and --if-missing without --seed/--scale carry on with the seed and scale the lake holds', async () => {
    const lake = path.join(tempDir(), 'lake');
    await generate({ lakeRoot: lake, seed: 7, scale: 0.01, day: 1, ifMissing: false });
    const day1 = lakeFiles(lake);
    await expect(generate({ lakeRoot: lake, day: 1, ifMissing: true })).resolves.toMatchObject({ skipped: true });
    const next = await generate({ lakeRoot: lake, day: 2, ifMissing: false });
    expect(next.loads).toEqual(['2026-07-02']);
    expect(truth(lake, 'summary')).toMatchObject({ seed: 7, scale: 0.01, day: 2 });
    const day2 = lakeFiles(lake);
    for (const [file, bytes] of day1) if (file.startsWith('raw/')) expect(day2.get(file), file).toBe(bytes);
  }, 300_000);

  it('a --day run killed halfway lands, on rerun, the day only for the tables that lack it', async () => {
    const lake = path.join(tempDir(), 'lake');
    await generate({ lakeRoot: lake, seed: 6, scale: 0.01, day: 2, ifMissing: false });
    const complete = lakeFiles(lake);
    // As if the run had died after the MySQL tables: the other tables' day-2 loads never committed.
    for (const source of ['shop_mongo', 'partner_sftp', 'web_api']) {
      for (const table of readdirSync(path.join(lake, 'raw', source))) {
        for (const load of readdirSync(path.join(lake, 'raw', source, table))) {
          if (load.startsWith('load_id=20260702')) rmSync(path.join(lake, 'raw', source, table, load), { recursive: true });
        }
      }
    }
    const rerun = await generate({ lakeRoot: lake, seed: 6, scale: 0.01, day: 2, ifMissing: false });
    expect(rerun.loads).toEqual(['2026-07-02']);
    expect(rerun.rows.get('shop_mysql.orders')).toBe(0);
    expect(rerun.rows.get('web_api.events')).toBeGreaterThan(0);
    expect(lakeFiles(lake)).toEqual(complete);
  }, 300_000);
});
