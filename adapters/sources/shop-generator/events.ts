import { DAY_MS, HOUR_MS, HOUR_WEIGHTS, dayAt, demand } from './calendar.js';
import type { Product } from './catalog.js';
import { iso } from './customers.js';
import { drawUtm } from './marketing.js';
import { money, type Order } from './orders.js';
import { stream, type Prng } from './prng.js';
import type { World } from './world.js';

/**
 * Web and app tracking events, as the REST API returns them: one session per web/app order (ending
 * in its purchase) and many more sessions that buy nothing. Generated lazily, one day at a time
 * from the day's own streams (there are about a million at scale 1). Dirt: app events buffered
 * offline arrive days late; about 1% of events are delivered twice.
 */

/** One event as landed, with when the API received it and, for duplicates, when it sent it again. */
export interface TrackedEvent {
  type: string;
  sessionId: string;
  occurredAt: number;
  /** The landed row; absent when only counting (`eventsOfDay(..., true)`). */
  row?: Record<string, unknown>;
  receivedAt: number;
  redeliveredAt: number | null;
}

const BROWSING_SESSIONS_PER_ORDER = 1.0;
const ORDERS_PER_DAY = 100_000 / 730;

interface Session {
  rng: Prng;
  id: string;
  anonymousId: string;
  customerId: number | null;
  loggedIn: boolean;
  device: string;
  /** Added to every event's time: app events buffered offline arrive late. */
  lateBy: number;
  events: TrackedEvent[];
  /** Counting only: the same random draws, no rows. */
  light: boolean;
}

/** The events of sessions that started on day `index`; `light` skips building rows (same events, for counting). */
export function eventsOfDay(world: World, index: number, light = false): TrackedEvent[] {
  const day = dayAt(index);
  const events: TrackedEvent[] = [];
  for (const order of world.ordersByDay[index] ?? []) if (order.sessionId) events.push(...buyingSession(world, order, light));
  const rng = stream(world.seed, 'browsing', index);
  const sessions = rng.poisson(BROWSING_SESSIONS_PER_ORDER * ORDERS_PER_DAY * world.scale * demand(day));
  const customers = world.customersAtDayStart[index] ?? 0;
  for (let i = 0; i < sessions; i++) {
    const start = day + rng.weighted(HOUR_WEIGHTS) * HOUR_MS + rng.int(0, 3599) * 1000;
    const device = rng.weighted([['desktop', 35], ['mobile_web', 40], ['ios_app', 15], ['android_app', 10]] as const);
    const customerId = customers && rng.chance(0.25) ? rng.int(1, customers) : null;
    events.push(...browsingSession(world, stream(world.seed, 'browsing', index, i), start, device, customerId, light));
  }
  return events;
}

function openSession(world: World, rng: Prng, device: string, customerId: number | null, loggedIn: boolean, light: boolean): Session {
  const app = device.endsWith('_app');
  return {
    rng,
    id: rng.hex(24),
    anonymousId: customerId !== null && rng.chance(0.8) ? stream(world.seed, 'anonymous', customerId, app ? 'app' : 'web').hex(20) : rng.hex(20),
    customerId,
    loggedIn,
    device,
    lateBy: app && rng.chance(0.08) ? rng.int(1, 3) * DAY_MS + rng.int(0, 12) * HOUR_MS : 0,
    events: [],
    light,
  };
}

function track(s: Session, type: string, at: number, fields: Record<string, unknown> = {}, identified = s.loggedIn): void {
  const rng = s.rng;
  const receivedAt = at + s.lateBy + rng.int(0, 4000);
  const duplicate = rng.chance(0.01);
  const event: TrackedEvent = { type, sessionId: s.id, occurredAt: at, receivedAt, redeliveredAt: duplicate ? receivedAt + (rng.chance(0.5) ? 60_000 : DAY_MS) : null };
  s.events.push(event);
  if (s.light) {
    rng.hex(32); // the event id's draws, so that both modes stay in step
    return;
  }
  event.row = {
    event_id: rng.hex(32),
    event_type: type,
    session_id: s.id,
    anonymous_id: s.anonymousId,
    customer_id: identified ? s.customerId : null,
    occurred_at: iso(at),
    received_at: iso(receivedAt),
    device: s.device,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    page_path: null,
    product_id: null,
    sku: null,
    order_id: null,
    revenue: null,
    currency: null,
    ...fields,
  };
}

