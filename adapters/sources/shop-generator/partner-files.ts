import { DAY_MS, HOUR_MS, MINUTE_MS, dayAt, isoDate } from './calendar.js';
import type { Inventory } from './inventory.js';
import { money, type Order } from './orders.js';
import { stream } from './prng.js';

/**
 * The partner files that arrive over SFTP: each supplier's daily stock report (gzipped CSV from
 * suppliers a and b, plain CSV from c, which also writes skus in lower case with a trailing
 * space; about 2% of files are sent again the next day) and the marketplaces' weekly settlements.
 */

/** One partner file's rows and when it was put on the SFTP server. */
export interface PartnerFile {
  path: string;
  deliveredAt: number;
  rows: Record<string, unknown>[];
}

/** The stock reports of each supplier, per day, in day order; resent copies are extra files. */
export function inventoryFiles(seed: number, inventory: Inventory, within: (deliveredAt: number) => boolean): PartnerFile[] {
  const { day, sku, onHand, inbound } = inventory.snapshots;
  const files = new Map<string, PartnerFile>();
  const wanted = new Map<number, boolean>();
  const dates = new Map<number, string>();
  const isWanted = (index: number) => {
    let hit = wanted.get(index);
    if (hit === undefined) {
      const d = dayAt(index);
      hit = within(d + 90 * MINUTE_MS) || within(d + DAY_MS + 100 * MINUTE_MS);
      wanted.set(index, hit);
    }
    return hit;
  };
  for (let i = 0; i < day.length; i++) {
    if (!isWanted(day[i])) continue;
    const state = inventory.skus[sku[i]];
    const supplier = state.variant.supplier;
    const date = dates.get(day[i]) ?? dates.set(day[i], isoDate(dayAt(day[i]))).get(day[i])!;
    const key = `${date}|${supplier}`;
    let file = files.get(key);
    if (!file) {
      file = { path: `inventory/${date}/${supplier}.${supplier === 'supplier_c' ? 'csv' : 'csv.gz'}`, deliveredAt: dayAt(day[i]) + 90 * MINUTE_MS, rows: [] };
      files.set(key, file);
    }
    file.rows.push({
      snapshot_date: date,
      supplier_code: supplier,
      sku: supplier === 'supplier_c' ? `${state.variant.sku.toLowerCase()} ` : state.variant.sku,
      warehouse_code: sku[i] % 10 < 3 ? 'WH-SE1' : 'WH-DE1',
      quantity_on_hand: onHand[i],
      quantity_inbound: inbound[i] < 0 ? null : inbound[i],
    });
  }
  const out: PartnerFile[] = [];
  for (const file of files.values()) {
    if (within(file.deliveredAt)) out.push(file);
    const index = Math.round((file.deliveredAt - 90 * MINUTE_MS - dayAt(0)) / DAY_MS);
    const resentAt = file.deliveredAt + DAY_MS + 10 * MINUTE_MS;
    if (stream(seed, 'resend', index, file.path).chance(0.02) && within(resentAt)) out.push({ ...file, deliveredAt: resentAt });
  }
  return out;
}

const FEE_PERCENT: Record<string, number> = { amazon: 12, zalando: 15 };

/** The Monday after the week (Monday to Sunday) of `at`. */
function nextMonday(at: number): number {
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return day + (7 - weekday) * DAY_MS;
}

/** Weekly settlement files of the marketplaces: every marketplace order delivered the week before. */
export function settlementFiles(orders: Order[], within: (deliveredAt: number) => boolean): PartnerFile[] {
  const files = new Map<string, PartnerFile>();
  for (const order of orders) {
    if (order.channel !== 'marketplace' || order.deliveredAt === null) continue;
    // Never before the order reached the shop database (marketplace orders are imported late).
    const monday = nextMonday(Math.max(order.deliveredAt, order.insertedAt));
    const deliveredAt = monday + 2 * HOUR_MS;
    if (!within(deliveredAt)) continue;
    const date = isoDate(monday);
    const key = `${date}|${order.marketplace}`;
    let file = files.get(key);
    if (!file) {
      file = { path: `settlements/${date}/${order.marketplace}.csv`, deliveredAt, rows: [] };
      files.set(key, file);
    }
    const fee = Math.floor((order.totalCents * FEE_PERCENT[order.marketplace!] + 50) / 100);
    file.rows.push({
      settlement_id: `${order.marketplace === 'amazon' ? 'AMZ' : 'ZAL'}-${date}-${String(file.rows.length + 1).padStart(6, '0')}`,
      marketplace: order.marketplace,
      order_reference: `SHOP-${String(order.id).padStart(6, '0')}`,
      settlement_date: date,
      gross_amount: money(order.totalCents),
      fee_amount: money(fee),
      net_amount: money(order.totalCents - fee),
      currency: order.currency,
    });
  }
  return [...files.values()].sort((a, b) => a.deliveredAt - b.deliveredAt || a.path.localeCompare(b.path));
}

