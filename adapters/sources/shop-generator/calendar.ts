/**
 * The shop's calendar: the fixed history window, the load cutoffs of each `--day`, and the demand
 * curve (growth, weekly pattern, seasons, Black Friday, Christmas) every daily volume follows.
 * Times are epoch milliseconds, UTC.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The first day of orders and the last day of the history `--day 1` lands. */
export const HISTORY_START = Date.UTC(2024, 6, 1);
export const HISTORY_END = Date.UTC(2026, 5, 30);
export const HISTORY_DAYS = Math.round((HISTORY_END - HISTORY_START) / DAY_MS) + 1;
/**
 * A load holds what changed up to midnight UTC and lands at 03:15. Midnight, so that a longer
 * run (`--day 2`) creates nothing inside an earlier load's window: new rows of a day are born on it.
 */
const LOADED_AFTER_MS = 3 * HOUR_MS + 15 * MINUTE_MS;
/** The backfill knows everything up to this cutoff; daily loads follow until the history ends. */
const BACKFILL_CUTOFF = Date.UTC(2026, 5, 28);

/** One extract run of every table: what changed in (from, to]. */
export interface LoadWindow {
  /** `backfill`, or the cutoff's date `YYYY-MM-DD`. */
  name: string;
  /** The `--day` that lands it. */
  day: number;
  /** Exclusive lower bound (-Infinity for the backfill) and inclusive upper bound of the window. */
  from: number;
  to: number;
  loadedAt: number;
}

/** Every load up to and including `--day` `day`, oldest first. */
export function loadWindows(day: number): LoadWindow[] {
  const cutoffs: { at: number; day: number }[] = [{ at: BACKFILL_CUTOFF, day: 1 }];
  // Day 1: daily loads up to the midnight after the history's last day; day K adds one more.
  for (let at = BACKFILL_CUTOFF + DAY_MS; at <= HISTORY_END + DAY_MS; at += DAY_MS) cutoffs.push({ at, day: 1 });
  for (let k = 2; k <= day; k++) cutoffs.push({ at: HISTORY_END + k * DAY_MS, day: k });
  return cutoffs.map((c, i) => ({
    name: i === 0 ? 'backfill' : isoDate(c.at),
    day: c.day,
    from: i === 0 ? -Infinity : cutoffs[i - 1].at,
    to: c.at,
    loadedAt: c.at + LOADED_AFTER_MS,
  }));
}

/** The last calendar day whose orders `--day` `day` simulates (its last load's cutoff is the midnight after). */
export function lastOrderDay(day: number): number {
  return HISTORY_END + (day - 1) * DAY_MS;
}

/** `YYYY-MM-DD` of a time. */
export function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Midnight UTC of the day of `at`. */
export function startOfDay(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

/** Whole days from the history start (0 = 2024-07-01). */
export function dayIndex(at: number): number {
  return Math.floor((at - HISTORY_START) / DAY_MS);
}

/** The day `index` days after the history start. */
export function dayAt(index: number): number {
  return HISTORY_START + index * DAY_MS;
}

const WEEKDAY = [1.15, 1.05, 1.0, 0.98, 1.0, 0.95, 0.85]; // Sunday first
const MONTH = [0.8, 0.78, 0.9, 0.95, 0.95, 0.9, 0.85, 0.85, 1.0, 1.05, 1.15, 1.4];

/** The fourth Friday of November of a year: Black Friday. */
export function blackFriday(year: number): number {
  const first = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstFriday = 1 + ((5 - first + 7) % 7);
  return Date.UTC(year, 10, firstFriday + 21);
}

/** Relative demand on a day (unnormalised): growth × weekday × month × events. */
function rawDemand(day: number): number {
  const date = new Date(day);
  const years = (day - HISTORY_START) / (365 * DAY_MS);
  let factor = (1 + 0.35 * years) * WEEKDAY[date.getUTCDay()] * MONTH[date.getUTCMonth()];
  const offset = Math.round((day - blackFriday(date.getUTCFullYear())) / DAY_MS);
  if (offset === 0) factor *= 3.5;
  else if (offset >= 1 && offset <= 3) factor *= 2.2; // the weekend and Cyber Monday
  else if (offset >= -7 && offset < 0) factor *= 1.3;
  const dom = date.getUTCDate();
  if (date.getUTCMonth() === 11 && dom >= 24 && dom <= 26) factor *= 0.5;
  else if (date.getUTCMonth() === 11 && dom <= 20) factor *= 1.15;
  return factor;
}

let meanDemand: number | undefined;

/** Relative demand on a day, 1.0 on average over the history. */
export function demand(day: number): number {
  if (meanDemand === undefined) {
    let sum = 0;
    for (let i = 0; i < HISTORY_DAYS; i++) sum += rawDemand(dayAt(i));
    meanDemand = sum / HISTORY_DAYS;
  }
  return rawDemand(day) / meanDemand;
}

/** Whether a day is in the Black Friday weekend (Friday to Cyber Monday). */
export function isBlackFridayWeekend(day: number): boolean {
  const offset = Math.round((day - blackFriday(new Date(day).getUTCFullYear())) / DAY_MS);
  return offset >= 0 && offset <= 3;
}

/** Weights of the hour of day orders and sessions start in (UTC), evening peak. */
export const HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.5, 1.0, 1.6, 2.0, 2.2, 2.4, 2.8, 2.6, 2.4, 2.4, 2.6, 3.0, 3.6, 4.2, 4.5, 4.0, 2.8, 1.5,
].map((w, hour) => [hour, w] as const);
