import { globMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/** `exposure:weekly_kpis`, `exposure:shop.weekly_kpis`, `exposure:*`: exposures by name (and package), wildcards allowed. */
export const exposureMethod: SelectorMethod = {
  validate(value) {
    const parts = value.split('.');
    if (parts.length > 2 || parts.some((part) => part === '')) {
      return { message: `'${value}' is not an exposure selector`, hint: 'write exposure:<name> or exposure:<package>.<name>' };
    }
    return undefined;
  },
  *search(value, _args, { nodes }) {
    const parts = value.split('.');
    const [pkg, name] = parts.length === 2 ? parts : ['*', parts[0]];
    const pkgMatch = globMatcher(pkg);
    const nameMatch = globMatcher(name);
    for (const [id, node] of nodes) {
      if (node.resource_type === 'exposure' && pkgMatch(node.package_name) && nameMatch(node.name)) yield id;
    }
  },
};
