import type { LakeColumn, WriteDisposition } from '../../../core/lake/lake-layout.js';
import { DAY_MS, dayAt, type LoadWindow } from './calendar.js';
import { productDocument, productVersionTimes } from './catalog.js';
import { addressRow, addressVersionTimes, customerRow, customerVersionTimes } from './customers.js';
import { eventsOfDay } from './events.js';
import { CAMPAIGNS, adSpendReports } from './marketing.js';
import { orderItemRow, orderRow, orderVersionTimes, paymentRow, paymentVersionTimes, refundRow, refundVersionTimes } from './orders.js';
import { inventoryFiles, settlementFiles, type PartnerFile } from './partner-files.js';
import { reviewDocument } from './reviews.js';
import type { World } from './world.js';

/**
 * The twelve raw tables: where each lands, how its loads combine, its exact column types, and the
 * rows one load of it holds. MySQL and MongoDB loads are cursor extracts (the current version of
 * every row changed in the window); partner files and REST loads are appends.
 */
export interface TableSpec {
  source: 'shop_mysql' | 'shop_mongo' | 'partner_sftp' | 'web_api';
  table: string;
  system: string;
  format: 'parquet' | 'jsonl';
  disposition: WriteDisposition;
  primaryKey: string[];
  cursorField?: string;
  /** Exact types of Parquet columns; documents (jsonl) have none. */
  schema?: LakeColumn[];
  /** Partner files: rows carry their own `_strata_source_file`. */
  fileSource?: boolean;
  rows(world: World, window: LoadWindow): Iterable<Record<string, unknown>>;
}

const cols = (spec: string): LakeColumn[] =>
  spec.split(/,(?![^()]*\))/).map((c) => {
    const [name, ...type] = c.trim().split(' ');
    return { name, type: type.join(' ') };
  });
const TS = 'TIMESTAMPTZ';
const MONEY = 'DECIMAL(12,2)';

/** Whether any of `times` falls in the window. */
function changedIn(times: number[], w: LoadWindow): boolean {
  return times.some((t) => t > w.from && t <= w.to);
}

const within = (w: LoadWindow) => (t: number) => t > w.from && t <= w.to;

function* fileRows(files: PartnerFile[]): Iterable<Record<string, unknown>> {
  for (const f of files) for (const row of f.rows) yield { ...row, _strata_source_file: f.path };
}

const mysql = (table: string, key: string, schema: string, rows: TableSpec['rows']): TableSpec => ({
  source: 'shop_mysql', table, system: 'mysql', format: 'parquet', disposition: 'merge', primaryKey: [key], cursorField: 'updated_at', schema: cols(schema), rows,
});

