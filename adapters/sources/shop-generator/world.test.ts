import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORY_END, dayIndex, isoDate, loadWindows } from './calendar.js';
import { exchangeRatesCsv, toEurCents } from './exchange-rates.js';
import { computeGroundTruth } from './ground-truth.js';
import { TABLES } from './tables.js';
import { simulateWorld, type World } from './world.js';

// In-memory checks of the simulation: no lake is written here (see generate-shop.test.ts).

/** A hash of every row every table lands in every load window of the world. */
function landedHash(world: World): string {
  const hash = createHash('sha256');
  for (const spec of TABLES) for (const w of world.windows) for (const row of spec.rows(world, w)) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

describe('shop world simulation', () => {
  it('is deterministic: the same seed gives the same rows and ground truth, another seed other ones', () => {
    const a = simulateWorld(7, 0.02, 1);
    const b = simulateWorld(7, 0.02, 1);
    const c = simulateWorld(8, 0.02, 1);
    expect(landedHash(a)).toBe(landedHash(b));
    expect(computeGroundTruth(a)).toEqual(computeGroundTruth(b));
    expect(landedHash(c)).not.toBe(landedHash(a));
    expect(computeGroundTruth(c).daily_revenue).not.toEqual(computeGroundTruth(a).daily_revenue);
  }, 120_000);

  it('a later --day changes nothing the earlier loads landed', () => {
    const day1 = simulateWorld(3, 0.02, 1);
    const day2 = simulateWorld(3, 0.02, 2);
    expect(day2.windows.slice(0, day1.windows.length)).toEqual(day1.windows);
    for (const spec of TABLES) {
      for (const w of day1.windows) expect([...spec.rows(day2, w)], `${spec.table} in ${w.name}`).toEqual([...spec.rows(day1, w)]);
    }
    // Day 2's one new load: new orders of the day after the history, and updates of older ones.
    const last = day2.windows.at(-1)!;
    expect(last).toMatchObject({ name: '2026-07-02', day: 2 });
    const orders = [...TABLES.find((t) => t.table === 'orders')!.rows(day2, last)] as { placed_at: string; status: string }[];
    expect(orders.some((o) => o.placed_at.startsWith('2026-07-01'))).toBe(true);
    expect(orders.some((o) => o.placed_at < '2026-06-30' && o.status !== 'placed')).toBe(true);
    expect(computeGroundTruth(day2).summary.last_date).toBe('2026-07-01');
  }, 120_000);

  it('grows linearly with the scale', () => {
    const small = simulateWorld(5, 0.1, 1);
    const large = simulateWorld(5, 0.3, 1);
    const ratio = (f: (w: World) => number) => f(large) / f(small);
    expect(ratio((w) => w.orders.length)).toBeGreaterThan(2.7);
    expect(ratio((w) => w.orders.length)).toBeLessThan(3.3);
    expect(ratio((w) => w.customers.length)).toBeGreaterThan(2.6);
    expect(ratio((w) => w.customers.length)).toBeLessThan(3.4);
    expect(ratio((w) => w.products.length)).toBeCloseTo(3, 0);
    const rows = (w: World) => (computeGroundTruth(w).summary.staging_rows as Record<string, number>).stg_web_api__events;
    expect(ratio(rows)).toBeGreaterThan(2.7);
    expect(ratio(rows)).toBeLessThan(3.3);
  }, 120_000);

  it('at scale 1 is a shop of about 10,000 customers and 100,000 orders over two years, with seasons and repeat buyers', () => {
    const world = simulateWorld(42, 1, 1);
    expect(world.customers.length).toBeGreaterThan(9_000);
    expect(world.customers.length).toBeLessThan(11_000);
    expect(world.orders.length).toBeGreaterThan(90_000);
    expect(world.orders.length).toBeLessThan(110_000);
    const perMonth = (month: string) => world.orders.filter((o) => isoDate(o.placedAt).startsWith(month)).length;
    expect(perMonth('2025-12')).toBeGreaterThan(1.6 * perMonth('2025-02'));
    const blackFriday = world.ordersByDay[dayIndex(Date.UTC(2025, 10, 28))].length;
    const fridayBefore = world.ordersByDay[dayIndex(Date.UTC(2025, 10, 14))].length;
    expect(blackFriday).toBeGreaterThan(2.5 * fridayBefore);
    const truth = computeGroundTruth(world);
    expect(truth.orders_per_customer.filter((c) => c.orders > 1).length).toBeGreaterThan(truth.orders_per_customer.length / 2);
    expect(truth.stock.skus.some((s) => s.quantity_on_hand === 0) || world.inventory.snapshots.onHand.some((q) => q === 0)).toBe(true);
    expect(new Set(world.orders.map((o) => o.currency))).toEqual(new Set(['EUR', 'GBP', 'USD', 'SEK']));
    expect(world.orders.every((o) => o.customer.createdAt <= o.placedAt)).toBe(true);
    expect(world.orders.at(-1)!.placedAt).toBeLessThan(HISTORY_END + 86_400_000);
  }, 120_000);

  it('the first product changes price in a daily load after the backfill', () => {
    const world = simulateWorld(1, 0.02, 1);
    const products = TABLES.find((t) => t.table === 'products')!;
    const [backfill, ...daily] = world.windows;
    const first = [...products.rows(world, backfill)].find((p) => p._id === world.products[0].id) as { variants: { prices: { amount: number }[] }[] };
    const later = daily.flatMap((w) => [...products.rows(world, w)]).filter((p) => p._id === world.products[0].id) as typeof first[];
    expect(later).toHaveLength(1);
    expect(later[0].variants[0].prices[0].amount).not.toBe(first.variants[0].prices[0].amount);
  });
});

describe('exchange rates', () => {
  it('the committed seed is the generated one', () => {
    expect(readFileSync(path.resolve(__dirname, '../../../seeds/exchange_rates.csv'), 'utf8')).toBe(exchangeRatesCsv());
  });

  it('converts per amount, rounding half away from zero as DuckDB rounds DECIMAL', () => {
    const day = Date.UTC(2025, 0, 15);
    expect(toEurCents(1234, 'EUR', day)).toBe(1234);
    const micros = Number(exchangeRatesCsv().split('\n').find((l) => l.startsWith('2025-01-15,GBP'))!.split(',')[2]) * 1_000_000;
    expect(toEurCents(1000, 'GBP', day)).toBe(Math.round((1000 * Math.round(micros)) / 1_000_000));
  });

  it('covers every load window of a year of --day', () => {
    expect(() => toEurCents(100, 'SEK', loadWindows(365).at(-1)!.to)).not.toThrow();
  });
});
