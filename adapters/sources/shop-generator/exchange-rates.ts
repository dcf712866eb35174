import { DAY_MS, isoDate } from './calendar.js';
import { stream } from './prng.js';

/**
 * Daily exchange rates to EUR: reference data, committed as the seed `seeds/exchange_rates.csv`.
 * A fixed random walk per currency, independent of the generator's seed and scale, so the committed
 * file is right for every generated lake. Rates are micro-EUR per unit (DECIMAL(12,6) in the seed).
 */

export const CURRENCIES = ['EUR', 'GBP', 'USD', 'SEK'] as const;
export type Currency = (typeof CURRENCIES)[number];

const RATES_START = Date.UTC(2024, 5, 1);
const RATES_END = Date.UTC(2027, 5, 30);
/** EUR per unit at the start of the walk. */
const START_RATE: Record<Currency, number> = { EUR: 1, GBP: 1.172, USD: 0.9215, SEK: 0.0874 };
/** Daily volatility of the log rate. */
const VOLATILITY: Record<Currency, number> = { EUR: 0, GBP: 0.0035, USD: 0.0045, SEK: 0.005 };

let table: Map<string, number> | undefined;

function rates(): Map<string, number> {
  if (table) return table;
  table = new Map();
  for (const currency of CURRENCIES) {
    const rng = stream(20240601, 'exchange-rates', currency);
    let log = Math.log(START_RATE[currency]);
    const anchor = log;
    for (let day = RATES_START; day <= RATES_END; day += DAY_MS) {
      // Mean-reverting, so three years of walk stay near today's levels.
      log += VOLATILITY[currency] * rng.normal() - 0.01 * (log - anchor);
      table.set(`${isoDate(day)}|${currency}`, currency === 'EUR' ? 1_000_000 : Math.round(Math.exp(log) * 1_000_000));
    }
  }
  return table;
}

/** Micro-EUR per unit of `currency` on the UTC day of `at`. */
export function rateToEurMicros(currency: Currency, at: number): number {
  const rate = rates().get(`${isoDate(at)}|${currency}`);
  if (rate === undefined) throw new Error(`no exchange rate for ${currency} on ${isoDate(at)}: rates cover ${isoDate(RATES_START)} to ${isoDate(RATES_END)}`);
  return rate;
}

/**
 * `cents` of `currency` in EUR cents on the day of `at`: round(amount × rate, 2), half away from
 * zero, as DuckDB rounds DECIMAL(12,2) × DECIMAL(12,6).
 */
export function toEurCents(cents: number, currency: Currency, at: number): number {
  const product = cents * rateToEurMicros(currency, at); // in 1e-8 EUR: exact below 2^53
  const sign = product < 0 ? -1 : 1;
  const abs = Math.abs(product);
  return sign * (Math.floor(abs / 1_000_000) + (abs % 1_000_000 >= 500_000 ? 1 : 0));
}

/** The seed CSV: one row per day and currency. */
export function exchangeRatesCsv(): string {
  const lines = ['rate_date,currency_code,rate_to_eur'];
  for (let day = RATES_START; day <= RATES_END; day += DAY_MS) {
    for (const currency of CURRENCIES) lines.push(`${isoDate(day)},${currency},${microsText(rateToEurMicros(currency, day))}`);
  }
  return `${lines.join('\n')}\n`;
}

function microsText(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}
