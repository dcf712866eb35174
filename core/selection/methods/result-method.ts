import type { SelectorMethod } from '../selector-method.js';
import { requireState } from './state-method.js';

const STATUSES = ['success', 'error', 'fail', 'warn', 'pass', 'skipped', 'runtime error'];

/** dbt's `result:<status>`: nodes whose status in the --state run_results.json is the given one. */
export const resultMethod: SelectorMethod = {
  validate(value) {
    if (STATUSES.includes(value)) return undefined;
    return { message: `'${value}' is not a run result status`, hint: `result: takes ${STATUSES.join(', ')}` };
  },
  *search(value, _args, context) {
    const state = requireState(context, `result:${value}`);
    for (const id of context.nodes.keys()) if (state.previousResult(id) === value) yield id;
  },
  explain(_id, value) {
    return `its status in the previous run was ${value}`;
  },
};
