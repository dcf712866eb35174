import type { Adapter, AdapterOptions, AdapterFactory } from '../core/adapter/adapter.js';
import { didYouMean } from '../core/errors/did-you-mean.js';
import { UserError } from '../core/errors/user-error.js';

/** Adapters by the `type` a profile names; each is imported only when used. */
const ADAPTERS: Record<string, () => Promise<AdapterFactory>> = {
  duckdb: async () => (await import('../adapters/duckdb/duckdb-adapter.js')).createDuckDBAdapter,
};

/** Known adapter type names. */
export function adapterTypes(): string[] {
  return Object.keys(ADAPTERS);
}

/** Creates (without connecting) the adapter a target names. */
export async function createAdapter(options: AdapterOptions, source: string): Promise<Adapter> {
  const load = ADAPTERS[options.target.type];
  if (!load) {
    throw new UserError(`no adapter of type '${options.target.type}' (target '${options.targetName}')`, {
      file: source === 'default' ? undefined : source,
      hint: didYouMean(options.target.type, Object.keys(ADAPTERS)) || `available: ${Object.keys(ADAPTERS).join(', ')}`,
    });
  }
  return (await load())(options);
}
