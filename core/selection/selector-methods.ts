import { configMethod } from './methods/config-method.js';
import { exposureMethod } from './methods/exposure-method.js';
import { fileMethod } from './methods/file-method.js';
import { fqnMethod } from './methods/fqn-method.js';
import { packageMethod } from './methods/package-method.js';
import { pathMethod } from './methods/path-method.js';
import { resourceTypeMethod } from './methods/resource-type-method.js';
import { resultMethod } from './methods/result-method.js';
import { sourceStatusMethod } from './methods/source-status-method.js';
import { stateMethod } from './methods/state-method.js';
import { sourceMethod } from './methods/source-method.js';
import { tagMethod } from './methods/tag-method.js';
import { testNameMethod } from './methods/test-name-method.js';
import { testTypeMethod } from './methods/test-type-method.js';
import type { SelectorMethod } from './selector-method.js';

/** The registry of `method:` names; add a method here (`state`, `test_type`, `result`...) to make it selectable. */
export const selectorMethods: ReadonlyMap<string, SelectorMethod> = new Map<string, SelectorMethod>([
  ['fqn', fqnMethod],
  ['tag', tagMethod],
  ['path', pathMethod],
  ['file', fileMethod],
  ['package', packageMethod],
  ['source', sourceMethod],
  ['resource_type', resourceTypeMethod],
  ['config', configMethod],
  ['exposure', exposureMethod],
  ['test_type', testTypeMethod],
  ['test_name', testNameMethod],
  ['state', stateMethod],
  ['result', resultMethod],
  ['source_status', sourceStatusMethod],
]);

/** The method dbt uses when an atom names none: `path` for a value with a slash, `file` for a file name, else `fqn`. */
export function defaultMethod(value: string): string {
  if (value.includes('/') || value.includes('\\')) return 'path';
  if (/\.(sql|py|csv)$/i.test(value)) return 'file';
  return 'fqn';
}
