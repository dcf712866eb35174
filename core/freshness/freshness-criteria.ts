/**
 * Freshness criteria of a source table, in dbt's shape (`warn_after`, `error_after`, `filter`),
 * and how the levels they can be written at (source, source config, table, table config) merge.
 */

export const FRESHNESS_PERIODS = ['minute', 'hour', 'day'] as const;
export type FreshnessPeriod = (typeof FRESHNESS_PERIODS)[number];

/** One threshold: `{count: 12, period: hour}`; both null when it is not set. */
export interface FreshnessTime {
  count: number | null;
  period: FreshnessPeriod | null;
}

/** The merged criteria a table is checked against (sources.json `criteria`). */
export interface FreshnessCriteria {
  warn_after: FreshnessTime;
  error_after: FreshnessTime;
  filter: string | null;
}

/**
 * What one level says, as written: a key left out inherits from the levels before, a key
 * set to null turns that threshold off. A whole level of null turns freshness off.
 */
export interface FreshnessLevel {
  warn_after?: FreshnessTime | null;
  error_after?: FreshnessTime | null;
  filter?: string | null;
}

const SECONDS: Record<FreshnessPeriod, number> = { minute: 60, hour: 3600, day: 86400 };

export const UNSET_TIME: FreshnessTime = Object.freeze({ count: null, period: null }) as FreshnessTime;

/** Whether a threshold has both a count and a period. */
export function isTimeSet(time: FreshnessTime | null | undefined): time is { count: number; period: FreshnessPeriod } {
  return Boolean(time && time.count !== null && time.period !== null);
}

/** A threshold in seconds, or null when it is not set. */
export function thresholdSeconds(time: FreshnessTime | null | undefined): number | null {
  return isTimeSet(time) ? time.count * SECONDS[time.period] : null;
}

/** Whether the criteria can be checked at all: dbt checks a table only if one threshold is set. */
export function hasThreshold(criteria: FreshnessCriteria | null | undefined): criteria is FreshnessCriteria {
  return Boolean(criteria && (isTimeSet(criteria.warn_after) || isTimeSet(criteria.error_after)));
}

function mergeTime(base: FreshnessTime, update: FreshnessTime | null | undefined): FreshnessTime {
  if (update === undefined) return base;
  return update === null ? UNSET_TIME : update;
}

/**
 * Merges levels from the outermost (source) to the innermost (table config), as dbt's
 * merge_source_freshness does: a later threshold replaces an earlier one, the filter of the
 * innermost level that has one wins, and a level of null turns freshness off until a later
 * level sets it again. The result has the shape dbt's manifest gives a source's `freshness`:
 * null only when a level turned it off, thresholds of nulls where none is set. `hasThreshold`
 * says whether it leaves anything to check.
 */
export function mergeFreshness(levels: readonly (FreshnessLevel | null | undefined)[]): FreshnessCriteria | null {
  let merged: FreshnessCriteria | null = { warn_after: UNSET_TIME, error_after: UNSET_TIME, filter: null };
  for (const level of levels) {
    if (level === undefined) continue;
    if (level === null) {
      merged = null;
      continue;
    }
    const base: FreshnessCriteria = merged ?? { warn_after: UNSET_TIME, error_after: UNSET_TIME, filter: null };
    merged = {
      warn_after: mergeTime(base.warn_after, level.warn_after),
      error_after: mergeTime(base.error_after, level.error_after),
      filter: level.filter ?? base.filter,
    };
  }
  return merged;
}
