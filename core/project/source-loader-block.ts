import { LAKE_FORMATS, toLakeName, WRITE_DISPOSITIONS, type LakeFormat, type WriteDisposition } from '../lake/lake-layout.js';
import type { ExternalSource } from '../manifest/nodes.js';
import type { YamlFile } from './yaml-file.js';

/**
 * A source's `loader:`. dbt's `loader` is a plain string (a description, e.g. `fivetran`), and
 * that still works; a mapping with `type:` is ours: the extract-load settings `strata extract`
 * uses (connection at source level, per-table settings under each table's `loader:`).
 */

/** The table settings every source type shares; the rest belong to the source adapter. */
export interface TableLoadSettings {
  disposition: WriteDisposition;
  primaryKey: string[];
  cursorField?: string;
  format: LakeFormat;
}

type Path = (string | number)[];

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Whether a `loader:` value is ours (a mapping), not dbt's description string. */
export function isLoaderBlock(value: unknown): value is Record<string, unknown> {
  return asObject(value) !== undefined;
}

/**
 * The shared table settings: the table's `loader:` over the source's. Without a `disposition`:
 * `merge` when there is a primary key, `append` with only a cursor or for SFTP files, else
 * `replace` (a full copy).
 */
export function readTableLoadSettings(yaml: YamlFile, sourceBlock: Record<string, unknown>, tableBlock: Record<string, unknown>, sourcePath: Path, tablePath: Path): TableLoadSettings {
  const pick = (key: string): [unknown, Path] | undefined =>
    key in tableBlock ? [tableBlock[key], [...tablePath, key]] : key in sourceBlock ? [sourceBlock[key], [...sourcePath, key]] : undefined;
  let primaryKey: string[] = [];
  const pk = pick('primary_key');
  if (pk) {
    const keys = typeof pk[0] === 'string' ? [pk[0]] : pk[0];
    if (!Array.isArray(keys) || !keys.length || keys.some((k) => typeof k !== 'string' || !k)) throw yaml.error(pk[1], `'loader.primary_key' must be a column name or a list of them`, 'primary_key: [order_id]');
    primaryKey = keys as string[];
  }
  let cursorField: string | undefined;
  const cursor = pick('cursor_field');
  if (cursor) {
    if (typeof cursor[0] !== 'string' || !cursor[0]) throw yaml.error(cursor[1], `'loader.cursor_field' must be a column name`, 'cursor_field: updated_at');
    cursorField = cursor[0];
  }
  // MongoDB documents land whole as NDJSON (nested, varying in shape); rows as Parquet.
  let format: LakeFormat = sourceBlock.type === 'mongodb' ? 'jsonl' : 'parquet';
  const fmt = pick('format');
  if (fmt) {
    if (!LAKE_FORMATS.includes(fmt[0] as LakeFormat)) throw yaml.error(fmt[1], `'loader.format' must be one of ${LAKE_FORMATS.join(', ')}`, `got ${JSON.stringify(fmt[0])}`);
    format = fmt[0] as LakeFormat;
  }
  // SFTP files land once each and accumulate, so without a key they append, like rows with a cursor.
  let disposition: WriteDisposition = primaryKey.length ? 'merge' : cursorField || sourceBlock.type === 'sftp' ? 'append' : 'replace';
  const disp = pick('disposition');
  if (disp) {
    if (!WRITE_DISPOSITIONS.includes(disp[0] as WriteDisposition)) throw yaml.error(disp[1], `'loader.disposition' must be one of ${WRITE_DISPOSITIONS.join(', ')}`, `got ${JSON.stringify(disp[0])}`);
    disposition = disp[0] as WriteDisposition;
  }
  if (disposition === 'merge' && !primaryKey.length) throw yaml.error(disp?.[1] ?? tablePath, `'disposition: merge' needs a 'primary_key' in the loader block`, 'primary_key: [order_id]');
  return { disposition, primaryKey, ...(cursorField ? { cursorField } : {}), format };
}

/** What a source table's YAML says about its loader: dbt's `loader` string, and the lake folder it lands in. */
export function readSourceLoader(
  yaml: YamlFile,
  source: Record<string, unknown>,
  table: Record<string, unknown>,
  sourcePath: Path,
  tablePath: Path,
): { loader: string; external?: ExternalSource } {
  const sourceLoader = source.loader;
  const tableLoader = table.loader;
  if (tableLoader !== undefined && tableLoader !== null && !isLoaderBlock(tableLoader) && isLoaderBlock(sourceLoader)) {
    throw yaml.error([...tablePath, 'loader'], `a table's 'loader' must be a mapping of its extract settings`, 'loader: {cursor_field: updated_at, primary_key: id}');
  }
  if (!isLoaderBlock(sourceLoader)) {
    if (isLoaderBlock(tableLoader)) throw yaml.error([...tablePath, 'loader'], `table '${String(table.name)}' has a 'loader' block, but its source has none`, `give source '${String(source.name)}' a 'loader:' with a 'type:' (mysql, mongodb, sftp, rest)`);
    const text = tableLoader ?? sourceLoader;
    return { loader: typeof text === 'string' ? text : '' };
  }
  if (typeof sourceLoader.type !== 'string' || !sourceLoader.type) {
    throw yaml.error([...sourcePath, 'loader'], `source '${String(source.name)}' has a 'loader' block without a 'type'`, 'loader: {type: mysql, host: ..., database: ...}');
  }
  const tableBlock = isLoaderBlock(tableLoader) ? tableLoader : {};
  const settings = readTableLoadSettings(yaml, sourceLoader, tableBlock, [...sourcePath, 'loader'], [...tablePath, 'loader']);
  const external: ExternalSource = {
    location: `raw/${toLakeName(String(source.name))}/${toLakeName(String(table.name))}`,
    format: settings.format,
    ...(settings.disposition === 'merge' ? { primary_key: settings.primaryKey } : {}),
    ...(settings.cursorField ? { cursor_field: settings.cursorField } : {}),
    loaded_by: 'extract',
  };
  return { loader: sourceLoader.type, external };
}
