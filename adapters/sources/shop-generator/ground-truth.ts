import { dayAt, isoDate } from './calendar.js';
import { eventsOfDay } from './events.js';
import { toEurCents } from './exchange-rates.js';
import { CAMPAIGNS, adSpendReports } from './marketing.js';
import { money, orderStatus, refundStatus, type Order } from './orders.js';
import { settlementFiles } from './partner-files.js';
import type { World } from './world.js';

/**
 * The answers the marts must give, computed in JS from the generated rows as the lake knows them
 * after the last load (the README's business rules): revenue per day, channel and country in EUR,
 * orders per customer, cohort retention, stock per product, the funnel, and the row count every
 * staging model must have.
 */
export interface GroundTruth {
  daily_revenue: { date: string; sales_channel: string; country_code: string; orders: number; gross_revenue_eur: string; refunds_eur: string; net_revenue_eur: string }[];
  orders_per_customer: { customer_id: number; orders: number; first_order_date: string; gross_revenue_eur: string }[];
  cohort_retention: { cohort_month: string; month_offset: number; cohort_size: number; active_customers: number }[];
  stock: { snapshot_date: string; skus: { sku: string; product_id: string; quantity_on_hand: number }[]; products: { product_id: string; quantity_on_hand: number }[] };
  funnel: { date: string; sessions: number; page_view_sessions: number; add_to_cart_sessions: number; checkout_sessions: number; purchase_sessions: number }[];
  summary: Record<string, unknown>;
}

/** Orders the lake holds that count: visible at the cutoff and not cancelled. */
export function validOrders(world: World): Order[] {
  return world.orders.filter((o) => o.insertedAt <= world.cutoff && orderStatus(o, world.cutoff) !== 'cancelled');
}

