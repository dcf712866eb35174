import { DAY_MS, HISTORY_END, HISTORY_START, HOUR_MS } from './calendar.js';
import { CURRENCIES, type Currency } from './exchange-rates.js';
import { stream } from './prng.js';

/**
 * The catalogue the MongoDB `products` collection holds: products with nested variants, prices per
 * currency, a two-level category path and attributes. Prices change at random times (and one
 * product, the first, changes in the daily loads after the backfill), discontinued products stop
 * selling, new products launch during the history.
 */

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
}

export interface Variant {
  sku: string;
  size: string;
  color: string;
  weightG: number;
  supplier: string;
  /** Share of the product's sales. */
  weight: number;
}

export interface PriceChange {
  at: number;
  /** The new EUR list price, in cents. */
  eurCents: number;
}

export interface Product {
  index: number;
  id: string;
  name: string;
  brand: string;
  categories: Category[];
  attributes: Record<string, string>;
  variants: Variant[];
  createdAt: number;
  discontinuedAt: number | null;
  /** EUR list price at creation, in cents. */
  baseEurCents: number;
  changes: PriceChange[];
  popularity: number;
  /** Months of high demand (0-11) for seasonal products. */
  season: 'all' | 'winter' | 'summer';
}

const ROOTS: Category[] = [
  { id: 'apparel', name: 'Apparel', parentId: null },
  { id: 'footwear', name: 'Footwear', parentId: null },
  { id: 'outdoor', name: 'Outdoor', parentId: null },
  { id: 'home', name: 'Home', parentId: null },
];
const LEAVES: (Category & { sizes: string[]; price: [number, number]; nouns: string[] })[] = [
  { id: 'apparel-tops', name: 'Tops', parentId: 'apparel', sizes: ['S', 'M', 'L', 'XL'], price: [19, 69], nouns: ['Tee', 'Crew', 'Henley', 'Polo', 'Hoodie'] },
  { id: 'apparel-bottoms', name: 'Bottoms', parentId: 'apparel', sizes: ['S', 'M', 'L', 'XL'], price: [39, 119], nouns: ['Chino', 'Jogger', 'Short', 'Trail Pant'] },
  { id: 'apparel-outerwear', name: 'Outerwear', parentId: 'apparel', sizes: ['S', 'M', 'L', 'XL'], price: [89, 289], nouns: ['Parka', 'Shell Jacket', 'Down Vest', 'Rain Coat'] },
  { id: 'footwear-sneakers', name: 'Sneakers', parentId: 'footwear', sizes: ['40', '41', '42', '43', '44', '45'], price: [69, 159], nouns: ['Runner', 'Court Sneaker', 'Knit Trainer'] },
  { id: 'footwear-boots', name: 'Boots', parentId: 'footwear', sizes: ['40', '41', '42', '43', '44', '45'], price: [119, 249], nouns: ['Hiking Boot', 'Chelsea Boot', 'Snow Boot'] },
  { id: 'outdoor-backpacks', name: 'Backpacks', parentId: 'outdoor', sizes: ['ONE'], price: [49, 179], nouns: ['Daypack', 'Rolltop', 'Trek Pack'] },
  { id: 'outdoor-camping', name: 'Camping', parentId: 'outdoor', sizes: ['ONE'], price: [29, 399], nouns: ['Tent', 'Sleeping Bag', 'Camp Stove', 'Headlamp'] },
  { id: 'home-kitchen', name: 'Kitchen', parentId: 'home', sizes: ['ONE'], price: [12, 89], nouns: ['Mug', 'Bottle', 'Pour Over', 'Lunch Box'] },
  { id: 'home-textiles', name: 'Textiles', parentId: 'home', sizes: ['ONE'], price: [19, 129], nouns: ['Blanket', 'Throw', 'Towel Set', 'Cushion'] },
];
const BRANDS = ['Nordkap', 'Fjellrev', 'Tidewater', 'Alder & Ash', 'Kestrel', 'Moorland'];
const ADJECTIVES = ['Merino', 'Everyday', 'Alpine', 'Coastal', 'Ridge', 'Harbor', 'Summit', 'Drift', 'Forest', 'Classic', 'Light', 'Storm'];
const COLORS = ['black', 'navy', 'grey', 'olive', 'sand', 'rust'];
const MATERIALS = ['cotton', 'merino', 'recycled polyester', 'nylon', 'leather', 'linen', 'stoneware', 'steel'];
const ORIGINS = ['PT', 'VN', 'CN', 'TR', 'DE', 'SE', 'IT'];
export const SUPPLIERS = ['supplier_a', 'supplier_b', 'supplier_c'] as const;

