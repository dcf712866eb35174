import { describe, expect, it } from 'vitest';
import { hasThreshold, mergeFreshness, thresholdSeconds, UNSET_TIME } from './freshness-criteria.js';

const hour = (count: number) => ({ count, period: 'hour' as const });
const day = (count: number) => ({ count, period: 'day' as const });

describe('freshness criteria', () => {
  it('thresholds convert minutes, hours and days to seconds', () => {
    expect(thresholdSeconds({ count: 30, period: 'minute' })).toBe(1800);
    expect(thresholdSeconds(hour(12))).toBe(43200);
    expect(thresholdSeconds(day(2))).toBe(172800);
    expect(thresholdSeconds(UNSET_TIME)).toBeNull();
    expect(thresholdSeconds(null)).toBeNull();
  });

  it('a table threshold replaces the source one and the other threshold is inherited', () => {
    const merged = mergeFreshness([{ warn_after: hour(12), error_after: day(1) }, { error_after: hour(18) }]);
    expect(merged).toEqual({ warn_after: hour(12), error_after: hour(18), filter: null });
  });

  it('the innermost level wins: source, source config, table, table config', () => {
    const merged = mergeFreshness([{ warn_after: hour(1) }, { warn_after: hour(2) }, { warn_after: hour(3) }, { warn_after: hour(4) }]);
    expect(merged?.warn_after).toEqual(hour(4));
    expect(mergeFreshness([{ warn_after: hour(1) }, { warn_after: hour(2) }, undefined, undefined])?.warn_after).toEqual(hour(2));
  });

  // What is left when nothing can be checked: the manifest shape of unset criteria.
  const NOTHING_SET = { warn_after: UNSET_TIME, error_after: UNSET_TIME, filter: null };

  it('freshness: null on the table turns the source criteria off', () => {
    expect(mergeFreshness([{ warn_after: hour(12) }, undefined, null, undefined])).toBeNull();
  });

  it('criteria set after a null level count again', () => {
    expect(mergeFreshness([null, { error_after: day(1) }])).toEqual({ warn_after: UNSET_TIME, error_after: day(1), filter: null });
  });

  it('a threshold set to null is turned off, and with none left nothing is checked', () => {
    expect(mergeFreshness([{ warn_after: hour(1), error_after: day(1) }, { warn_after: null }])).toEqual({ warn_after: UNSET_TIME, error_after: day(1), filter: null });
    const none = mergeFreshness([{ warn_after: hour(1) }, { warn_after: null }]);
    expect(none).toEqual(NOTHING_SET);
    expect(hasThreshold(none)).toBe(false);
  });

  it('a filter alone is not enough to check a table, and the innermost filter wins', () => {
    const filterOnly = mergeFreshness([{ filter: 'x > 1' }]);
    expect(filterOnly).toEqual({ ...NOTHING_SET, filter: 'x > 1' });
    expect(hasThreshold(filterOnly)).toBe(false);
    expect(mergeFreshness([{ warn_after: hour(1), filter: 'a' }, { filter: 'b' }])?.filter).toBe('b');
    expect(mergeFreshness([{ warn_after: hour(1), filter: 'a' }, { error_after: day(1) }])?.filter).toBe('a');
  });

  it('no levels at all means nothing to check', () => {
    expect(mergeFreshness([])).toEqual(NOTHING_SET);
    expect(mergeFreshness([undefined, undefined])).toEqual(NOTHING_SET);
    expect(hasThreshold(mergeFreshness([]))).toBe(false);
    expect(hasThreshold(null)).toBe(false);
    expect(hasThreshold({ warn_after: UNSET_TIME, error_after: hour(1), filter: null })).toBe(true);
  });
});
