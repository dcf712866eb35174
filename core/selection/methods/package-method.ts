import { globMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/** `package:shop`: every node (sources included) of a package, wildcards allowed. */
export const packageMethod: SelectorMethod = {
  *search(value, _args, { nodes }) {
    const isMatch = globMatcher(value);
    for (const [id, node] of nodes) {
      if (isMatch(node.package_name)) yield id;
    }
  },
};
