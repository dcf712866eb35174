import { describe, expect, it } from 'vitest';
import { namedInSelection } from './compile.js';

describe('namedInSelection (the nodes whose SQL compile prints)', () => {
  it('takes each criterion\'s bare name, without graph operators', () => {
    expect([...namedInSelection(['stg_orders+', '+fct_orders', '2+dim_customers+1', '@orders'])].sort()).toEqual(['dim_customers', 'fct_orders', 'orders', 'stg_orders']);
  });

  it('reads unions and intersections, and the last part of a dotted name', () => {
    expect([...namedInSelection(['a b,c', 'shop.marts.fct'])].sort()).toEqual(['a', 'b', 'c', 'fct']);
  });

  it('names nothing for methods and wildcards, or without --select', () => {
    expect(namedInSelection(['tag:nightly', 'path:models/marts', 'config.materialized:table', 'stg_*'])).toEqual(new Set());
    expect(namedInSelection(undefined)).toEqual(new Set());
  });
});
