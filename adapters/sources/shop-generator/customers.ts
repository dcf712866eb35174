import { DAY_MS, HOUR_MS } from './calendar.js';
import type { Prng } from './prng.js';

/**
 * Customers and their addresses, as the shop's MySQL database holds them: created when someone
 * signs up (usually minutes before a first order), later edited (opt-in, e-mail), and addresses
 * edited in place when a customer moves. Dirt: e-mails with spaces or capitals, null countries and
 * opt-ins, missing postal codes.
 */

export interface Customer {
  id: number;
  email: string;
  /** The e-mail as the database stores it (sometimes with spaces or capitals). */
  storedEmail: string;
  firstName: string;
  lastName: string;
  countryCode: string;
  countryLanded: string | null;
  phone: string | null;
  optIn: boolean | null;
  createdAt: number;
  /** A later edit: opt-in flips and/or a new e-mail. */
  edit: { at: number; optIn: boolean; email: string | null } | null;
  /** Weight of being the buyer of a repeat order. */
  propensity: number;
  addresses: Address[];
}

export interface Address {
  id: number;
  customerId: number;
  type: 'shipping' | 'billing';
  street: string;
  city: string;
  postalCode: string | null;
  countryCode: string;
  isDefault: boolean;
  createdAt: number;
  /** The customer moved: street, city and postal code edited in place. */
  move: { at: number; street: string; city: string; postalCode: string } | null;
}

export const COUNTRIES: readonly (readonly [string, number])[] = [
  ['DE', 30], ['FR', 12], ['GB', 12], ['NL', 8], ['US', 8], ['ES', 7], ['IT', 7], ['SE', 7], ['AT', 5], ['BE', 4],
];
const CITIES: Record<string, string[]> = {
  DE: ['Berlin', 'Hamburg', 'München', 'Köln', 'Leipzig'], FR: ['Paris', 'Lyon', 'Nantes', 'Lille'], GB: ['London', 'Manchester', 'Bristol', 'Leeds'],
  NL: ['Amsterdam', 'Utrecht', 'Rotterdam'], US: ['New York', 'Seattle', 'Denver', 'Austin'], ES: ['Madrid', 'Barcelona', 'Valencia'],
  IT: ['Milano', 'Torino', 'Bologna'], SE: ['Stockholm', 'Göteborg', 'Malmö'], AT: ['Wien', 'Graz', 'Innsbruck'], BE: ['Brussel', 'Antwerpen', 'Gent'],
};
const FIRST = ['Anna', 'Lukas', 'Emma', 'Noah', 'Mia', 'Liam', 'Sofia', 'Elias', 'Lena', 'Jonas', 'Chloé', 'Hugo', 'Olivia', 'Oliver', 'Freya', 'Erik', 'Lucía', 'Mateo', 'Giulia', 'Marco', 'Sanne', 'Daan', 'Ava', 'Ethan', 'Maja', 'Felix'];
const LAST = ['Berg', 'Müller', 'Schmidt', 'Martin', 'Bernard', 'Smith', 'Jones', 'de Vries', 'Jansen', 'Johnson', 'Brown', 'García', 'López', 'Rossi', 'Bianchi', 'Andersson', 'Lindqvist', 'Gruber', 'Peeters', 'Fischer', 'Weber', 'Dubois'];
const STREETS = ['Hauptstraße', 'Rue de la Paix', 'High Street', 'Kerkstraat', 'Main Street', 'Calle Mayor', 'Via Roma', 'Storgatan', 'Ringstraße', 'Lindenallee', 'Station Road', 'Parkweg'];
const DOMAINS = ['example.com', 'mail.example', 'post.example.org', 'inbox.example.net'];

/** Ids handed out in creation order, as MySQL's auto-increment does. */
export interface IdSequence {
  next(): number;
}

export function idSequence(): IdSequence {
  let n = 0;
  return { next: () => ++n };
}

/** A customer who signs up at `at`, with one or two addresses. */
export function newCustomer(rng: Prng, id: number, at: number, addressIds: IdSequence): Customer {
  const country = rng.weighted(COUNTRIES);
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const email = `${ascii(firstName)}.${ascii(lastName)}${id}@${rng.pick(DOMAINS)}`;
  const storedEmail = rng.chance(0.03) ? dirtyEmail(email, rng) : email;
  const edit = rng.chance(0.06) ? { at: at + rng.int(1, 300) * DAY_MS + rng.int(0, 23) * HOUR_MS, optIn: rng.chance(0.5), email: rng.chance(0.4) ? `${ascii(firstName)}${id}@${rng.pick(DOMAINS)}` : null } : null;
  const customer: Customer = {
    id,
    email,
    storedEmail,
    firstName,
    lastName,
    countryCode: country,
    countryLanded: rng.chance(0.01) ? null : country,
    phone: rng.chance(0.6) ? `+${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(100000, 999999)}` : null,
    optIn: rng.chance(0.05) ? null : rng.chance(0.55),
    createdAt: at,
    edit,
    propensity: Math.exp(1.1 * rng.normal()),
    addresses: [],
  };
  customer.addresses.push(newAddress(rng, addressIds.next(), customer, 'shipping', at));
  if (rng.chance(0.3)) customer.addresses.push(newAddress(rng, addressIds.next(), customer, 'billing', at + rng.int(0, 59) * 1000));
  return customer;
}

