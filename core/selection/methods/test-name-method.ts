import { globMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/**
 * `test_name:unique`: generic tests by the name of the test that defines them (wildcards allowed),
 * as in dbt: a custom test declared as `is_positive` or renamed with `name:` still matches `is_positive`.
 */
export const testNameMethod: SelectorMethod = {
  *search(value, _args, { nodes }) {
    const isMatch = globMatcher(value);
    for (const [id, node] of nodes) {
      const generic = node.resource_type === 'test' ? (node as { test_metadata?: { name: string } }).test_metadata : undefined;
      if (generic && isMatch(generic.name)) yield id;
    }
  },
};
