import { globRegExp, hasWildcard } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/**
 * `fqn:` (the default method): a node's name, or a dotted prefix of its fully qualified name with or
 * without the package (`staging.stg_orders`, `shop.staging`, `*.marts.*`). Sources are not matched,
 * as in dbt: select them with `source:`.
 */
export const fqnMethod: SelectorMethod = {
  *search(value, _args, { nodes }) {
    const isMatch = fqnMatcher(value);
    for (const [id, node] of nodes) {
      if (node.resource_type === 'source') continue;
      if (isMatch(node.fqn) || isMatch(node.fqn.slice(1))) yield id;
    }
  },
};

/** dbt's `is_selected_node`: the leaf equals the selector, or the selector's parts are a prefix, a wildcard part matching the rest. */
function fqnMatcher(selector: string): (fqn: string[]) => boolean {
  const parts = selector.split('.');
  const wildcardAt = parts.findIndex(hasWildcard);
  const fixed = wildcardAt === -1 ? parts : parts.slice(0, wildcardAt);
  const rest = wildcardAt === -1 ? undefined : globRegExp(parts.slice(wildcardAt).join('.'));
  // dbt Fusion's shortcut, which dbt-core lacks (dbt-core#11333): a bare wildcard like `stg_*` also
  // matches the node name, so it finds models in subfolders.
  const leaf = parts.length === 1 && rest ? rest : undefined;
  return (fqn) => {
    if (fqn.length === 0) return false;
    const name = fqn[fqn.length - 1];
    if (name === selector || leaf?.test(name)) return true;
    // Dots inside a segment act as namespace separators.
    const flat = fqn.some((segment) => segment.includes('.')) ? fqn.flatMap((segment) => segment.split('.')) : fqn;
    if (flat.length < parts.length) return false;
    for (let i = 0; i < fixed.length; i++) {
      if (flat[i] !== fixed[i]) return false;
    }
    return rest ? rest.test(flat.slice(fixed.length).join('.')) : true;
  };
}
