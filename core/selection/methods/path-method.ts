import { normalizePath, pathMatcher } from '../glob-match.js';
import type { SelectorMethod } from '../selector-method.js';

/**
 * `path:models/staging`: nodes whose file (relative to the project root) is, or is under, the value,
 * globbed as dbt does with pathlib. A model also matches through its properties file (`patch_path`).
 */
export const pathMethod: SelectorMethod = {
  validate(value) {
    if (value.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(value)) {
      return { message: `path '${value}' is absolute`, hint: 'write paths relative to the project root, e.g. path:models/staging' };
    }
    return undefined;
  },
  *search(value, _args, { nodes }) {
    const isMatch = pathMatcher(value);
    for (const [id, node] of nodes) {
      if (isMatch(node.original_file_path)) {
        yield id;
        continue;
      }
      const patch = 'patch_path' in node ? node.patch_path : null;
      // patch_path is written `package://models/schema.yml`, as in dbt's manifest.
      if (patch && isMatch(normalizePath(patch.replace(/^[^:/]+:\/\//, '')))) yield id;
    }
  },
};