/** Price changes after the history: one product changes price on each later day (for `--day` ≥ 2). */
const LATER_DAYS = 400;
/** The first product changes price in the first daily load after the backfill. */
export const PRICE_CHANGE_IN_DAILY_LOAD = Date.UTC(2026, 5, 29, 10);

/** The catalogue of a seed and scale: `max(12, 120 × scale)` products. */
export function buildCatalog(seed: number, scale: number): Product[] {
  const count = Math.max(12, Math.round(120 * scale));
  const products: Product[] = [];
  for (let index = 0; index < count; index++) products.push(buildProduct(seed, index));
  // Later days' price changes: the product a day's stream picks gets a new price that morning.
  for (let d = 1; d <= LATER_DAYS; d++) {
    const rng = stream(seed, 'price-day', d);
    const product = products[rng.int(0, count - 1)];
    const at = HISTORY_END + d * DAY_MS + rng.int(7, 20) * HOUR_MS;
    if (product.createdAt < at) product.changes.push({ at, eurCents: changedPrice(currentEurCents(product, at), rng.next(), rng.next()) });
  }
  return products;
}

function buildProduct(seed: number, index: number): Product {
  const rng = stream(seed, 'product', index);
  const leaf = rng.pick(LEAVES);
  const root = ROOTS.find((r) => r.id === leaf.parentId)!;
  const brand = rng.pick(BRANDS);
  const launched = index > 0 && rng.chance(0.25);
  const createdAt = launched ? HISTORY_START + rng.int(20, 650) * DAY_MS + rng.int(6, 18) * HOUR_MS : HISTORY_START - 30 * DAY_MS + rng.int(0, 20) * HOUR_MS;
  const baseEurCents = (rng.int(leaf.price[0], leaf.price[1]) * 100) - 10;
  const sizes = leaf.sizes.length > 1 ? leaf.sizes.slice(0, rng.int(Math.min(2, leaf.sizes.length), leaf.sizes.length)) : leaf.sizes;
  const colors = COLORS.slice(0, 6).filter(() => rng.chance(0.35));
  const variantColors = colors.length ? colors.slice(0, 2) : [rng.pick(COLORS)];
  const supplier = rng.weighted([[SUPPLIERS[0], 5], [SUPPLIERS[1], 3], [SUPPLIERS[2], 2]] as const);
  const prefix = brand.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase();
  const variants: Variant[] = [];
  for (const color of variantColors) {
    for (const size of sizes) {
      if (variants.length >= 5) break;
      const middle = size === 'M' || size === 'L' || size === '42' || size === '43' ? 2 : 1;
      variants.push({ sku: `${prefix}-${String(index + 1).padStart(4, '0')}-${size}-${color.slice(0, 3).toUpperCase()}`, size, color, weightG: rng.int(8, 120) * 10, supplier, weight: middle * (0.5 + rng.next()) });
    }
  }
  const changes: PriceChange[] = [];
  let price = baseEurCents;
  const n = index === 0 ? 0 : rng.poisson(1.2);
  const times = Array.from({ length: n }, () => createdAt + rng.int(5, 700) * DAY_MS + rng.int(0, 23) * HOUR_MS).filter((t) => t < HISTORY_END - 5 * DAY_MS).sort((a, b) => a - b);
  for (const at of times) {
    price = changedPrice(price, rng.next(), rng.next());
    changes.push({ at, eurCents: price });
  }
  if (index === 0) changes.push({ at: PRICE_CHANGE_IN_DAILY_LOAD, eurCents: changedPrice(price, 0.9, 0.5) });
  const attributes: Record<string, string> = { material: rng.pick(MATERIALS) };
  const season = leaf.id === 'apparel-outerwear' || leaf.id === 'footwear-boots' ? 'winter' : leaf.id === 'outdoor-camping' || leaf.id === 'apparel-bottoms' ? (rng.chance(0.5) ? 'summer' : 'all') : 'all';
  if (rng.chance(0.7)) attributes.season = season;
  if (rng.chance(0.6)) attributes.origin_country = rng.pick(ORIGINS);
  const discontinuedAt = index > 0 && rng.chance(0.05) ? createdAt + rng.int(90, 600) * DAY_MS : null;
  return {
    index,
    id: `66${rng.hex(22)}`,
    name: `${rng.pick(ADJECTIVES)} ${rng.pick(leaf.nouns)}`,
    brand,
    categories: [root, { id: leaf.id, name: leaf.name, parentId: leaf.parentId }],
    attributes,
    variants,
    createdAt,
    discontinuedAt: discontinuedAt !== null && discontinuedAt < HISTORY_END - 5 * DAY_MS ? discontinuedAt : null,
    baseEurCents,
    changes,
    popularity: 1 / Math.pow(rng.int(1, 60) + 4, 0.9),
    season,
  };
}

