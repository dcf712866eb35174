import { globMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/** `file:stg_orders.sql` or `file:stg_orders`: nodes whose file name, with or without extension, matches. */
export const fileMethod: SelectorMethod = {
  *search(value, _args, { nodes }) {
    const isMatch = globMatcher(value);
    for (const [id, node] of nodes) {
      const name = node.original_file_path.slice(node.original_file_path.replace(/\\/g, '/').lastIndexOf('/') + 1);
      const dot = name.lastIndexOf('.');
      if (isMatch(name) || (dot > 0 && isMatch(name.slice(0, dot)))) yield id;
    }
  },
};
