import { didYouMean } from '../../errors/did-you-mean.js';
import type { SelectorMethod } from '../selector-method.js';

const TEST_TYPES = ['generic', 'singular', 'unit', 'data'] as const;

/** `test_type:generic|singular|unit`: tests of one kind (`data` means generic or singular, as in dbt). */
export const testTypeMethod: SelectorMethod = {
  validate(value) {
    if ((TEST_TYPES as readonly string[]).includes(value)) return undefined;
    return { message: `'${value}' is not a test type`, hint: didYouMean(value, TEST_TYPES) || `test types: ${TEST_TYPES.join(', ')}` };
  },
  *search(value, _args, { nodes }) {
    for (const [id, node] of nodes) {
      if (node.resource_type === 'unit_test') {
        if (value === 'unit') yield id;
      } else if (node.resource_type === 'test') {
        const generic = Boolean((node as { test_metadata?: unknown }).test_metadata);
        if (value === 'data' || (value === 'generic' && generic) || (value === 'singular' && !generic)) yield id;
      }
    }
  },
};
