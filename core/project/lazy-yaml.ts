import { createRequire } from 'node:module';

type YamlPackage = typeof import('yaml');
let loaded: YamlPackage | undefined;

/**
 * The `yaml` package (positions of YAML nodes), loaded on first use: loading it costs every
 * command about 0.1 s of start-up, and only error lines and selectors.yml need it.
 */
export function yamlPackage(): YamlPackage {
  return (loaded ??= createRequire(import.meta.url)('yaml') as YamlPackage);
}
