import type { DirectedGraph } from 'graphology';
import type { AnyNode } from '../manifest/nodes.js';
import type { SelectionState } from './selection-state.js';

/** What a selector method searches: the DAG and the nodes that are members of it. */
export interface SelectionContext {
  /** Node keys are unique_ids, with an edge from each parent to its child. */
  graph: DirectedGraph;
  /** Only nodes present in the graph. */
  nodes: ReadonlyMap<string, AnyNode>;
  /** A previous run's artifacts (--state), for `state:`, `result:` and `source_status:`. */
  state?: SelectionState;
}

/** One `method:` of the selection syntax (`tag:`, `config.materialized:`...). */
export interface SelectorMethod {
  /** Whether the method takes dotted arguments (`config.<key>`): `'required'`, or none when absent. */
  readonly args?: 'required';
  /** Checks a value when the selector is parsed; returns a message and optional hint when it can never be valid. */
  validate?(value: string, args: readonly string[]): { message: string; hint?: string } | undefined;
  /** The unique_ids of the nodes that match `value`. */
  search(value: string, args: readonly string[], context: SelectionContext): Iterable<string>;
  /** Why a node it matched was matched, when there is more to say than the criterion (`state:modified`: what changed). */
  explain?(uniqueId: string, value: string, args: readonly string[], context: SelectionContext): string | undefined;
}
