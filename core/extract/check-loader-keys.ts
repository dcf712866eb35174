import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import type { SourceLoaderConfig, SourceTableConfig } from './source-adapter.js';

/** The table keys every source type accepts; the runner and the lake reader use them. */
export const COMMON_TABLE_KEYS = ['disposition', 'primary_key', 'cursor_field', 'format'] as const;

/** A UserError at a source's loader block, a table's, or a key in one. */
export function loaderError(source: SourceLoaderConfig, table: SourceTableConfig | undefined, key: string | undefined, message: string, hint?: string): UserError {
  const line = source.locate?.(table?.name, key) ?? table?.line;
  return new UserError(message, { file: source.file, line, hint });
}

/**
 * Checks a source's loader keys and each table's against what its adapter knows: an unknown key
 * is one error naming the file, line and the key it probably meant. `type` is always allowed.
 */
export function checkLoaderKeys(source: SourceLoaderConfig, sourceKeys: readonly string[], tableKeys: readonly string[]): void {
  const allowedSource = new Set(['type', ...sourceKeys, ...COMMON_TABLE_KEYS]);
  for (const key of Object.keys(source.settings)) {
    if (!allowedSource.has(key)) {
      throw loaderError(source, undefined, key, `unknown key '${key}' in the loader of source '${source.name}' (type ${source.type})`, didYouMean(key, allowedSource) || `known keys: ${[...allowedSource].join(', ')}`);
    }
  }
  const allowedTable = new Set([...tableKeys, ...COMMON_TABLE_KEYS]);
  for (const table of source.tables) {
    for (const key of Object.keys(table.settings)) {
      if (!allowedTable.has(key)) {
        throw loaderError(source, table, key, `unknown key '${key}' in the loader of table '${source.name}.${table.name}' (type ${source.type})`, didYouMean(key, allowedTable) || `known keys: ${[...allowedTable].join(', ')}`);
      }
    }
  }
}
