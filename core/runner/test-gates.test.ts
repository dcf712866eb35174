import { describe, expect, it } from 'vitest';
import { buildDag, findCycle } from '../graph/dag.js';
import type { AnyNode, ManifestNode } from '../manifest/nodes.js';
import { withTestGates } from './test-gates.js';

function node(id: string, deps: string[] = [], attached?: string): ManifestNode {
  return { unique_id: id, resource_type: id.split('.')[0], name: id, depends_on: { nodes: deps, macros: [] }, attached_node: attached ?? null } as unknown as ManifestNode;
}

describe('withTestGates', () => {
  it("makes a model's test a parent of the model's children", () => {
    const nodes = new Map([node('model.a'), node('model.b', ['model.a']), node('test.t', ['model.a'], 'model.a')].map((n) => [n.unique_id, n]));
    const gated = withTestGates(buildDag(nodes as Map<string, AnyNode>), nodes, new Set(nodes.keys()));
    expect(gated.hasEdge('test.t', 'model.b')).toBe(true);
  });

  it('leaves out an edge that would make a cycle (relationships between parent and child)', () => {
    // orders refs customers; a relationships test on customers points at orders.
    const nodes = new Map(
      [node('model.customers'), node('model.orders', ['model.customers']), node('test.rel', ['model.customers', 'model.orders'], 'model.customers')].map((n) => [n.unique_id, n]),
    );
    const gated = withTestGates(buildDag(nodes as Map<string, AnyNode>), nodes, new Set(nodes.keys()));
    expect(gated.hasEdge('test.rel', 'model.orders')).toBe(false);
    expect(findCycle(gated)).toBeUndefined();
  });

  it('does not gate nodes outside the run', () => {
    const nodes = new Map([node('model.a'), node('model.b', ['model.a']), node('test.t', ['model.a'], 'model.a')].map((n) => [n.unique_id, n]));
    const gated = withTestGates(buildDag(nodes as Map<string, AnyNode>), nodes, new Set(['model.a', 'test.t']));
    expect(gated.hasEdge('test.t', 'model.b')).toBe(false);
  });
});

describe('withTestGates and unit tests', () => {
  it('runs a unit test before its model and never gates a unit test behind a data test', () => {
    const nodes = new Map(
      [node('model.a'), node('model.b', ['model.a']), node('test.singular', ['model.b']), node('unit_test.b', ['model.b'])].map((n) => [n.unique_id, n]),
    );
    const gated = withTestGates(buildDag(nodes as Map<string, AnyNode>), nodes, new Set(nodes.keys()));
    expect(gated.hasEdge('unit_test.b', 'model.b')).toBe(true);
    expect(gated.hasEdge('model.b', 'unit_test.b')).toBe(false);
    expect(gated.hasEdge('test.singular', 'unit_test.b')).toBe(false);
    expect(findCycle(gated)).toBeUndefined();
  });
});
