import { DAY_MS, dayIndex, demand } from './calendar.js';
import type { Product, Variant } from './catalog.js';
import { stream } from './prng.js';

/**
 * Stock per sku, simulated day by day: sales take units, suppliers refill when stock falls below a
 * reorder point after a lead time (sometimes three times longer: a stock-out), and every morning
 * each supplier reports what is on hand. Snapshots are kept in flat arrays: at scale 10 there are
 * millions.
 */

interface SkuState {
  product: Product;
  variant: Variant;
  onHand: number;
  expectedDaily: number;
  order: { quantity: number; arrives: number } | null;
  started: boolean;
}

/** The stock reports: parallel arrays, one entry per (day, sku). */
export interface StockSnapshots {
  day: number[];
  sku: number[];
  onHand: number[];
  /** -1: no open purchase order. */
  inbound: number[];
}

/** Units sold per day at scale 1, across the catalogue (orders × lines × quantity). */
const UNITS_PER_DAY = 300;

export class Inventory {
  readonly skus: SkuState[] = [];
  readonly snapshots: StockSnapshots = { day: [], sku: [], onHand: [], inbound: [] };
  private readonly bySku = new Map<string, number>();

  constructor(
    private readonly seed: number,
    products: Product[],
    scale: number,
  ) {
    const popularity = products.reduce((sum, p) => sum + p.popularity, 0);
    for (const product of products) {
      const weights = product.variants.reduce((sum, v) => sum + v.weight, 0);
      for (const variant of product.variants) {
        const expectedDaily = (UNITS_PER_DAY * scale * product.popularity * variant.weight) / popularity / weights;
        this.bySku.set(variant.sku, this.skus.length);
        this.skus.push({ product, variant, onHand: 0, expectedDaily, order: null, started: false });
      }
    }
  }

  /** The morning of `day`: deliveries arrive, then every stocked sku is reported. */
  startOfDay(day: number): void {
    const index = dayIndex(day);
    this.skus.forEach((s, i) => {
      if (!s.started) {
        if (s.product.createdAt >= day + DAY_MS) return;
        s.started = true;
        s.onHand = Math.round(45 * s.expectedDaily) + 5;
      }
      if (s.order && s.order.arrives <= day) {
        s.onHand += s.order.quantity;
        s.order = null;
      }
      this.snapshots.day.push(index);
      this.snapshots.sku.push(i);
      this.snapshots.onHand.push(s.onHand);
      this.snapshots.inbound.push(s.order ? s.order.quantity : -1);
    });
  }

  /** Units of a sku that can still be sold. */
  available(sku: string): number {
    const s = this.skus[this.bySku.get(sku)!];
    return s.started ? s.onHand : 0;
  }

  take(sku: string, quantity: number): void {
    this.skus[this.bySku.get(sku)!].onHand -= quantity;
  }

  /** The evening of `day`: skus below their reorder point get a purchase order. */
  endOfDay(day: number): void {
    const index = dayIndex(day);
    const season = demand(day);
    this.skus.forEach((s, i) => {
      if (!s.started || s.order || s.product.discontinuedAt !== null) return;
      if (s.onHand > 14 * s.expectedDaily * season) return;
      const rng = stream(this.seed, 'purchase-order', i, index);
      const lead = rng.int(5, 12) * (rng.chance(0.1) ? 3 : 1);
      s.order = { quantity: Math.max(5, Math.round(40 * s.expectedDaily * season * (0.8 + 0.4 * rng.next()))), arrives: day + lead * DAY_MS };
    });
  }

  skuIndex(sku: string): number {
    return this.bySku.get(sku)!;
  }
}
