import { globMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/** `tag:nightly`: nodes (sources included) with a tag matching the value, wildcards allowed. */
export const tagMethod: SelectorMethod = {
  *search(value, _args, { nodes }) {
    const isMatch = globMatcher(value);
    for (const [id, node] of nodes) {
      if (node.tags.some(isMatch) || node.config.tags.some(isMatch)) yield id;
    }
  },
};
