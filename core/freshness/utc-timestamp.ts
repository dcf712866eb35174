/**
 * Timestamps as warehouses return them, read as microseconds since the epoch in UTC. A value
 * without a zone is taken as UTC, as dbt does: DuckDB's `current_timestamp` has a zone while a
 * TIMESTAMP column has none, and the two must compare on the same clock.
 */

const PATTERN = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i;

/** Microseconds since 1970-01-01 UTC of a timestamp, date or Date; undefined when it is none of those. */
export function toUtcMicros(value: unknown): bigint | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : BigInt(value.getTime()) * 1000n;
  if (typeof value !== 'string') return undefined;
  const match = PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years below 100 as written.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  // Date rolls 2024-02-30 over into March; a value that does not come back as written is no date.
  const asWritten = date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  if (Number.isNaN(date.getTime()) || !asWritten || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const micros = BigInt(date.getTime()) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
  return micros - BigInt(zoneOffsetSeconds(zone)) * 1_000_000n;
}

function zoneOffsetSeconds(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(/:/g, '');
  const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
  return zone.startsWith('-') ? -seconds : seconds;
}

/** `2024-05-01T10:00:00.123456Z`: ISO 8601 in UTC to the microsecond. */
export function formatUtcMicros(micros: bigint): string {
  let millis = micros / 1000n;
  let rest = micros % 1000n;
  // bigint division truncates toward zero; instants before 1970 need the floor.
  if (rest < 0n) {
    rest += 1000n;
    millis -= 1n;
  }
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** Seconds from `earlier` to `later`, to the microsecond. */
export function secondsBetween(earlier: bigint, later: bigint): number {
  return Number(later - earlier) / 1_000_000;
}
