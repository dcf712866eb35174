import { DAY_MS, HOUR_MS } from './calendar.js';
import { iso } from './customers.js';
import type { Order } from './orders.js';
import { stream } from './prng.js';

/** Product reviews (the MongoDB `reviews` collection): some delivered orders get one, days later. */
export interface Review {
  id: string;
  order: Order;
  productId: string;
  rating: number;
  title: string | null;
  body: string | null;
  createdAt: number;
}

const TITLES: Record<number, string[]> = {
  1: ['Disappointed', 'Fell apart'],
  2: ['Not great', 'Runs small'],
  3: ['It is okay', 'Decent for the price'],
  4: ['Very good', 'Happy with it'],
  5: ['Love it', 'Perfect', 'Best purchase this year'],
};

export function drawReviews(seed: number, orders: Order[]): Review[] {
  const reviews: Review[] = [];
  for (const order of orders) {
    if (order.deliveredAt === null) continue;
    const rng = stream(seed, 'review', order.id);
    if (!rng.chance(0.08)) continue;
    const line = rng.pick(order.lines);
    const returned = order.refunds.some((r) => r.line === line);
    const rating = returned ? rng.weighted([[1, 30], [2, 35], [3, 25], [4, 10]] as const) : rng.weighted([[1, 4], [2, 6], [3, 12], [4, 33], [5, 45]] as const);
    reviews.push({
      id: `67${rng.hex(22)}`,
      order,
      productId: line.product.id,
      rating,
      title: rng.chance(0.15) ? null : rng.pick(TITLES[rating]),
      body: rng.chance(0.3) ? null : `${rng.pick(TITLES[rating])}. ${rng.pick(['Fits as expected.', 'Quick delivery.', 'Colour as pictured.', 'Would buy again.', 'Material feels cheap.'])}`,
      createdAt: order.deliveredAt + rng.int(3, 20) * DAY_MS + rng.int(0, 23) * HOUR_MS,
    });
  }
  return reviews;
}

/** The review document. */
export function reviewDocument(r: Review): Record<string, unknown> {
  return {
    _id: r.id,
    product_id: r.productId,
    customer_id: r.order.customer.id,
    order_id: r.order.id,
    rating: r.rating,
    title: r.title,
    body: r.body,
    created_at: iso(r.createdAt),
    updated_at: iso(r.createdAt),
  };
}
