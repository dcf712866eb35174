import { describe, expect, it } from 'vitest';
import { injectCtes } from './inject-ctes.js';

const cte = [{ id: 'model.p.eph', sql: 'select 1 as id' }];

describe('injectCtes', () => {
  it('adds a WITH clause to a plain select', () => {
    expect(injectCtes('select * from __strata__cte__eph', cte)).toBe('with __strata__cte__eph as (\nselect 1 as id\n)\nselect * from __strata__cte__eph');
  });

  it('merges into an existing WITH clause, after leading comments', () => {
    const sql = '-- header\n/* x */ WITH a as (select 2) select * from a, __strata__cte__eph';
    expect(injectCtes(sql, cte)).toBe('-- header\n/* x */ with __strata__cte__eph as (\nselect 1 as id\n), a as (select 2) select * from a, __strata__cte__eph');
  });

  it('keeps WITH RECURSIVE recursive', () => {
    expect(injectCtes('with recursive r as (select 1) select * from r', cte)).toMatch(/^with recursive __strata__cte__eph as \(/);
  });

  it('does not take a column called within for a WITH clause', () => {
    expect(injectCtes('select within from t', cte)).toMatch(/^with __strata__cte__eph as/);
  });

  it('leaves SQL alone when there is nothing to inject', () => {
    expect(injectCtes('select 1', [])).toBe('select 1');
  });
});
