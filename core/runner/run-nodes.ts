import type { Dag } from '../graph/dag.js';
import { topologicalOrder } from '../graph/dag.js';
import type { NodeResult } from '../artifacts/run-results.js';
import { isUserError } from '../errors/user-error.js';
import type { ManifestNode } from '../manifest/nodes.js';

/** What the runner tells whoever prints progress. */
export type RunEvent =
  | { type: 'node-start'; node: ManifestNode; index: number; total: number }
  | { type: 'node-end'; node: ManifestNode; index: number; total: number; result: NodeResult };

/** Runs one node and returns its result; errors it throws become `error` results. */
export type NodeExecutor = (node: ManifestNode, threadId: string) => Promise<NodeResult>;

export interface RunNodesOptions {
  dag: Dag;
  nodes: ReadonlyMap<string, ManifestNode>;
  /** The nodes to run; parents outside this set are taken as already built. */
  ids: ReadonlySet<string>;
  threads: number;
  failFast?: boolean;
  execute: NodeExecutor;
  /** Nodes that run silently and produce no result (ephemeral models). */
  isSilent?: (node: ManifestNode) => boolean;
  /** Whether a failed node should stop its descendants (a warning does not). */
  blocksDescendants?: (result: NodeResult) => boolean;
  onEvent?: (event: RunEvent) => void;
  /** Set to stop starting new nodes (Ctrl-C). */
  signal?: AbortSignal;
}

function emptyResult(node: ManifestNode, status: NodeResult['status'], message: string): NodeResult {
  return {
    unique_id: node.unique_id,
    status,
    timing: [],
    thread_id: 'main',
    execution_time: 0,
    adapter_response: {},
    message,
    failures: null,
    compiled: false,
    compiled_code: null,
    relation_name: node.relation_name,
  };
}

/** The result of a node that threw, with the error's message. */
export function errorResult(node: ManifestNode, error: unknown, started: number): NodeResult {
  const message = isUserError(error) ? error.format() : error instanceof Error ? error.message : String(error);
  const result = emptyResult(node, 'error', message);
  result.execution_time = (performance.now() - started) / 1000;
  return result;
}

/**
 * Runs nodes in DAG order, up to `threads` at a time. A node whose parent failed is skipped
 * (and so are its descendants) while the rest go on; with failFast the first failure stops
 * everything not yet started.
 */
export async function runNodes(options: RunNodesOptions): Promise<NodeResult[]> {
  const { dag, nodes, ids } = options;
  const order = topologicalOrder(dag, ids);
  if (order.length !== ids.size) {
    // A node in a cycle would never become ready; refuse rather than silently leave it out.
    const stuck = [...ids].filter((id) => !order.includes(id));
    throw new Error(`the run order has a cycle through ${stuck.slice(0, 5).join(', ')}`);
  }
  const silent = (node: ManifestNode) => options.isSilent?.(node) ?? false;
  const blocks = options.blocksDescendants ?? ((r: NodeResult) => r.status === 'error' || r.status === 'fail' || r.status === 'skipped' || r.status === 'runtime error');
  const total = order.filter((id) => !silent(nodes.get(id)!)).length;
  const waiting = new Map<string, number>();
  const blockedBy = new Map<string, string>();
  for (const id of order) {
    let n = 0;
    dag.forEachInNeighbor(id, (parent) => {
      if (ids.has(parent)) n++;
    });
    waiting.set(id, n);
  }
  const ready = order.filter((id) => waiting.get(id) === 0);
  const results: NodeResult[] = [];
  let index = 0;
  let running = 0;
  let stopped = false;
  const freeThreads = Array.from({ length: Math.max(1, options.threads) }, (_, i) => `Thread-${i + 1}`).reverse();

  return new Promise<NodeResult[]>((resolve) => {
    const finish = (id: string, result: NodeResult | undefined) => {
      if (result) results.push(result);
      const failed = result ? blocks(result) : false;
      if (failed && options.failFast && result?.status !== 'skipped') stopped = true;
      dag.forEachOutNeighbor(id, (child) => {
        if (!ids.has(child)) return;
        if (failed || blockedBy.has(id)) blockedBy.set(child, blockedBy.get(id) ?? id);
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0) ready.push(child);
      });
    };
    const pump = () => {
      if (options.signal?.aborted) stopped = true;
      while (ready.length && (running < options.threads || stopped)) {
        const id = ready.shift()!;
        const node = nodes.get(id)!;
        const upstream = blockedBy.get(id);
        if (upstream || stopped) {
          const reason = stopped ? 'skipped: the run was stopped' : `skipped: upstream ${nodes.get(upstream!)?.name ?? upstream} did not succeed`;
          if (silent(node)) {
            if (upstream) blockedBy.set(id, upstream);
            finish(id, undefined);
            continue;
          }
          const result = emptyResult(node, 'skipped', reason);
          index++;
          options.onEvent?.({ type: 'node-end', node, index, total, result });
          finish(id, result);
          continue;
        }
        if (silent(node)) {
          finish(id, undefined);
          continue;
        }
        const position = ++index;
        const thread = freeThreads.pop() ?? `Thread-${running + 1}`;
        running++;
        options.onEvent?.({ type: 'node-start', node, index: position, total });
        const started = performance.now();
        options
          .execute(node, thread)
          .catch((error: unknown) => errorResult(node, error, started))
          .then((result) => {
            running--;
            freeThreads.push(thread);
            options.onEvent?.({ type: 'node-end', node, index: position, total, result });
            finish(id, result);
            pump();
          });
      }
      if (running === 0 && ready.length === 0) resolve(results);
    };
    pump();
  });
}