/** A new EUR price: ± 5-20 %, ending in .90. */
function changedPrice(eurCents: number, u: number, v: number): number {
  const factor = 1 + (v < 0.45 ? -1 : 1) * (0.05 + 0.15 * u);
  return Math.max(490, Math.round((eurCents * factor) / 100) * 100 - 10);
}

/** The EUR list price at `at`, in cents. */
export function currentEurCents(product: Product, at: number): number {
  let price = product.baseEurCents;
  for (const change of product.changes) if (change.at <= at) price = change.eurCents;
  return price;
}

/** A variant's list price in a currency at `at`, in cents: converted once and rounded to a price point. */
export function listPriceCents(product: Product, currency: Currency, at: number): number {
  const eur = currentEurCents(product, at);
  switch (currency) {
    case 'EUR':
      return eur;
    case 'GBP':
      return Math.round((eur * 0.86) / 100) * 100 - 10;
    case 'USD':
      return Math.round((eur * 1.12) / 100) * 100 - 10;
    case 'SEK':
      return Math.round((eur * 11.3) / 1000) * 1000 - 100;
  }
}

/** Whether the product can be sold at `at`. */
export function isSellable(product: Product, at: number): boolean {
  return product.createdAt <= at && (product.discontinuedAt === null || at < product.discontinuedAt);
}

/** Times the product's document changed, oldest first. */
export function productVersionTimes(product: Product): number[] {
  const times = [product.createdAt, ...product.changes.map((c) => c.at)];
  if (product.discontinuedAt !== null) times.push(product.discontinuedAt);
  return times.sort((a, b) => a - b);
}

/** The MongoDB document as it was at `at`. */
export function productDocument(product: Product, at: number): Record<string, unknown> {
  const updatedAt = productVersionTimes(product).filter((t) => t <= at).at(-1) ?? product.createdAt;
  return {
    _id: product.id,
    name: product.name,
    brand: product.brand,
    status: product.discontinuedAt !== null && product.discontinuedAt <= at ? 'discontinued' : 'active',
    categories: product.categories.map((c) => ({ id: c.id, name: c.name, parent_id: c.parentId })),
    attributes: product.attributes,
    variants: product.variants.map((v) => ({
      sku: v.sku,
      size: v.size,
      color: v.color,
      weight_g: v.weightG,
      supplier: v.supplier,
      prices: CURRENCIES.map((currency) => ({ currency, amount: listPriceCents(product, currency, at) / 100 })),
    })),
    created_at: new Date(product.createdAt).toISOString(),
    updated_at: new Date(updatedAt).toISOString(),
  };
}

/** Demand multiplier of a product's season in the month of `day`. */
export function seasonFactor(product: Product, day: number): number {
  const month = new Date(day).getUTCMonth();
  if (product.season === 'winter') return month >= 9 || month <= 1 ? 1.8 : 0.45;
  if (product.season === 'summer') return month >= 4 && month <= 7 ? 1.7 : 0.6;
  return 1;
}

