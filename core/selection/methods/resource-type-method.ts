import { didYouMean } from '../../errors/did-you-mean.js';
import type { SelectorMethod } from '../selector-method.js';

/** The resource types dbt lets `resource_type:` name. */
export const RESOURCE_TYPES = [
  'model',
  'seed',
  'source',
  'test',
  'snapshot',
  'analysis',
  'operation',
  'exposure',
  'metric',
  'semantic_model',
  'saved_query',
  'unit_test',
] as const;

/** `resource_type:seed`: nodes of one resource type. */
export const resourceTypeMethod: SelectorMethod = {
  validate(value) {
    if ((RESOURCE_TYPES as readonly string[]).includes(value)) return undefined;
    return {
      message: `'${value}' is not a resource type`,
      hint: didYouMean(value, RESOURCE_TYPES) || `resource types: ${RESOURCE_TYPES.join(', ')}`,
    };
  },
  *search(value, _args, { nodes }) {
    for (const [id, node] of nodes) {
      if (node.resource_type === value) yield id;
    }
  },
};
