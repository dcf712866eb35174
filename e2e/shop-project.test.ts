import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDB } from './duckdb-query.js';
import { strata } from './harness.js';

// The repository's own e-commerce project, built end to end on generated raw data and checked
// against the generator's ground truth (aggregates it computed in JS from the rows it wrote).
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROJECT_FILES = ['project.yml', 'models', 'seeds', 'macros', 'tests', 'snapshots'];
// Scale 1 (about 100,000 orders) for the ground truth; the incremental part runs on a smaller shop of
// its own, since generating scale 1 alone takes minutes.
const SCALE = process.env.SHOP_TEST_SCALE ?? '1';
const INCREMENTAL_SCALE = process.env.SHOP_TEST_INCREMENTAL_SCALE ?? '0.1';
const MARTS = 'main_marts';

/** A copy of the repo's project in a temp folder, with a second DuckDB target for full refreshes. */
function copyProject(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-shop-'));
  for (const entry of PROJECT_FILES) cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  writeFileSync(
    path.join(dir, 'profiles.yml'),
    'shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/shop.duckdb}\n    full: {type: duckdb, path: target/full/shop.duckdb}\n',
  );
  return dir;
}

/** Opens the project's databases read-only, attached as `dev` (and `full` once it exists). */
async function query(dir: string, sql: string, attachFull = false): Promise<Record<string, unknown>[]> {
  const setup = [`attach '${path.join(dir, 'target', 'shop.duckdb')}' as dev (read_only)`];
  if (attachFull) setup.push(`attach '${path.join(dir, 'target', 'full', 'shop.duckdb')}' as "full" (read_only)`);
  return queryDuckDB(sql, { setup: [...setup, 'use dev'] });
}

const truth = <T>(dir: string, name: string): T => JSON.parse(readFileSync(path.join(dir, 'lake', 'ground_truth', `${name}.json`), 'utf8')) as T;

async function run(dir: string, ...args: string[]): Promise<string> {
  const { code, output } = await strata(dir, ...args);
  expect(code, `strata ${args.join(' ')}:\n${output.split('\n').filter((l) => /ERROR|FAIL|Error|error/.test(l)).slice(0, 40).join('\n')}`).toBe(0);
  return output;
}

interface DailyRevenue { date: string; sales_channel: string; country_code: string; orders: number; gross_revenue_eur: string; refunds_eur: string; net_revenue_eur: string }
interface CustomerOrders { customer_id: number; orders: number; first_order_date: string; gross_revenue_eur: string }
interface Cohort { cohort_month: string; month_offset: number; cohort_size: number; active_customers: number }
interface Stock { snapshot_date: string; skus: { sku: string; product_id: string; quantity_on_hand: number }[]; products: { product_id: string; quantity_on_hand: number }[] }
interface Funnel { date: string; sessions: number; page_view_sessions: number; add_to_cart_sessions: number; checkout_sessions: number; purchase_sessions: number }