function newAddress(rng: Prng, id: number, customer: Customer, type: Address['type'], at: number): Address {
  const country = customer.countryCode;
  const moves = type === 'shipping' && rng.chance(0.05);
  return {
    id,
    customerId: customer.id,
    type,
    street: `${rng.pick(STREETS)} ${rng.int(1, 180)}`,
    city: rng.pick(CITIES[country]),
    postalCode: rng.chance(0.01) ? null : postalCode(rng, country),
    countryCode: country,
    isDefault: type === 'shipping',
    createdAt: at,
    move: moves ? { at: at + rng.int(20, 500) * DAY_MS + rng.int(8, 20) * HOUR_MS, street: `${rng.pick(STREETS)} ${rng.int(1, 180)}`, city: rng.pick(CITIES[country]), postalCode: postalCode(rng, country) } : null,
  };
}

function postalCode(rng: Prng, country: string): string {
  if (country === 'GB') return `${rng.pick(['SW1', 'M1', 'BS1', 'LS2'])} ${rng.int(1, 9)}${rng.pick(['AB', 'XY', 'QT'])}`;
  if (country === 'NL') return `${rng.int(1000, 9999)} ${rng.pick(['AB', 'CD', 'EF'])}`;
  if (country === 'SE') return `${rng.int(100, 999)} ${rng.int(10, 99)}`;
  return String(rng.int(10000, 99999));
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** The same address with capitals and stray spaces, as old sign-up forms stored it. */
function dirtyEmail(email: string, rng: Prng): string {
  const [local, domain] = email.split('@');
  const capital = local.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('.');
  const mixed = rng.chance(0.5) ? `${capital}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}` : email.toUpperCase();
  return rng.chance(0.7) ? `  ${mixed} ` : mixed;
}

/** Times the customer row changed. */
export function customerVersionTimes(c: Customer): number[] {
  return c.edit ? [c.createdAt, c.edit.at] : [c.createdAt];
}

/** The `customers` row at `at`. */
export function customerRow(c: Customer, at: number): Record<string, unknown> {
  const edited = c.edit !== null && c.edit.at <= at;
  return {
    customer_id: c.id,
    email: edited && c.edit!.email ? c.edit!.email : c.storedEmail,
    first_name: c.firstName,
    last_name: c.lastName,
    country_code: c.countryLanded,
    phone: c.phone,
    marketing_opt_in: edited ? c.edit!.optIn : c.optIn,
    created_at: iso(c.createdAt),
    updated_at: iso(edited ? c.edit!.at : c.createdAt),
  };
}

/** The customer's normalised e-mail at `at` (what staging must produce). */
export function customerEmail(c: Customer, at: number): string {
  return c.edit !== null && c.edit.at <= at && c.edit.email ? c.edit.email : c.email;
}

export function addressVersionTimes(a: Address): number[] {
  return a.move ? [a.createdAt, a.move.at] : [a.createdAt];
}

/** The `addresses` row at `at`. */
export function addressRow(a: Address, at: number): Record<string, unknown> {
  const moved = a.move !== null && a.move.at <= at;
  return {
    address_id: a.id,
    customer_id: a.customerId,
    address_type: a.type,
    street: moved ? a.move!.street : a.street,
    city: moved ? a.move!.city : a.city,
    postal_code: moved ? a.move!.postalCode : a.postalCode,
    country_code: a.countryCode,
    is_default: a.isDefault,
    created_at: iso(a.createdAt),
    updated_at: iso(moved ? a.move!.at : a.createdAt),
  };
}

/** `at` as ISO-8601 UTC text with milliseconds, like toISOString (the day's part is cached: this runs millions of times). */
export function iso(at: number): string {
  const day = Math.floor(at / 86_400_000);
  if (day !== isoDay) {
    isoDay = day;
    isoPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let ms = at - day * 86_400_000;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const sec = Math.floor(ms / 1000);
  ms -= sec * 1000;
  return `${isoPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

let isoDay = NaN;
let isoPrefix = '';
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

