import { describe, expect, it } from 'vitest';
import { UNSET_TIME, type FreshnessCriteria } from './freshness-criteria.js';
import { describeAge, freshnessStatus } from './freshness-status.js';

const criteria = (warnHours: number | null, errorHours: number | null): FreshnessCriteria => ({
  warn_after: warnHours === null ? UNSET_TIME : { count: warnHours, period: 'hour' },
  error_after: errorHours === null ? UNSET_TIME : { count: errorHours, period: 'hour' },
  filter: null,
});

describe('freshness status', () => {
  it('is pass, warn or error as the age passes each threshold', () => {
    const c = criteria(1, 24);
    expect(freshnessStatus(c, 59 * 60)).toBe('pass');
    expect(freshnessStatus(c, 2 * 3600)).toBe('warn');
    expect(freshnessStatus(c, 3 * 86400)).toBe('error');
  });

  it('an age exactly at a threshold has not passed it, as in dbt', () => {
    const c = criteria(1, 2);
    expect(freshnessStatus(c, 3600)).toBe('pass');
    expect(freshnessStatus(c, 3600.001)).toBe('warn');
    expect(freshnessStatus(c, 7200)).toBe('warn');
    expect(freshnessStatus(c, 7200.001)).toBe('error');
  });

  it('error wins over warn, and a missing threshold is never passed', () => {
    expect(freshnessStatus(criteria(null, 1), 10 * 86400)).toBe('error');
    expect(freshnessStatus(criteria(1, null), 10 * 86400)).toBe('warn');
    expect(freshnessStatus(criteria(5, 1), 2 * 3600)).toBe('error');
  });

  it('data from the future is fresh', () => {
    expect(freshnessStatus(criteria(1, 2), -600)).toBe('pass');
  });

  it('ages read in words', () => {
    expect(describeAge(1)).toBe('1 second');
    expect(describeAge(59.9)).toBe('59 seconds');
    expect(describeAge(61)).toBe('1 minute 1 second');
    expect(describeAge(2 * 3600 + 5 * 60)).toBe('2 hours 5 minutes');
    expect(describeAge(3 * 86400 + 3600)).toBe('3 days 1 hour');
    expect(describeAge(-90)).toBe('-1 minute 30 seconds');
  });
});
