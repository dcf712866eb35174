import { globMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/** `source:shop` (every table of a source), `source:shop.orders`, `source:package.shop.orders`, wildcards allowed. */
export const sourceMethod: SelectorMethod = {
  validate(value) {
    const parts = value.split('.');
    if (parts.length > 3 || parts.some((part) => part === '')) {
      return {
        message: `'${value}' is not a source selector`,
        hint: 'write source:<source_name>, source:<source_name>.<table_name> or source:<package>.<source_name>.<table_name>',
      };
    }
    return undefined;
  },
  *search(value, _args, { nodes }) {
    const parts = value.split('.');
    const [pkg, source, table] = parts.length === 3 ? parts : ['*', parts[0], parts[1] ?? '*'];
    const pkgMatch = globMatcher(pkg);
    const sourceMatch = globMatcher(source);
    const tableMatch = globMatcher(table);
    for (const [id, node] of nodes) {
      if (node.resource_type !== 'source') continue;
      if (pkgMatch(node.package_name) && sourceMatch(node.source_name) && tableMatch(node.name)) yield id;
    }
  },
};
