import { UserError } from '../../errors/user-error.js';
import { MODIFIED_PARTS, type ModifiedPart, type NodeStateComparison, type SelectionState } from '../selection-state.js';
import type { SelectionContext, SelectorMethod } from '../selector-method.js';

const VALUES = ['new', 'old', 'modified', 'unmodified', ...MODIFIED_PARTS.map((p) => `modified.${p}`)];

/**
 * dbt's `state:` method against the --state manifest: `new`, `old`, `modified` (new or changed,
 * as in dbt), `unmodified`, and `modified.<part>` for body, configs, relation, macros, contract
 * and vars. Nodes are compared by what they would execute (see core/state/compare-manifests.ts).
 */
export const stateMethod: SelectorMethod = {
  validate(value) {
    if (VALUES.includes(value)) return undefined;
    return { message: `'${value}' is not a state`, hint: `state: takes ${VALUES.join(', ')}` };
  },
  *search(value, _args, context) {
    const state = requireState(context, `state:${value}`);
    for (const id of context.nodes.keys()) if (matches(state.compare(id), value)) yield id;
  },
  explain(id, value, _args, context) {
    const comparison = requireState(context, `state:${value}`).compare(id);
    if (comparison.status === 'new') return 'new: not in the state manifest';
    if (comparison.status === 'unmodified') return value === 'old' ? 'old: in the state manifest, unchanged' : 'unmodified';
    const part = value.startsWith('modified.') ? (value.slice('modified.'.length) as ModifiedPart) : undefined;
    const changes = comparison.changes.filter((c) => !part || c.part === part);
    return `modified: ${changes.map((c) => `${c.part} (${c.detail})`).join('; ')}`;
  },
};

function matches(comparison: NodeStateComparison, value: string): boolean {
  switch (value) {
    case 'new':
      return comparison.status === 'new';
    case 'old':
      return comparison.status !== 'new';
    case 'modified':
      return comparison.status !== 'unmodified';
    case 'unmodified':
      return comparison.status === 'unmodified';
    default: {
      const part = value.slice('modified.'.length);
      return comparison.changes.some((c) => c.part === part);
    }
  }
}

/** The state of the selection context, or a UserError saying --state is missing. */
export function requireState(context: SelectionContext, criterion: string): SelectionState {
  if (context.state) return context.state;
  throw new UserError(`'${criterion}' compares with a previous run, and no --state was given`, {
    hint: "add --state DIR, the folder of that run's manifest.json (e.g. production's artifacts)",
  });
}
