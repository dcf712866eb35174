import { DAY_MS, HOUR_MS, MINUTE_MS, isBlackFridayWeekend } from './calendar.js';
import type { Product } from './catalog.js';
import { iso, type Customer, type IdSequence } from './customers.js';
import type { Currency } from './exchange-rates.js';
import type { Prng } from './prng.js';

/**
 * Orders with their items, payments and refunds, and each order's life after it is placed, drawn
 * when it is placed: shipped, delivered, sometimes cancelled, sometimes returned with refunds weeks
 * later. A row's versions are revealed as time passes; `*Row(x, at)` is the row a cursor extract sees at `at`.
 */

export type SalesChannel = 'web' | 'app' | 'marketplace';

export interface OrderLine {
  id: number;
  lineNumber: number;
  product: Product;
  sku: string;
  quantity: number;
  unitCents: number;
}

export interface Payment {
  id: number;
  method: string;
  failed: boolean;
  amountCents: number;
  createdAt: number;
  voidedAt: number | null;
}

export interface Refund {
  id: number;
  line: OrderLine;
  amountCents: number;
  reason: string | null;
  createdAt: number;
  completedAt: number;
}

export interface Order {
  id: number;
  customer: Customer;
  addressId: number;
  sessionId: string | null;
  device: string | null;
  channel: SalesChannel;
  marketplace: string | null;
  currency: Currency;
  country: string;
  lines: OrderLine[];
  itemsCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
  discountCode: string | null;
  placedAt: number;
  /** When the row reached the shop database: marketplace orders are imported days later. */
  insertedAt: number;
  cancelledAt: number | null;
  shippedAt: number | null;
  deliveredAt: number | null;
  returnedAt: number | null;
  payments: Payment[];
  refunds: Refund[];
}

/** Ids of each table, handed out as the rows are created. */
export interface OrderIds {
  order: IdSequence;
  line: IdSequence;
  payment: IdSequence;
  refund: IdSequence;
}

export const CURRENCY_OF_COUNTRY: Record<string, Currency> = { GB: 'GBP', SE: 'SEK', US: 'USD' };
const FREE_SHIPPING_FROM: Record<Currency, number> = { EUR: 6000, GBP: 5000, USD: 7000, SEK: 60000 };
const SHIPPING_FEE: Record<Currency, number> = { EUR: 490, GBP: 395, USD: 590, SEK: 4900 };
const REASONS = ['wrong_size', 'damaged', 'not_as_described', 'changed_mind'];

export interface PlaceOrder {
  customer: Customer;
  placedAt: number;
  channel: SalesChannel;
  lines: Omit<OrderLine, 'id' | 'lineNumber'>[];
  /** Whether this is the customer's first order (welcome codes). */
  firstOrder: boolean;
}

/** Places an order and draws its whole future from `rng` (the order's own stream). */
export function placeOrder(rng: Prng, ids: OrderIds, input: PlaceOrder): Order {
  const { customer, placedAt, channel } = input;
  const shipping = customer.addresses.find((a) => a.type === 'shipping')!;
  const currency = CURRENCY_OF_COUNTRY[shipping.countryCode] ?? 'EUR';
  const id = ids.order.next();
  const lines = input.lines.map((l, i) => ({ ...l, id: ids.line.next(), lineNumber: i + 1 }));
  const itemsCents = lines.reduce((sum, l) => sum + l.quantity * l.unitCents, 0);
  const month = new Date(placedAt).getUTCMonth();
  const dom = new Date(placedAt).getUTCDate();
  let code: string | null = null;
  let percent = 0;
  if (channel !== 'marketplace') {
    if (isBlackFridayWeekend(Math.floor(placedAt / DAY_MS) * DAY_MS) && rng.chance(0.7)) [code, percent] = ['BLACKFRIDAY20', 20];
    else if (month === 11 && dom <= 20 && rng.chance(0.25)) [code, percent] = ['XMAS10', 10];
    else if (input.firstOrder && rng.chance(0.25)) [code, percent] = ['WELCOME10', 10];
  }
  const discountCents = Math.round((itemsCents * percent) / 100);
  const shippingCents = channel === 'marketplace' || itemsCents >= FREE_SHIPPING_FROM[currency] ? 0 : SHIPPING_FEE[currency];
  const totalCents = itemsCents - discountCents + shippingCents;
  const marketplace = channel === 'marketplace' ? (rng.chance(0.6) ? 'amazon' : 'zalando') : null;
  const insertedAt = channel === 'marketplace' ? placedAt + rng.int(1, 3) * DAY_MS + rng.int(0, 5) * HOUR_MS : placedAt;
  const cancelled = channel !== 'marketplace' && rng.chance(0.03);
  const cancelledAt = cancelled ? placedAt + rng.int(10, 600) * MINUTE_MS : null;
  const shippedAt = cancelled ? null : placedAt + rng.int(4, 48) * HOUR_MS;
  const deliveredAt = shippedAt === null ? null : shippedAt + rng.int(1, 5) * DAY_MS + rng.int(0, 10) * HOUR_MS;
  const order: Order = {
    id,
    customer,
    addressId: shipping.id,
    sessionId: channel === 'marketplace' ? null : rng.hex(24),
    device: channel === 'web' ? (rng.chance(0.55) ? 'desktop' : 'mobile_web') : channel === 'app' ? (rng.chance(0.6) ? 'ios_app' : 'android_app') : null,
    channel,
    marketplace,
    currency,
    country: shipping.countryCode,
    lines,
    itemsCents,
    discountCents,
    shippingCents,
    totalCents,
    discountCode: code,
    placedAt,
    insertedAt,
    cancelledAt,
    shippedAt,
    deliveredAt,
    returnedAt: null,
    payments: [],
    refunds: [],
  };
  const method = channel === 'marketplace' ? 'marketplace' : rng.weighted([['card', 55], ['paypal', 25], ['klarna', 20]] as const);
  if (channel !== 'marketplace' && rng.chance(0.04)) order.payments.push({ id: ids.payment.next(), method: rng.pick(['card', 'paypal']), failed: true, amountCents: totalCents, createdAt: placedAt + 20_000, voidedAt: null });
  order.payments.push({ id: ids.payment.next(), method, failed: false, amountCents: totalCents, createdAt: channel === 'marketplace' ? insertedAt : placedAt + 60_000, voidedAt: cancelledAt });
  if (deliveredAt !== null) drawReturns(rng, ids, order, deliveredAt);
  return order;
}