const byKey = <T>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** Checks every mart the ground truth covers; the marts must equal it exactly. */
async function expectMartsEqualGroundTruth(dir: string): Promise<void> {
  const revenue = await query(dir, `
    select strftime(revenue_date, '%Y-%m-%d') as date, sales_channel, country_code, orders::int as orders,
      gross_revenue_eur::varchar as gross_revenue_eur, refunds_eur::varchar as refunds_eur, net_revenue_eur::varchar as net_revenue_eur
    from ${MARTS}.fct_daily_revenue`);
  const revenueKey = (r: DailyRevenue) => `${r.date}|${r.sales_channel}|${r.country_code}`;
  const expectedRevenue = truth<DailyRevenue[]>(dir, 'daily_revenue');
  expect(expectedRevenue.length).toBeGreaterThan(100);
  expect(byKey(revenue as unknown as DailyRevenue[], revenueKey)).toEqual(byKey(expectedRevenue, revenueKey));

  const customers = await query(dir, `
    select customer_id::int as customer_id, orders::int as orders, strftime(first_order_date, '%Y-%m-%d') as first_order_date,
      gross_revenue_eur::varchar as gross_revenue_eur
    from ${MARTS}.customer_lifetime_value`);
  const customerKey = (r: CustomerOrders) => String(r.customer_id).padStart(12, '0');
  expect(byKey(customers as unknown as CustomerOrders[], customerKey)).toEqual(byKey(truth<CustomerOrders[]>(dir, 'orders_per_customer'), customerKey));

  // The mart has a row for every offset up to the last month; offsets nobody came back in have 0
  // active customers, whether or not the ground truth lists them.
  const cohorts = (await query(dir, `
    select cohort as cohort_month, month_offset::int as month_offset, cohort_size::int as cohort_size, active_customers::int as active_customers
    from ${MARTS}.cohort_retention`)) as unknown as Cohort[];
  const cohortKey = (r: Cohort) => `${r.cohort_month}|${String(r.month_offset).padStart(3, '0')}`;
  const expectedCohorts = truth<Cohort[]>(dir, 'cohort_retention');
  const listed = new Set(expectedCohorts.map(cohortKey));
  expect(cohorts.filter((r) => !listed.has(cohortKey(r)) && r.active_customers !== 0)).toEqual([]);
  expect(byKey(cohorts.filter((r) => listed.has(cohortKey(r))), cohortKey)).toEqual(byKey(expectedCohorts, cohortKey));

  const stock = truth<Stock>(dir, 'stock');
  const skus = await query(dir, `select sku, product_id, quantity_on_hand::int as quantity_on_hand from ${MARTS}.inventory_position where snapshot_date = date '${stock.snapshot_date}'`);
  expect(byKey(skus as unknown as Stock['skus'], (r) => r.sku)).toEqual(byKey(stock.skus, (r) => r.sku));
  expect(await query(dir, `select count(*)::int as n from ${MARTS}.inventory_position where snapshot_date <> date '${stock.snapshot_date}'`)).toEqual([{ n: 0 }]);
  const products = await query(dir, `select product_id, sum(quantity_on_hand)::int as quantity_on_hand from ${MARTS}.inventory_position group by product_id`);
  expect(byKey(products as unknown as Stock['products'], (r) => r.product_id)).toEqual(byKey(stock.products, (r) => r.product_id));

  const funnel = await query(dir, `
    select strftime(session_date, '%Y-%m-%d') as date, sum(sessions)::int as sessions, sum(page_view_sessions)::int as page_view_sessions,
      sum(add_to_cart_sessions)::int as add_to_cart_sessions, sum(checkout_sessions)::int as checkout_sessions, sum(purchase_sessions)::int as purchase_sessions
    from ${MARTS}.conversion_funnel group by session_date`);
  expect(byKey(funnel as unknown as Funnel[], (r) => r.date)).toEqual(byKey(truth<Funnel[]>(dir, 'funnel'), (r) => r.date));
}

/** Rows in one database's relation that the other's lacks (bag difference), both ways. */
async function differingRows(dir: string, relation: string): Promise<{ onlyIncremental: number; onlyFull: number; rows: number }> {
  const [row] = await query(dir, `
    select
      (select count(*) from (select * from dev.${relation} except all select * from "full".${relation}))::int as "onlyIncremental",
      (select count(*) from (select * from "full".${relation} except all select * from dev.${relation}))::int as "onlyFull",
      (select count(*) from dev.${relation})::int as rows`, true);
  return row as { onlyIncremental: number; onlyFull: number; rows: number };
}

