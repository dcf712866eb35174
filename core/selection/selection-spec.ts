import type { SourceLocation } from '../errors/user-error.js';

/** How tests attached to selected nodes are picked up (dbt's `indirect_selection`); applied by the test issue. */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';

/** One selector atom, `[@][N+][method[.arg]:]value[+N]`, after parsing. */
export interface SelectionCriteria {
  kind: 'criteria';
  /** The text the user wrote, for messages. */
  raw: string;
  method: string;
  /** Dotted method arguments: `config.materialized` has `['materialized']`. */
  args: string[];
  value: string;
  /** `+x`: add ancestors, up to `parentsDepth` levels (null: all). */
  parents: boolean;
  parentsDepth: number | null;
  /** `x+`: add descendants, up to `childrenDepth` levels (null: all). */
  children: boolean;
  childrenDepth: number | null;
  /** `@x`: add descendants and every ancestor of those descendants. */
  childrensParents: boolean;
  indirectSelection?: IndirectSelection;
  /** Where the atom was written (selectors.yml), for errors raised when it is resolved. */
  at?: SourceLocation;
}

/** A parsed selection: atoms combined by union, intersection and difference; `all` is every node. */
export type SelectionSpec =
  | SelectionCriteria
  | { kind: 'all' }
  | { kind: 'union'; specs: SelectionSpec[] }
  | { kind: 'intersection'; specs: SelectionSpec[] }
  | { kind: 'difference'; include: SelectionSpec; exclude: SelectionSpec };
