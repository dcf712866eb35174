/** The lake's column types are DuckDB type names; these infer and widen them from JS values. Pure. */

/** The DuckDB type for a JS value as extractors produce them (exact types come from a source's schema). */
export function inferLakeType(value: unknown): string {
  // Nulls say nothing of a type; a column seen only with nulls is VARCHAR in the file (see lakeFileType).
  if (value === null || value === undefined) return NULL_TYPE;
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'bigint') return 'HUGEINT';
  if (typeof value === 'number') return Number.isInteger(value) ? 'BIGINT' : 'DOUBLE';
  if (value instanceof Date) return 'TIMESTAMPTZ';
  if (value instanceof Uint8Array) return 'BLOB';
  if (typeof value === 'object') return 'JSON';
  return 'VARCHAR';
}

const NUMERIC_RANK: Record<string, number> = { BOOLEAN: 0, BIGINT: 1, HUGEINT: 2, DOUBLE: 3 };

/** The type of a column that has held only nulls so far. */
export const NULL_TYPE = 'NULL';

/** The type a part file stores a column as. */
export function lakeFileType(type: string): string {
  return type === NULL_TYPE ? 'VARCHAR' : type;
}

/** The narrowest type that holds values of both types; VARCHAR when nothing narrower does. */
export function widenLakeType(a: string, b: string): string {
  if (a === b) return a;
  if (a === NULL_TYPE) return b;
  if (b === NULL_TYPE) return a;
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra !== undefined && rb !== undefined && ra > 0 && rb > 0) return ra >= rb ? a : b;
  return 'VARCHAR';
}