function startSession(s: Session, at: number): void {
  const utm = drawUtm(s.rng, at);
  track(s, 'session_start', at, { utm_source: utm.source, utm_medium: utm.medium, utm_campaign: utm.campaign, page_path: '/' });
}

/** The session that placed a web or app order: it ends with the purchase, at the order's time. */
function buyingSession(world: World, order: Order, light: boolean): TrackedEvent[] {
  const rng = stream(world.seed, 'session', order.id);
  const s = openSession(world, rng, order.device!, order.customer.id, rng.chance(0.5), light);
  s.id = order.sessionId!;
  // The steps first, then their times counted back from the purchase.
  const steps: [string, Record<string, unknown>, boolean][] = [];
  for (let i = rng.int(0, 2); i > 0; i--) steps.push(['page_view', { page_path: `/c/${rng.pick(world.products).categories[1].id}` }, s.loggedIn]);
  order.lines.forEach((line, i) => {
    if (i === 0 || rng.chance(0.5)) steps.push(['page_view', { page_path: `/p/${line.product.id}`, product_id: line.product.id }, s.loggedIn]);
    steps.push(['add_to_cart', { product_id: line.product.id, sku: line.sku }, s.loggedIn]);
  });
  steps.push(['checkout', { page_path: '/checkout' }, true]);
  let gaps = steps.map(() => rng.int(15, 120) * 1000);
  const lead = rng.int(5, 60) * 1000;
  // A session never starts the day before its order: every row of a day is born on that day.
  const room = order.placedAt - Math.floor(order.placedAt / DAY_MS) * DAY_MS - lead;
  const needed = gaps.reduce((sum, g) => sum + g, 0);
  if (needed > room) gaps = gaps.map((g) => Math.floor((g * Math.max(0, room)) / needed));
  let at = order.placedAt - gaps.reduce((sum, g) => sum + g, 0) - Math.min(lead, order.placedAt - Math.floor(order.placedAt / DAY_MS) * DAY_MS);
  startSession(s, at);
  steps.forEach(([type, fields, identified], i) => {
    at += gaps[i];
    track(s, type, at, fields, identified);
  });
  track(s, 'purchase', order.placedAt, { page_path: '/checkout', order_id: order.id, revenue: money(order.totalCents), currency: order.currency }, true);
  return s.events;
}

/** A session that buys nothing: a few pages, sometimes a cart, rarely a checkout. */
function browsingSession(world: World, rng: Prng, start: number, device: string, customerId: number | null, light: boolean): TrackedEvent[] {
  const s = openSession(world, rng, device, customerId, customerId !== null, light);
  let at = start;
  const step = () => (at += rng.int(10, 150) * 1000);
  startSession(s, at);
  const product = (): Product => {
    for (let i = 0; i < 4; i++) {
      const p = rng.pick(world.products);
      if (p.createdAt <= at) return p;
    }
    return world.products[0];
  };
  for (let i = rng.int(0, 2); i > 0; i--) {
    const p = product();
    track(s, 'page_view', step(), rng.chance(0.6) ? { page_path: `/p/${p.id}`, product_id: p.id } : { page_path: `/c/${p.categories[1].id}` });
  }
  if (rng.chance(0.25)) {
    const p = product();
    track(s, 'page_view', step(), { page_path: `/p/${p.id}`, product_id: p.id });
    track(s, 'add_to_cart', step(), { product_id: p.id, sku: rng.pick(p.variants).sku });
    if (rng.chance(0.3)) track(s, 'checkout', step(), { page_path: '/checkout' });
  }
  return s.events;
}
