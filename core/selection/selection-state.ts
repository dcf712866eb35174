/**
 * What `state:`, `result:` and `source_status:` selection read about a previous run (the
 * artifacts given with --state). core/state implements it; selection only sees this interface.
 */

/** The parts of a node that `state:modified.<part>` names, plus `vars` (a var the node reads changed). */
export type ModifiedPart = 'body' | 'configs' | 'relation' | 'macros' | 'contract' | 'vars';

export const MODIFIED_PARTS: readonly ModifiedPart[] = ['body', 'configs', 'relation', 'macros', 'contract', 'vars'];

/** One reason a node counts as modified, in words a user can act on. */
export interface StateChange {
  part: ModifiedPart;
  detail: string;
}

/** How a node of this project compares with the same unique_id in the state manifest. */
export interface NodeStateComparison {
  status: 'new' | 'modified' | 'unmodified';
  changes: StateChange[];
}

export interface SelectionState {
  /** The comparison of one node (of the current project) with the state manifest. */
  compare(uniqueId: string): NodeStateComparison;
  /** The node's status in the state's run_results.json; undefined when it did not run. Throws a UserError without that file. */
  previousResult(uniqueId: string): string | undefined;
  /** Whether a source's max_loaded_at in target/sources.json is newer than in the state's sources.json (or new). */
  isFresher(uniqueId: string): boolean;
}
