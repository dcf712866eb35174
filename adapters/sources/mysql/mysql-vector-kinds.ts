import type { MappedColumn } from './mysql-types.js';

/** How the vector path parses each column (mysql-vector-rows.ts). */
export const INT = 0;
export const DECIMAL = 1;
export const DATE = 2;
export const TIMESTAMP = 3;
/** UTF-8 text that DuckDB casts to the column's type. */
export const TEXT = 4;

/** How one column is parsed: `code`, the bytes of a fixed value, a DECIMAL's scale. */
export interface Kind {
  code: number;
  bytes: 1 | 2 | 4 | 8;
  scale: number;
}

/** Each column's kind, or undefined when some column cannot take the vector path. */
export function vectorKinds(columns: MappedColumn[]): Kind[] | undefined {
  const kinds: Kind[] = [];
  for (const c of columns) {
    const kind = kindOf(c);
    if (!kind) return undefined;
    kinds.push(kind);
  }
  return kinds;
}

function kindOf(column: MappedColumn): Kind | undefined {
  const fixed = (code: number, bytes: 1 | 2 | 4 | 8, scale = 0): Kind => ({ code, bytes, scale });
  if (column.fix === 'bit-boolean' || column.fix === 'bit-integer' || column.fix === 'zone-local') return undefined;
  const type = column.column.type.toUpperCase().replace(/\s+/g, '');
  if (column.fix === 'zone-utc') return type === 'TIMESTAMPTZ' ? fixed(TIMESTAMP, 8) : undefined;
  switch (type) {
    case 'TINYINT':
    case 'UTINYINT':
      return fixed(INT, 1);
    case 'SMALLINT':
    case 'USMALLINT':
      return fixed(INT, 2);
    case 'INTEGER':
    case 'UINTEGER':
      return fixed(INT, 4);
    case 'BIGINT':
    case 'UBIGINT':
      return fixed(INT, 8);
    case 'DATE':
      return fixed(DATE, 4);
    case 'TIMESTAMP':
      return fixed(TIMESTAMP, 8);
    case 'BLOB':
      return undefined;
    case 'VARCHAR':
    case 'JSON':
    case 'DOUBLE':
    case 'FLOAT':
      return fixed(TEXT, 8);
  }
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (decimal) {
    const p = Number(decimal[1]);
    // Wider than 18 digits: a 16-byte value in DuckDB; as text, cast there.
    return p > 18 ? fixed(TEXT, 8) : fixed(DECIMAL, p <= 4 ? 2 : p <= 9 ? 4 : 8, Number(decimal[2]));
  }
  return undefined;
}
