import { thresholdSeconds, type FreshnessCriteria } from './freshness-criteria.js';

/** Outcome of one freshness check, as sources.json spells it. */
export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

/**
 * The status of data `ageSeconds` old: error past error_after, else warn past warn_after,
 * else pass. As in dbt, a threshold is passed only when the age is strictly greater.
 */
export function freshnessStatus(criteria: FreshnessCriteria, ageSeconds: number): 'pass' | 'warn' | 'error' {
  const error = thresholdSeconds(criteria.error_after);
  if (error !== null && ageSeconds > error) return 'error';
  const warn = thresholdSeconds(criteria.warn_after);
  if (warn !== null && ageSeconds > warn) return 'warn';
  return 'pass';
}

/** An age in words for log lines: `2 hours 5 minutes`, `3 days 0 hours`, `42 seconds`. */
export function describeAge(ageSeconds: number): string {
  const sign = ageSeconds < 0 ? '-' : '';
  const s = Math.floor(Math.abs(ageSeconds));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (s < 60) return sign + plural(s, 'second');
  if (s < 3600) return sign + `${plural(Math.floor(s / 60), 'minute')} ${plural(s % 60, 'second')}`;
  if (s < 86400) return sign + `${plural(Math.floor(s / 3600), 'hour')} ${plural(Math.floor((s % 3600) / 60), 'minute')}`;
  return sign + `${plural(Math.floor(s / 86400), 'day')} ${plural(Math.floor((s % 86400) / 3600), 'hour')}`;
}
