import type { SelectorMethod } from '../selector-method.js';
import { requireState } from './state-method.js';

/**
 * dbt's `source_status:fresher`: sources whose max_loaded_at in this run's target/sources.json is
 * newer than in the --state sources.json. `source_status:fresher+` builds what reads new data.
 */
export const sourceStatusMethod: SelectorMethod = {
  validate(value) {
    return value === 'fresher' ? undefined : { message: `'${value}' is not a source status`, hint: 'source_status: takes fresher' };
  },
  *search(value, _args, context) {
    const state = requireState(context, `source_status:${value}`);
    for (const [id, node] of context.nodes) if (node.resource_type === 'source' && state.isFresher(id)) yield id;
  },
  explain() {
    return 'its data is newer than in the previous run (sources.json)';
  },
};