export function computeGroundTruth(world: World): GroundTruth {
  const c = world.cutoff;
  const valid = validOrders(world);

  const revenue = new Map<string, { orders: number; gross: number; refunds: number }>();
  const cell = (date: string, o: Order) => {
    const key = `${date}|${o.channel}|${o.country}`;
    let v = revenue.get(key);
    if (!v) revenue.set(key, (v = { orders: 0, gross: 0, refunds: 0 }));
    return v;
  };
  for (const o of valid) {
    const v = cell(isoDate(o.placedAt), o);
    v.orders += 1;
    v.gross += toEurCents(o.totalCents, o.currency, o.placedAt);
  }
  let refundCount = 0;
  for (const o of world.orders) {
    for (const r of o.refunds) {
      if (r.createdAt > c || refundStatus(r, c) !== 'completed') continue;
      refundCount++;
      cell(isoDate(r.createdAt), o).refunds += toEurCents(r.amountCents, o.currency, r.createdAt);
    }
  }
  const daily_revenue = [...revenue.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, v]) => {
    const [date, sales_channel, country_code] = key.split('|');
    return { date, sales_channel, country_code, orders: v.orders, gross_revenue_eur: money(v.gross), refunds_eur: money(v.refunds), net_revenue_eur: money(v.gross - v.refunds) };
  });

  const perCustomer = new Map<number, { orders: number; first: number; gross: number; months: Set<string> }>();
  for (const o of valid) {
    let v = perCustomer.get(o.customer.id);
    if (!v) perCustomer.set(o.customer.id, (v = { orders: 0, first: o.placedAt, gross: 0, months: new Set() }));
    v.orders += 1;
    v.first = Math.min(v.first, o.placedAt);
    v.gross += toEurCents(o.totalCents, o.currency, o.placedAt);
    v.months.add(isoDate(o.placedAt).slice(0, 7));
  }
  const orders_per_customer = [...perCustomer.entries()].sort(([a], [b]) => a - b).map(([customer_id, v]) => ({ customer_id, orders: v.orders, first_order_date: isoDate(v.first), gross_revenue_eur: money(v.gross) }));

  const cohorts = new Map<string, { size: number; active: Map<number, number> }>();
  for (const v of perCustomer.values()) {
    const cohort = isoDate(v.first).slice(0, 7);
    let entry = cohorts.get(cohort);
    if (!entry) cohorts.set(cohort, (entry = { size: 0, active: new Map() }));
    entry.size += 1;
    for (const month of v.months) {
      const offset = monthsBetween(cohort, month);
      entry.active.set(offset, (entry.active.get(offset) ?? 0) + 1);
    }
  }
  const cohort_retention = [...cohorts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([cohort_month, e]) =>
    [...e.active.entries()].sort(([a], [b]) => a - b).map(([month_offset, active_customers]) => ({ cohort_month, month_offset, cohort_size: e.size, active_customers })),
  );

  // Stock: the newest report per sku; every report up to the cutoff's morning is landed.
  const snaps = world.inventory.snapshots;
  const lastIndex = snaps.day.reduce((max, d) => Math.max(max, d), 0);
  const skus: GroundTruth['stock']['skus'] = [];
  const perProduct = new Map<string, number>();
  for (let i = 0; i < snaps.day.length; i++) {
    if (snaps.day[i] !== lastIndex) continue;
    const s = world.inventory.skus[snaps.sku[i]];
    skus.push({ sku: s.variant.sku, product_id: s.product.id, quantity_on_hand: snaps.onHand[i] });
    perProduct.set(s.product.id, (perProduct.get(s.product.id) ?? 0) + snaps.onHand[i]);
  }
  skus.sort((a, b) => (a.sku < b.sku ? -1 : 1));
  const stock = { snapshot_date: isoDate(dayAt(lastIndex)), skus, products: [...perProduct.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([product_id, quantity_on_hand]) => ({ product_id, quantity_on_hand })) };

  // Funnel and events: each event once (duplicates share the event id), as received by the cutoff.
  // A session's events all come from one day's generator call, so sessions are counted day by day
  // and forgotten (memory stays flat at scale 10).
  const funnelByDay = new Map<string, GroundTruth['funnel'][number]>();
  const STEPS: Record<string, number> = { page_view: 1, add_to_cart: 2, checkout: 4, purchase: 8 };
  let events = 0;
  let sessionCount = 0;
  for (let index = 0; index < world.ordersByDay.length; index++) {
    const sessions = new Map<string, { date: string | null; steps: number }>();
    for (const e of eventsOfDay(world, index, true)) {
      if (e.receivedAt > c) continue;
      events++;
      let s = sessions.get(e.sessionId);
      if (!s) sessions.set(e.sessionId, (s = { date: null, steps: 0 }));
      s.steps |= STEPS[e.type] ?? 0;
      if (e.type === 'session_start') s.date = isoDate(e.occurredAt);
    }
    sessionCount += sessions.size;
    for (const s of sessions.values()) {
      if (s.date === null) continue;
      let f = funnelByDay.get(s.date);
      if (!f) funnelByDay.set(s.date, (f = { date: s.date, sessions: 0, page_view_sessions: 0, add_to_cart_sessions: 0, checkout_sessions: 0, purchase_sessions: 0 }));
      f.sessions++;
      if (s.steps & 1) f.page_view_sessions++;
      if (s.steps & 2) f.add_to_cart_sessions++;
      if (s.steps & 4) f.checkout_sessions++;
      if (s.steps & 8) f.purchase_sessions++;
    }
  }
  const funnel = [...funnelByDay.values()].sort((a, b) => (a.date < b.date ? -1 : 1));

  const visibleProducts = world.products.filter((p) => p.createdAt <= c);
  const visibleOrders = world.orders.filter((o) => o.insertedAt <= c);
  let adSpendRows = 0;
  for (let index = 0; index < world.ordersByDay.length; index++) {
    for (const campaign of CAMPAIGNS) if (adSpendReports(world.seed, world.scale, campaign, dayAt(index)).some((r) => r.reportedAt <= c)) adSpendRows++;
  }
  const gross = daily_revenue.reduce((sum, r) => sum + cents(r.gross_revenue_eur), 0);
  const refunds = daily_revenue.reduce((sum, r) => sum + cents(r.refunds_eur), 0);
  const staging_rows: Record<string, number> = {
    stg_shop_mysql__customers: world.customers.filter((x) => x.createdAt <= c).length,
    stg_shop_mysql__addresses: world.customers.flatMap((x) => x.addresses).filter((a) => a.createdAt <= c).length,
    stg_shop_mysql__orders: visibleOrders.length,
    stg_shop_mysql__order_items: visibleOrders.reduce((sum, o) => sum + o.lines.length, 0),
    stg_shop_mysql__payments: world.orders.flatMap((o) => o.payments).filter((p) => p.createdAt <= c).length,
    stg_shop_mysql__refunds: world.orders.flatMap((o) => o.refunds).filter((r) => r.createdAt <= c).length,
    stg_shop_mongo__products: visibleProducts.length,
    stg_shop_mongo__product_variants: visibleProducts.reduce((sum, p) => sum + p.variants.length, 0),
    stg_shop_mongo__variant_prices: visibleProducts.reduce((sum, p) => sum + p.variants.length * 4, 0),
    stg_shop_mongo__categories: new Set(visibleProducts.flatMap((p) => p.categories.map((x) => x.id))).size,
    stg_shop_mongo__reviews: world.reviews.filter((r) => r.createdAt <= c).length,
    stg_partner_sftp__inventory_snapshots: snaps.day.length,
    stg_partner_sftp__marketplace_settlements: settlementFiles(world.orders, (t) => t <= c).reduce((sum, f) => sum + f.rows.length, 0),
    stg_web_api__events: events,
    stg_web_api__ad_spend: adSpendRows,
  };
  const summary = {
    seed: world.seed,
    scale: world.scale,
    day: world.day,
    first_date: isoDate(dayAt(0)),
    last_date: isoDate(world.lastDay),
    cutoff: new Date(c).toISOString(),
    price_changed_product_id: world.products[0].id,
    staging_rows,
    totals: { valid_orders: valid.length, completed_refunds: refundCount, gross_revenue_eur: money(gross), refunds_eur: money(refunds), net_revenue_eur: money(gross - refunds), customers_with_orders: perCustomer.size, sessions: sessionCount },
  };
  return { daily_revenue, orders_per_customer, cohort_retention, stock, funnel, summary };
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

function cents(text: string): number {
  const [whole, frac] = text.replace('-', '').split('.');
  return (text.startsWith('-') ? -1 : 1) * (Number(whole) * 100 + Number(frac));
}