export const TABLES: readonly TableSpec[] = [
  mysql('customers', 'customer_id', `customer_id BIGINT, email VARCHAR, first_name VARCHAR, last_name VARCHAR, country_code VARCHAR, phone VARCHAR, marketing_opt_in BOOLEAN, created_at ${TS}, updated_at ${TS}`, function* (world, w) {
    for (const c of world.customers) if (changedIn(customerVersionTimes(c), w)) yield customerRow(c, w.to);
  }),
  mysql('addresses', 'address_id', `address_id BIGINT, customer_id BIGINT, address_type VARCHAR, street VARCHAR, city VARCHAR, postal_code VARCHAR, country_code VARCHAR, is_default BOOLEAN, created_at ${TS}, updated_at ${TS}`, function* (world, w) {
    for (const c of world.customers) for (const a of c.addresses) if (changedIn(addressVersionTimes(a), w)) yield addressRow(a, w.to);
  }),
  mysql('orders', 'order_id', `order_id BIGINT, customer_id BIGINT, session_id VARCHAR, sales_channel VARCHAR, marketplace VARCHAR, status VARCHAR, currency VARCHAR, shipping_country_code VARCHAR, shipping_address_id BIGINT, items_amount ${MONEY}, discount_amount ${MONEY}, shipping_amount ${MONEY}, total_amount ${MONEY}, discount_code VARCHAR, placed_at ${TS}, updated_at ${TS}`, function* (world, w) {
    for (const o of world.orders) if (changedIn(orderVersionTimes(o), w)) yield orderRow(o, w.to);
  }),
  mysql('order_items', 'order_item_id', `order_item_id BIGINT, order_id BIGINT, line_number INTEGER, product_id VARCHAR, sku VARCHAR, quantity INTEGER, unit_price ${MONEY}, created_at ${TS}, updated_at ${TS}`, function* (world, w) {
    for (const o of world.orders) if (o.insertedAt > w.from && o.insertedAt <= w.to) for (const l of o.lines) yield orderItemRow(o, l);
  }),
  mysql('payments', 'payment_id', `payment_id BIGINT, order_id BIGINT, payment_method VARCHAR, status VARCHAR, amount ${MONEY}, currency VARCHAR, created_at ${TS}, updated_at ${TS}`, function* (world, w) {
    for (const o of world.orders) for (const p of o.payments) if (changedIn(paymentVersionTimes(p), w)) yield paymentRow(o, p, w.to);
  }),
  mysql('refunds', 'refund_id', `refund_id BIGINT, order_id BIGINT, order_item_id BIGINT, amount ${MONEY}, currency VARCHAR, reason VARCHAR, status VARCHAR, created_at ${TS}, updated_at ${TS}`, function* (world, w) {
    const refunds = world.orders.flatMap((o) => o.refunds.filter((r) => changedIn(refundVersionTimes(r), w)).map((r) => ({ o, r })));
    for (const { o, r } of refunds.sort((a, b) => a.r.id - b.r.id)) yield refundRow(o, r, w.to);
  }),
  {
    source: 'shop_mongo', table: 'products', system: 'mongodb', format: 'jsonl', disposition: 'merge', primaryKey: ['_id'], cursorField: 'updated_at',
    *rows(world, w) {
      for (const p of world.products) if (changedIn(productVersionTimes(p), w)) yield productDocument(p, w.to);
    },
  },
  {
    source: 'shop_mongo', table: 'reviews', system: 'mongodb', format: 'jsonl', disposition: 'merge', primaryKey: ['_id'], cursorField: 'updated_at',
    *rows(world, w) {
      for (const r of world.reviews) if (r.createdAt > w.from && r.createdAt <= w.to) yield reviewDocument(r);
    },
  },
  {
    source: 'partner_sftp', table: 'inventory_snapshots', system: 'sftp', format: 'parquet', disposition: 'append', primaryKey: [], fileSource: true,
    schema: cols('snapshot_date DATE, supplier_code VARCHAR, sku VARCHAR, warehouse_code VARCHAR, quantity_on_hand INTEGER, quantity_inbound INTEGER'),
    rows: (world, w) => fileRows(inventoryFiles(world.seed, world.inventory, within(w))),
  },
  {
    source: 'partner_sftp', table: 'marketplace_settlements', system: 'sftp', format: 'parquet', disposition: 'append', primaryKey: [], fileSource: true,
    schema: cols(`settlement_id VARCHAR, marketplace VARCHAR, order_reference VARCHAR, settlement_date DATE, gross_amount ${MONEY}, fee_amount ${MONEY}, net_amount ${MONEY}, currency VARCHAR`),
    rows: (world, w) => fileRows(settlementFiles(world.orders, within(w))),
  },
  {
    source: 'web_api', table: 'events', system: 'rest', format: 'parquet', disposition: 'append', primaryKey: [],
    schema: cols(`event_id VARCHAR, event_type VARCHAR, session_id VARCHAR, anonymous_id VARCHAR, customer_id BIGINT, occurred_at ${TS}, received_at ${TS}, device VARCHAR, utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR, page_path VARCHAR, product_id VARCHAR, sku VARCHAR, order_id BIGINT, revenue ${MONEY}, currency VARCHAR`),
    *rows(world, w) {
      // Late and resent events reach back at most a few days before the window.
      const first = Number.isFinite(w.from) ? Math.max(0, Math.floor((w.from - dayAt(0)) / DAY_MS) - 6) : 0;
      const inWindow = within(w);
      for (let index = first; index < world.ordersByDay.length && dayAt(index) <= w.to; index++) {
        for (const e of eventsOfDay(world, index)) {
          if (inWindow(e.receivedAt)) yield e.row!;
          if (e.redeliveredAt !== null && inWindow(e.redeliveredAt)) yield e.row!;
        }
      }
    },
  },
  {
    source: 'web_api', table: 'ad_spend', system: 'rest', format: 'parquet', disposition: 'append', primaryKey: [],
    schema: cols(`spend_date DATE, platform VARCHAR, utm_source VARCHAR, utm_medium VARCHAR, campaign_id VARCHAR, campaign_name VARCHAR, impressions BIGINT, clicks BIGINT, spend ${MONEY}, currency VARCHAR`),
    *rows(world, w) {
      for (let index = 0; index < world.ordersByDay.length; index++) {
        for (const campaign of CAMPAIGNS) {
          const reports = adSpendReports(world.seed, world.scale, campaign, dayAt(index)).filter((r) => r.reportedAt <= w.to);
          // A backfill pulls each day once, as restated so far; daily loads get every new report.
          if (!Number.isFinite(w.from)) {
            if (reports.length) yield reports[reports.length - 1].row;
          } else {
            for (const r of reports) if (r.reportedAt > w.from) yield r.row;
          }
        }
      }
    },
  },
];
