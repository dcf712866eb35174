import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../artifacts/run-results.js';
import { buildDag } from '../graph/dag.js';
import type { AnyNode, ManifestNode } from '../manifest/nodes.js';
import { runNodes, type RunEvent } from './run-nodes.js';

function model(name: string, deps: string[] = [], materialized = 'table'): ManifestNode {
  return {
    unique_id: `model.p.${name}`,
    resource_type: 'model',
    name,
    relation_name: name,
    config: { materialized },
    depends_on: { nodes: deps.map((d) => `model.p.${d}`), macros: [] },
  } as unknown as ManifestNode;
}

function setup(list: ManifestNode[]) {
  const nodes = new Map(list.map((n) => [n.unique_id, n]));
  return { nodes, dag: buildDag(nodes as Map<string, AnyNode>), ids: new Set(nodes.keys()) };
}

const ok = (node: ManifestNode): NodeResult => ({ unique_id: node.unique_id, status: 'success' } as NodeResult);

describe('runNodes', () => {
  it('never starts a node before its parents finish, and never runs more than `threads` at once', async () => {
    const { nodes, dag, ids } = setup([model('a'), model('b'), model('c', ['a', 'b']), model('d'), model('e', ['c', 'd'])]);
    const finished = new Set<string>();
    let running = 0;
    let peak = 0;
    await runNodes({
      dag,
      nodes,
      ids,
      threads: 2,
      execute: async (node) => {
        for (const parent of node.depends_on.nodes) expect(finished.has(parent)).toBe(true);
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        finished.add(node.unique_id);
        return ok(node);
      },
    });
    expect(finished.size).toBe(5);
    expect(peak).toBe(2);
  });

  it('a thrown error becomes an error result and its descendants are skipped through ephemeral nodes', async () => {
    const { nodes, dag, ids } = setup([model('a'), model('eph', ['a'], 'ephemeral'), model('b', ['eph']), model('c')]);
    const events: RunEvent[] = [];
    const results = await runNodes({
      dag,
      nodes,
      ids,
      threads: 1,
      isSilent: (n) => n.config.materialized === 'ephemeral',
      onEvent: (e) => events.push(e),
      execute: async (node) => {
        if (node.name === 'a') throw new Error('boom');
        return ok(node);
      },
    });
    const status = Object.fromEntries(results.map((r) => [r.unique_id, r.status]));
    expect(status).toEqual({ 'model.p.a': 'error', 'model.p.b': 'skipped', 'model.p.c': 'success' });
    expect(results.find((r) => r.unique_id === 'model.p.a')!.message).toBe('boom');
    expect(results.find((r) => r.unique_id === 'model.p.b')!.message).toContain('upstream a');
    const ends = events.filter((e) => e.type === 'node-end');
    expect(ends.map((e) => e.total)).toEqual([3, 3, 3]);
    expect(ends.map((e) => e.index).sort()).toEqual([1, 2, 3]);
  });

  it('failFast skips everything not yet started', async () => {
    const { nodes, dag, ids } = setup([model('a'), model('b'), model('c')]);
    const results = await runNodes({
      dag,
      nodes,
      ids,
      threads: 1,
      failFast: true,
      execute: async (node) => (node.name === 'a' ? { ...ok(node), status: 'error' } : ok(node)),
    });
    expect(results.map((r) => r.status).sort()).toEqual(['error', 'skipped', 'skipped']);
  });

  it('a warning does not block descendants', async () => {
    const { nodes, dag, ids } = setup([model('a'), model('b', ['a'])]);
    const results = await runNodes({ dag, nodes, ids, threads: 1, execute: async (node) => (node.name === 'a' ? { ...ok(node), status: 'warn' } : ok(node)) });
    expect(results.map((r) => r.status)).toEqual(['warn', 'success']);
  });

  it('parents outside the selection count as built', async () => {
    const { nodes, dag } = setup([model('a'), model('b', ['a'])]);
    const results = await runNodes({ dag, nodes, ids: new Set(['model.p.b']), threads: 1, execute: async (node) => ok(node) });
    expect(results.map((r) => r.unique_id)).toEqual(['model.p.b']);
  });
});

describe('runNodes with a cyclic schedule', () => {
  it('refuses instead of leaving nodes out', async () => {
    const { nodes, dag, ids } = setup([model('a'), model('b', ['a'])]);
    dag.addEdge('model.p.b', 'model.p.a');
    await expect(runNodes({ dag, nodes, ids, threads: 1, execute: async (node) => ok(node) })).rejects.toThrowError(/cycle/);
  });
});