/** Returns: apparel and footwear come back more often; each returned line is refunded 2-6 weeks after delivery. */
function drawReturns(rng: Prng, ids: OrderIds, order: Order, deliveredAt: number): void {
  const wearable = order.lines.some((l) => l.product.categories[0].id === 'apparel' || l.product.categories[0].id === 'footwear');
  if (!rng.chance(wearable ? 0.16 : 0.05)) return;
  const returned = order.lines.filter(() => rng.chance(0.6));
  if (!returned.length) returned.push(order.lines[0]);
  const createdAt = deliveredAt + rng.int(14, 42) * DAY_MS + rng.int(0, 23) * HOUR_MS;
  for (const line of returned) {
    // The line's share of what was paid for items: the order discount is not refunded.
    const amountCents = Math.floor((line.quantity * line.unitCents * (order.itemsCents - order.discountCents)) / order.itemsCents);
    order.refunds.push({ id: ids.refund.next(), line, amountCents, reason: rng.chance(0.1) ? null : rng.pick(REASONS), createdAt, completedAt: createdAt + rng.int(2, 6) * DAY_MS });
  }
  if (returned.length === order.lines.length) order.returnedAt = Math.max(...order.refunds.map((r) => r.completedAt));
}

/** The order's status at `at`. */
export function orderStatus(o: Order, at: number): string {
  if (o.cancelledAt !== null && o.cancelledAt <= at) return 'cancelled';
  if (o.returnedAt !== null && o.returnedAt <= at) return 'returned';
  if (o.deliveredAt !== null && o.deliveredAt <= at) return 'delivered';
  if (o.shippedAt !== null && o.shippedAt <= at) return 'shipped';
  return 'placed';
}

/** Times the order row changed (never before it reached the database). */
export function orderVersionTimes(o: Order): number[] {
  const times = [o.placedAt, o.cancelledAt, o.shippedAt, o.deliveredAt, o.returnedAt].filter((t): t is number => t !== null).map((t) => Math.max(t, o.insertedAt));
  return [...new Set(times)].sort((a, b) => a - b);
}

export function orderRow(o: Order, at: number): Record<string, unknown> {
  const updatedAt = orderVersionTimes(o).filter((t) => t <= at).at(-1)!;
  return {
    order_id: o.id,
    customer_id: o.customer.id,
    session_id: o.sessionId,
    sales_channel: o.channel,
    marketplace: o.marketplace,
    status: orderStatus(o, at),
    currency: o.currency,
    shipping_country_code: o.country,
    shipping_address_id: o.addressId,
    items_amount: money(o.itemsCents),
    discount_amount: money(o.discountCents),
    shipping_amount: money(o.shippingCents),
    total_amount: money(o.totalCents),
    discount_code: o.discountCode,
    placed_at: iso(o.placedAt),
    updated_at: iso(updatedAt),
  };
}

export function orderItemRow(o: Order, l: OrderLine): Record<string, unknown> {
  return {
    order_item_id: l.id,
    order_id: o.id,
    line_number: l.lineNumber,
    product_id: l.product.id,
    sku: l.sku,
    quantity: l.quantity,
    unit_price: money(l.unitCents),
    created_at: iso(o.placedAt),
    updated_at: iso(o.insertedAt),
  };
}

export function paymentVersionTimes(p: Payment): number[] {
  return p.voidedAt !== null ? [p.createdAt, Math.max(p.voidedAt, p.createdAt)] : [p.createdAt];
}

/** A payment's status at `at`: failed, captured, or voided once its order is cancelled. */
export function paymentStatus(p: Payment, at: number): string {
  return p.failed ? 'failed' : p.voidedAt !== null && p.voidedAt <= at ? 'voided' : 'captured';
}

export function paymentRow(o: Order, p: Payment, at: number): Record<string, unknown> {
  return {
    payment_id: p.id,
    order_id: o.id,
    payment_method: p.method,
    status: paymentStatus(p, at),
    amount: money(p.amountCents),
    currency: o.currency,
    created_at: iso(p.createdAt),
    updated_at: iso(paymentVersionTimes(p).filter((t) => t <= at).at(-1)!),
  };
}

export function refundVersionTimes(r: Refund): number[] {
  return [r.createdAt, r.completedAt];
}

export function refundStatus(r: Refund, at: number): string {
  return r.completedAt <= at ? 'completed' : 'pending';
}

export function refundRow(o: Order, r: Refund, at: number): Record<string, unknown> {
  return {
    refund_id: r.id,
    order_id: o.id,
    order_item_id: r.line.id,
    amount: money(r.amountCents),
    currency: o.currency,
    reason: r.reason,
    status: refundStatus(r, at),
    created_at: iso(r.createdAt),
    updated_at: iso(r.completedAt <= at ? r.completedAt : r.createdAt),
  };
}

/** Cents as exact decimal text: 1230 → "12.30". */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
