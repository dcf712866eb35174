import type { SelectorMethod } from '../selector-method.js';

/**
 * `config.materialized:incremental`, `config.meta.owner:finance`: nodes whose config value at that key
 * equals the selector value. A list matches when one element does; booleans compare to `true`/`false`.
 */
export const configMethod: SelectorMethod = {
  args: 'required',
  *search(value, args, { nodes }) {
    // dbt compares test severity case-insensitively (`warn` matches `WARN`), and nothing else.
    const ignoreCase = args.length === 1 && args[0] === 'severity';
    const wanted = ignoreCase ? value.toLowerCase() : value;
    for (const [id, node] of nodes) {
      const found = descend(node.config, args);
      if (found === undefined) continue;
      if (Array.isArray(found) ? found.some((item) => scalarMatches(item, wanted, ignoreCase)) : scalarMatches(found, wanted, ignoreCase)) {
        yield id;
      }
    }
  },
};

function descend(config: unknown, keys: readonly string[]): unknown {
  let value = config;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function scalarMatches(value: unknown, wanted: string, ignoreCase: boolean): boolean {
  if (typeof value === 'string') return (ignoreCase ? value.toLowerCase() : value) === wanted;
  if (typeof value === 'boolean') return wanted.toLowerCase() === String(value);
  if (typeof value === 'number') return String(value) === wanted;
  return false;
}
