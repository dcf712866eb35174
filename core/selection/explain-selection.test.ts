import { describe, expect, it } from 'vitest';
import { shopProject } from './__fixtures__/shop-project.js';
import { explainSelection } from './explain-selection.js';
import { parseSelectionArgs } from './parse-selection-args.js';
import { resolveSelection } from './resolve-selection.js';
import type { NodeStateComparison, SelectionState } from './selection-state.js';

const modified: Record<string, NodeStateComparison> = {
  'model.shop.stg_orders': { status: 'modified', changes: [{ part: 'macros', detail: "macro 'cents' changed" }] },
  'model.shop.customer_ltv': { status: 'new', changes: [] },
};
const state: SelectionState = {
  compare: (id) => modified[id] ?? { status: 'unmodified', changes: [] },
  previousResult: (id) => (id === 'model.shop.orders' ? 'error' : 'success'),
  isFresher: () => false,
};

describe('explainSelection', () => {
  it('gives the same nodes as resolveSelection, each with its reason', () => {
    const { graph, nodes } = shopProject();
    const select = ['state:modified+'];
    const why = explainSelection(parseSelectionArgs(select), { graph, nodes, state });
    expect(new Set(why.keys())).toEqual(resolveSelection({ graph, nodes, select, state }));
    expect(why.get('model.shop.stg_orders')).toEqual(["state:modified+: modified: macros (macro 'cents' changed)"]);
    // A node that is matched itself is not also said to be downstream.
    expect(why.get('model.shop.customer_ltv')).toEqual(['state:modified+: new: not in the state manifest']);
    expect(why.get('model.shop.orders')).toEqual(['state:modified+: downstream of stg_orders']);
  });

  it('an intersection keeps the reasons of each part; an exclusion removes nodes', () => {
    const { graph, nodes } = shopProject();
    const select = ['result:error+,resource_type:model'];
    const why = explainSelection(parseSelectionArgs(select), { graph, nodes, state });
    expect(new Set(why.keys())).toEqual(resolveSelection({ graph, nodes, select, state }));
    expect(why.get('model.shop.orders')).toEqual(['result:error+: its status in the previous run was error', 'resource_type:model: matches resource_type:model']);
    expect(why.get('model.shop.customers')).toEqual(['result:error+: downstream of orders', 'resource_type:model: matches resource_type:model']);
    const spec = { kind: 'difference' as const, include: parseSelectionArgs(['state:modified+']), exclude: parseSelectionArgs(['orders']) };
    expect(explainSelection(spec, { graph, nodes, state }).has('model.shop.orders')).toBe(false);
  });
});
