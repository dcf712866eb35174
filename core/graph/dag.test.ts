import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import type { AnyNode } from '../manifest/nodes.js';
import { adjacency, assertAcyclic, buildDag, topologicalOrder } from './dag.js';

function node(name: string, deps: string[] = []): AnyNode {
  return {
    unique_id: `model.p.${name}`,
    resource_type: 'model',
    name,
    original_file_path: `models/${name}.sql`,
    depends_on: { nodes: deps.map((d) => `model.p.${d}`), macros: [] },
  } as unknown as AnyNode;
}

const nodes = (...list: AnyNode[]) => new Map(list.map((n) => [n.unique_id, n]));

describe('dag', () => {
  it('orders every node after its parents', () => {
    const dag = buildDag(nodes(node('c', ['b']), node('b', ['a']), node('a'), node('d', ['a', 'c'])));
    const order = topologicalOrder(dag).map((id) => id.split('.').pop());
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('c'));
    expect(order.indexOf('c')).toBeLessThan(order.indexOf('d'));
  });

  it('a cycle is refused and printed in order', () => {
    let caught: unknown;
    try {
      buildDag(nodes(node('a', ['c']), node('b', ['a']), node('c', ['b']), node('x')));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    const message = (caught as UserError).message;
    expect(message).toMatch(/^dependency cycle: /);
    const names = message.replace('dependency cycle: ', '').split(' -> ');
    expect(names[0]).toBe(names[names.length - 1]);
    expect(new Set(names)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('a model that refers to itself is a cycle', () => {
    expect(() => buildDag(nodes(node('a', ['a'])))).toThrowError('dependency cycle: a -> a');
  });

  it('assertAcyclic accepts a DAG and names a cycle as buildDag does, without the graph', () => {
    expect(() => assertAcyclic(nodes(node('c', ['b']), node('b', ['a']), node('a'), node('d', ['a', 'c'])))).not.toThrow();
    expect(() => assertAcyclic(nodes(node('a', ['a'])))).toThrowError('dependency cycle: a -> a');
    expect(() => assertAcyclic(nodes(node('x'), node('a', ['c']), node('b', ['a']), node('c', ['b'])))).toThrowError(/^dependency cycle: (a|b|c) -> /);
  });

  it('adjacency lists sorted parents and children, leaving out parents that are not nodes', () => {
    const { parents, children } = adjacency(nodes(node('z'), node('a'), node('m', ['z', 'a', 'gone']), node('b', ['m'])));
    expect(parents.get('model.p.m')).toEqual(['model.p.a', 'model.p.z']);
    expect(children.get('model.p.m')).toEqual(['model.p.b']);
    expect(children.get('model.p.z')).toEqual(['model.p.m']);
    expect(parents.get('model.p.a')).toEqual([]);
    expect(children.has('model.p.gone')).toBe(false);
    // Children come out sorted whatever the order of the nodes; lists are in the nodes' order.
    const more = adjacency(nodes(node('a'), node('y', ['a']), node('c', ['a']), node('x', ['c', 'a'])));
    expect(more.children.get('model.p.a')).toEqual(['model.p.c', 'model.p.x', 'model.p.y']);
    expect(more.parents.get('model.p.x')).toEqual(['model.p.a', 'model.p.c']);
    expect([...more.parents.keys()]).toEqual(['model.p.a', 'model.p.y', 'model.p.c', 'model.p.x']);
    expect([...more.children.keys()]).toEqual(['model.p.a', 'model.p.y', 'model.p.c', 'model.p.x']);
    expect(more.children.get('model.p.x')).toEqual([]);
  });

  it('a subset orders only its own members', () => {
    const dag = buildDag(nodes(node('a'), node('b', ['a']), node('c', ['b'])));
    expect(topologicalOrder(dag, new Set(['model.p.c', 'model.p.a']))).toEqual(['model.p.a', 'model.p.c']);
  });
});
