import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { labels, layeredProject, shopProject } from './__fixtures__/shop-project.js';
import { parseSelectorsFile } from './parse-selectors-file.js';
import { resolveSelection, type ResolveSelectionInput } from './resolve-selection.js';

const project = shopProject();
const resolve = (input: Omit<ResolveSelectionInput, 'graph' | 'nodes'>) => labels(resolveSelection({ ...project, ...input }), project.nodes);
const select = (...args: string[]) => resolve({ select: args });

const ALL = labels(project.nodes.keys(), project.nodes);

describe('graph operators', () => {
  it('+x selects x and all its ancestors', () => {
    expect(select('+orders')).toEqual(['orders', 'shop.orders', 'shop.payments', 'stg_orders', 'stg_payments']);
    expect(select('+customer_ltv')).toEqual([
      'country_codes',
      'customer_ltv',
      'customers',
      'orders',
      'raw_customers',
      'shop.orders',
      'shop.payments',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
  });

  it('x+ selects x and all its descendants', () => {
    expect(select('orders+')).toEqual(['customer_ltv', 'customers', 'daily_revenue', 'orders']);
    expect(select('raw_customers+')).toEqual(['customer_ltv', 'customers', 'raw_customers', 'stg_customers']);
  });

  it('1+x selects x and its direct parents', () => {
    expect(select('1+orders')).toEqual(['orders', 'stg_orders', 'stg_payments']);
  });

  it('2+x selects ancestors up to two levels', () => {
    expect(select('2+customers')).toEqual(['country_codes', 'customers', 'orders', 'raw_customers', 'stg_customers', 'stg_orders', 'stg_payments']);
  });

  it('x+1 selects x and its direct children', () => {
    expect(select('orders+1')).toEqual(['customers', 'daily_revenue', 'orders']);
  });

  it('x+2 selects descendants up to two levels', () => {
    expect(select('stg_orders+2')).toEqual(['customers', 'daily_revenue', 'orders', 'stg_orders']);
  });

  it('a depth counts the shortest path: a node reachable in 1 and 3 steps is within depth 1', () => {
    expect(select('stg_customers+1')).toEqual(['customers', 'stg_customers']);
    expect(select('1+customers')).toEqual(['country_codes', 'customers', 'orders', 'stg_customers']);
  });

  it('depth 0 selects the node alone', () => {
    expect(select('0+orders')).toEqual(['orders']);
    expect(select('orders+0')).toEqual(['orders']);
  });

  it('+x+ selects ancestors and descendants', () => {
    expect(select('+stg_charges+')).toEqual(['daily_revenue', 'stg_charges', 'stripe.charges']);
  });

  it('@x selects x, its descendants and all ancestors of those descendants', () => {
    expect(select('@stg_charges')).toEqual(['daily_revenue', 'orders', 'shop.orders', 'shop.payments', 'stg_charges', 'stg_orders', 'stg_payments', 'stripe.charges']);
  });

  it('@x of a leaf is +x', () => {
    expect(select('@customer_ltv')).toEqual(select('+customer_ltv'));
  });

  it('operators expand every node the method matched', () => {
    expect(select('tag:staging+1')).toEqual(['customers', 'daily_revenue', 'orders', 'stg_charges', 'stg_customers', 'stg_orders', 'stg_payments']);
    expect(select('1+resource_type:seed')).toEqual(['country_codes', 'raw_customers']);
  });

  it('operators on a node without relatives select the node alone', () => {
    expect(select('+audit_log+')).toEqual(['audit_log']);
  });

  it('traversals stay linear on a 20,000-node graph', () => {
    const big = layeredProject(200, 100);
    const started = performance.now();
    const everything = resolveSelection({ ...big, select: ['@m_0_0'] });
    const ancestors = resolveSelection({ ...big, select: ['+m_199_0'] });
    const twoUp = resolveSelection({ ...big, select: ['2+m_199_0'] });
    const below = resolveSelection({ ...big, select: ['m_0_0+'], exclude: ['tag:none'] });
    const elapsed = performance.now() - started;
    expect(everything.size).toBe(20_000);
    expect(ancestors.size).toBeGreaterThan(18_000);
    // m_199_0, then {0, 1, 7} of layer 198, then {0, 1, 2, 7, 8, 14} of layer 197.
    expect(twoUp.size).toBe(10);
    expect(below.has('model.big.m_199_0')).toBe(true);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('set operators', () => {
  it('space-separated selectors are a union', () => {
    expect(select('stg_orders stg_payments')).toEqual(['stg_orders', 'stg_payments']);
  });

  it('several values and repeated flags are a union too', () => {
    expect(select('stg_orders', 'stg_payments  tag:raw')).toEqual(['raw_customers', 'stg_orders', 'stg_payments']);
  });

  it('comma-separated selectors are an intersection', () => {
    expect(select('tag:nightly,config.materialized:table')).toEqual(['customers', 'orders']);
    expect(select('path:models/staging,resource_type:source')).toEqual(['shop.orders', 'shop.payments', 'stripe.charges']);
  });

  it('graph operators apply to each part before intersecting', () => {
    expect(select('+customers,tag:staging')).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
  });

  it('a union of intersections', () => {
    expect(select('tag:nightly,resource_type:seed stg_charges tag:finance,tag:nightly')).toEqual(['orders', 'stg_charges']);
  });

  it('--exclude removes its selection from --select', () => {
    expect(resolve({ select: ['tag:nightly'], exclude: ['customers'] })).toEqual(['orders', 'stg_customers', 'stg_orders']);
    expect(resolve({ select: ['+customers'], exclude: ['resource_type:source', 'resource_type:seed'] })).toEqual([
      'customers',
      'orders',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
  });

  it('--exclude takes graph operators and intersections', () => {
    expect(resolve({ select: ['+daily_revenue'], exclude: ['+orders'] })).toEqual(['daily_revenue', 'stg_charges', 'stripe.charges']);
    expect(resolve({ select: ['tag:staging'], exclude: ['tag:nightly,config.materialized:view'] })).toEqual(['stg_charges', 'stg_payments']);
  });

  it('without --select every node is selected, minus --exclude', () => {
    expect(resolve({})).toEqual(ALL);
    expect(resolve({ select: [] })).toEqual(ALL);
    expect(resolve({ exclude: ['path:models/staging'] })).toEqual(['audit_log', 'country_codes', 'customer_ltv', 'customers', 'daily_revenue', 'orders', 'raw_customers']);
  });

  it('graph nodes missing from the node map are still selected by default and by traversal', () => {
    const graph = project.graph.copy();
    graph.addNode('exposure.shop.dashboard');
    graph.addEdge('model.shop.customers', 'exposure.shop.dashboard');
    expect(resolveSelection({ graph, nodes: project.nodes }).has('exposure.shop.dashboard')).toBe(true);
    expect(resolveSelection({ graph, nodes: project.nodes, select: ['customers+'] }).has('exposure.shop.dashboard')).toBe(true);
  });
});

describe('--selector', () => {
  const selectors = parseSelectorsFile(
    [
      'selectors:',
      '  - name: nightly',
      '    definition: tag:nightly',
      '  - name: finance_default',
      '    default: true',
      '    definition: tag:finance',
    ].join('\n'),
    'selectors.yml',
  );

  it('uses the named definition', () => {
    expect(resolve({ selector: 'nightly', selectors })).toEqual(['customers', 'orders', 'stg_customers', 'stg_orders']);
  });

  it('the default selector applies when neither --select, --exclude nor --selector is given', () => {
    expect(resolve({ selectors })).toEqual(['daily_revenue', 'orders']);
  });

  it('--select or --exclude turn the default selector off', () => {
    expect(resolve({ selectors, select: ['stg_orders'] })).toEqual(['stg_orders']);
    expect(resolve({ selectors, exclude: ['path:models'] })).toEqual(['country_codes', 'raw_customers']);
  });

  it('an unknown selector name is refused with a suggestion', () => {
    const error = catchError(() => resolve({ selector: 'nighlty', selectors }));
    expect(error.message).toBe("unknown selector 'nighlty'");
    expect(error.hint).toBe("did you mean 'nightly'?");
    expect(error.file).toBeUndefined();
  });

  it('an unknown selector without selectors.yml says where to define it', () => {
    const error = catchError(() => resolve({ selector: 'nightly' }));
    expect(error.hint).toMatch(/selectors\.yml/);
  });

  it('--selector with --select is refused', () => {
    const error = catchError(() => resolve({ selector: 'nightly', selectors, select: ['orders'] }));
    expect(error.message).toBe('--selector cannot be combined with --select or --exclude');
  });
});

function catchError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}
