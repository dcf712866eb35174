import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/nodes.js';
import type { ManifestLike } from './compare-manifests.js';
import { Deferral } from './deferral.js';

const sql = { relation: (r: { database: string | null; schema: string; identifier: string }) => [r.database, r.schema, r.identifier].filter(Boolean).join('.') };

function node(name: string, schema: string, database: string, extra: Partial<ManifestNode> = {}): ManifestNode {
  return {
    unique_id: `model.shop.${name}`,
    resource_type: 'model',
    name,
    alias: name,
    schema,
    database,
    relation_name: `${database}.${schema}.${name}`,
    config: { materialized: 'table' },
    ...extra,
  } as unknown as ManifestNode;
}

const previous: ManifestLike = {
  metadata: {},
  nodes: {
    'model.shop.a': node('a', 'prod', 'warehouse'),
    'model.shop.b': node('b', 'prod', 'warehouse'),
    'model.shop.c': node('c', 'prod', 'warehouse', { alias: 'c_v2' }),
    'model.shop.e': node('e', 'prod', 'warehouse', { config: { materialized: 'ephemeral' } as ManifestNode['config'], relation_name: null }),
  },
};
const current = ['a', 'b', 'c', 'd', 'e'].map((n) => node(n, 'pr_1', 'warehouse'));

describe('Deferral', () => {
  it('defers unselected nodes this environment lacks, and never selected ones', () => {
    const d = new Deferral({ previous, nodes: current, selected: new Set(['model.shop.b']), favorState: false, exists: (r) => r.identifier === 'a', sql });
    expect(d.relationFor(current[0])).toBeUndefined(); // a exists here
    expect(d.relationFor(current[1])).toBeUndefined(); // b is selected
    expect(d.relationFor(current[2])).toBe('warehouse.prod.c_v2'); // the state's alias, not ours
    expect(d.relationFor(current[3])).toBeUndefined(); // d is new: not in the state
    expect(d.relationFor(current[4])).toBeUndefined(); // ephemeral in the state
  });

  it('--favor-state defers even when this environment has the relation', () => {
    const d = new Deferral({ previous, nodes: current, selected: new Set(['model.shop.b']), favorState: true, exists: () => true, sql });
    expect(d.relationFor(current[0])).toBe('warehouse.prod.a');
    expect(d.relationFor(current[1])).toBeUndefined();
  });

  it('reads an attached database under its alias', () => {
    const d = new Deferral({ previous, nodes: current, selected: new Set(), favorState: true, exists: () => false, sql });
    expect([...d.databases()]).toEqual(['warehouse']);
    d.alias('WAREHOUSE', 'warehouse_state');
    expect(d.relationFor(current[0])).toBe('warehouse_state.prod.a');
  });
});