describe('the e-commerce project', () => {
  const dirs: string[] = [];
  const project = () => {
    const dir = copyProject();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it(`builds at scale ${SCALE} with every test passing, and its marts equal the generator's ground truth`, async () => {
    const dir = project();
    await run(dir, 'generate', '--scale', SCALE);
    const output = await run(dir, 'build');
    expect(output).toMatch(/Done\. PASS=\d+ WARN=\d+ ERROR=0 SKIP=0/);
    await expectMartsEqualGroundTruth(dir);
    // The check snapshot of prices starts with one current version per variant and currency.
    const [snap] = await query(dir, `select count(*)::int as versions, count(*) filter (where dbt_valid_to is null)::int as current, (select count(*)::int from main_staging.stg_shop_mongo__variant_prices) as prices from main_snapshots.product_prices_snapshot`);
    expect(snap.prices).toBeGreaterThan(0);
    expect(snap).toEqual({ versions: snap.prices, current: snap.prices, prices: snap.prices });
    // The project's doc block fills the status descriptions; its run-operation reads the built marts.
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.shop.fct_orders'].columns.status.description).toBe(manifest.docs['doc.shop.order_status'].block_contents);
    expect(manifest.docs['doc.shop.order_status'].block_contents).toMatch(/^The order's newest status: `placed`/);
    const [counts] = await query(dir, 'select count(*)::int as n from main_marts.fct_orders');
    expect(await run(dir, 'run-operation', 'mart_row_counts')).toMatch(new RegExp(`\\| fct_orders\\s+\\|\\s+${counts.n} \\|`));
  }, 1_200_000);

  it(`after a new day of raw data (scale ${INCREMENTAL_SCALE}), an incremental build equals the ground truth and a --full-refresh build into another target`, async () => {
    const dir = project();
    await run(dir, 'generate', '--scale', INCREMENTAL_SCALE);
    await run(dir, 'build');
    await expectMartsEqualGroundTruth(dir);
    const pricesBefore = await query(dir, 'select variant_price_id, list_price::varchar as list_price from main_staging.stg_shop_mongo__variant_prices');
    const addressesBefore = await query(dir, 'select address_id, updated_at::varchar as updated_at from main_staging.stg_shop_mysql__addresses');
    await run(dir, 'generate', '--scale', INCREMENTAL_SCALE, '--day', '2');
    const incremental = await run(dir, 'build');
    expect(incremental).toMatch(/OK created sql incremental model main_marts\.fct_sessions \.+ \[MERGE [1-9]/);
    expect(incremental).toMatch(/Done\. PASS=\d+ WARN=\d+ ERROR=0 SKIP=0/);
    await expectMartsEqualGroundTruth(dir);
    await run(dir, 'build', '--target', 'full', '--full-refresh');

    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { resource_type: string; name: string; schema: string; config: { materialized: string } }> };
    const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model' && ['incremental', 'table'].includes(n.config.materialized));
    expect(models.filter((n) => n.config.materialized === 'incremental').map((n) => n.name)).toEqual(expect.arrayContaining(['fct_sessions', 'stg_web_api__events']));
    for (const model of models) {
      const diff = await differingRows(dir, `${model.schema}.${model.name}`);
      expect({ model: model.name, ...diff, rows: diff.rows > 0 }).toEqual({ model: model.name, onlyIncremental: 0, onlyFull: 0, rows: true });
    }

    // Snapshots kept history across the two builds: prices that changed have a closed and a current version.
    const changed = (await query(dir, 'select variant_price_id, list_price::varchar as list_price from main_staging.stg_shop_mongo__variant_prices')).filter((now) => {
      const before = pricesBefore.find((b) => b.variant_price_id === now.variant_price_id);
      return before && before.list_price !== now.list_price;
    });
    expect(changed.length).toBeGreaterThan(0);
    const ids = changed.map((c) => `'${c.variant_price_id}'`).join(', ');
    const history = await query(dir, `
      select variant_price_id, count(*)::int as versions, count(*) filter (where dbt_valid_to is null)::int as current,
        max(list_price) filter (where dbt_valid_to is null)::varchar as current_price
      from main_snapshots.product_prices_snapshot where variant_price_id in (${ids}) group by variant_price_id`);
    const key = (r: Record<string, unknown>) => String(r.variant_price_id);
    expect(byKey(history, key)).toEqual(byKey(changed.map((c) => ({ variant_price_id: c.variant_price_id, versions: 2, current: 1, current_price: c.list_price })), key));
    const moved = (await query(dir, 'select address_id, updated_at::varchar as updated_at from main_staging.stg_shop_mysql__addresses')).filter((now) => {
      const before = addressesBefore.find((b) => b.address_id === now.address_id);
      return before && before.updated_at !== now.updated_at;
    });
    const [closed] = await query(dir, 'select count(*)::int as n from main_snapshots.customer_addresses_snapshot where dbt_valid_to is not null');
    expect(closed.n).toBe(moved.length);
  }, 1_200_000);
});
