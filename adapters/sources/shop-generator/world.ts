import { DAY_MS, HISTORY_START, HOUR_WEIGHTS, dayAt, demand, lastOrderDay, loadWindows, type LoadWindow } from './calendar.js';
import { buildCatalog, isSellable, listPriceCents, seasonFactor, type Product } from './catalog.js';
import { idSequence, newCustomer, type Customer } from './customers.js';
import { Inventory } from './inventory.js';
import { CURRENCY_OF_COUNTRY, placeOrder, type Order, type OrderIds, type OrderLine, type SalesChannel } from './orders.js';
import { stream, type Prng } from './prng.js';
import { drawReviews, type Review } from './reviews.js';

/**
 * The simulated shop: every customer, order, price and stock movement from the first day of the
 * history to the last day `--day` asks for, simulated day by day. Each day draws from its own
 * streams and only from what happened before it, so a longer run never changes an earlier day.
 */
export interface World {
  seed: number;
  scale: number;
  day: number;
  windows: LoadWindow[];
  /** The last load's cutoff: what the lake knows once every load is landed. */
  cutoff: number;
  /** The last simulated day (its midnight). */
  lastDay: number;
  products: Product[];
  customers: Customer[];
  /** How many customers existed at the start of each day (ids 1..n). */
  customersAtDayStart: number[];
  orders: Order[];
  ordersByDay: Order[][];
  inventory: Inventory;
  reviews: Review[];
}

/** Orders per day at scale 1 and average demand: ~100,000 over the two years. */
const ORDERS_PER_DAY = 100_000 / 730;
const NEW_BUYER_SHARE = 0.09;
const SIGNUPS_PER_DAY = 1.6;

export function simulateWorld(seed: number, scale: number, day: number): World {
  const windows = loadWindows(day);
  const lastDay = lastOrderDay(day);
  const products = buildCatalog(seed, scale);
  const inventory = new Inventory(seed, products, scale);
  const customers: Customer[] = [];
  const customerIds = idSequence();
  const addressIds = idSequence();
  const ids: OrderIds = { order: idSequence(), line: idSequence(), payment: idSequence(), refund: idSequence() };
  const pool = new CustomerPool();
  const orders: Order[] = [];
  const ordersByDay: Order[][] = [];
  const customersAtDayStart: number[] = [];
  const ordered = new Set<number>();

  const signUp = (at: number, buying: boolean) => {
    const id = customerIds.next();
    const customer = newCustomer(stream(seed, 'customer', id), id, at, addressIds);
    customers.push(customer);
    pool.add(customer, buying ? 1 : 0.3);
    return customer;
  };

  for (let index = 0; dayAt(index) <= lastDay; index++) {
    const today = dayAt(index);
    customersAtDayStart.push(customers.length);
    inventory.startOfDay(today);
    const rng = stream(seed, 'day', index);
    const factor = demand(today);
    const picker = new ProductPicker(products, today + DAY_MS / 2);
    const years = (today - HISTORY_START) / (365 * DAY_MS);
    const channels: [SalesChannel, number][] = [['web', 60 - 10 * years], ['app', 25 + 10 * years], ['marketplace', 15]];
    const moments = [
      ...Array.from({ length: rng.poisson(SIGNUPS_PER_DAY * scale * factor) }, () => ({ at: timeOfDay(rng, today), order: false })),
      ...Array.from({ length: rng.poisson(ORDERS_PER_DAY * scale * factor) }, () => ({ at: timeOfDay(rng, today), order: true })),
    ].sort((a, b) => a.at - b.at);
    const todays: Order[] = [];
    for (const moment of moments) {
      if (!moment.order) {
        signUp(moment.at, false);
        continue;
      }
      const lines = pickLines(rng, picker, inventory);
      if (!lines) continue; // everything wanted was out of stock: a lost sale
      const existing = customers.length && !rng.chance(NEW_BUYER_SHARE) ? pool.pick(rng) : undefined;
      const customer = existing ?? signUp(Math.max(today, moment.at - rng.int(60, 900) * 1000), true);
      const currency = CURRENCY_OF_COUNTRY[customer.addresses[0].countryCode] ?? 'EUR';
      const priced = lines.map((l) => ({ ...l, unitCents: listPriceCents(l.product, currency, moment.at) }));
      const order = placeOrder(stream(seed, 'order', orders.length + 1), ids, { customer, placedAt: moment.at, channel: rng.weighted(channels), lines: priced, firstOrder: !ordered.has(customer.id) });
      ordered.add(customer.id);
      for (const l of lines) inventory.take(l.sku, l.quantity);
      orders.push(order);
      todays.push(order);
    }
    ordersByDay.push(todays);
    inventory.endOfDay(today);
  }
  const cutoff = windows[windows.length - 1].to;
  return { seed, scale, day, windows, cutoff, lastDay, products, customers, customersAtDayStart, orders, ordersByDay, inventory, reviews: drawReviews(seed, orders) };
}

/** A moment of `day`, following the hour-of-day curve. */
function timeOfDay(rng: Prng, day: number): number {
  return day + rng.weighted(HOUR_WEIGHTS) * 3_600_000 + rng.int(0, 3599) * 1000;
}

type PickedLine = Omit<OrderLine, 'id' | 'lineNumber' | 'unitCents'>;

/** The lines of an order: products by popularity and season, skipping what is out of stock. */
function pickLines(rng: Prng, picker: ProductPicker, inventory: Inventory): PickedLine[] | undefined {
  const count = rng.weighted([[1, 50], [2, 30], [3, 14], [4, 6]] as const);
  const lines: PickedLine[] = [];
  for (let i = 0; i < count; i++) {
    const quantity = rng.weighted([[1, 80], [2, 15], [3, 5]] as const);
    for (let attempt = 0; attempt < 3; attempt++) {
      const product = picker.pick(rng);
      if (!product) return undefined;
      const variant = rng.weighted(product.variants.map((v) => [v, v.weight] as const));
      if (lines.some((l) => l.sku === variant.sku) || inventory.available(variant.sku) < quantity) continue;
      lines.push({ product, sku: variant.sku, quantity });
      break;
    }
  }
  return lines.length ? lines : undefined;
}

/** Weighted choice among the products on sale on a day (binary search over cumulative weights). */
class ProductPicker {
  private readonly products: Product[] = [];
  private readonly cumulative: number[] = [];

  constructor(products: Product[], at: number) {
    let total = 0;
    for (const p of products) {
      if (!isSellable(p, at)) continue;
      total += p.popularity * seasonFactor(p, at);
      this.products.push(p);
      this.cumulative.push(total);
    }
  }

  pick(rng: Prng): Product | undefined {
    if (!this.products.length) return undefined;
    return this.products[search(this.cumulative, rng.next() * this.cumulative[this.cumulative.length - 1])];
  }
}

/** Repeat buyers: customers weighted by their propensity to order again. */
class CustomerPool {
  private readonly customers: Customer[] = [];
  private readonly cumulative: number[] = [];

  add(customer: Customer, weight: number): void {
    this.customers.push(customer);
    this.cumulative.push((this.cumulative.at(-1) ?? 0) + customer.propensity * weight);
  }

  pick(rng: Prng): Customer {
    return this.customers[search(this.cumulative, rng.next() * this.cumulative[this.cumulative.length - 1])];
  }
}

/** The first index whose cumulative weight exceeds `value`. */
function search(cumulative: number[], value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

