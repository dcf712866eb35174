import type { LakeColumn } from '../../../core/lake/lake-layout.js';

/** One column as information_schema.COLUMNS describes it. */
export interface MySqlColumnInfo {
  name: string;
  /** DATA_TYPE: `int`, `decimal`, `datetime`... */
  dataType: string;
  /** COLUMN_TYPE: `int(10) unsigned`, `decimal(12,2)`, `bit(8)`... */
  columnType: string;
  precision: number | null;
  scale: number | null;
  /** MariaDB stores JSON as LONGTEXT with a `json_valid()` check: known from the check constraints. */
  isJson: boolean;
}

/** How a column's values are turned from what mysql2 returns into what the lake stores. */
export type ValueFix = 'bit-boolean' | 'bit-integer' | 'zone-utc' | 'zone-local' | 'zero-date' | 'bigint';

/** The lake column and value fix for a MySQL/MariaDB column. */
export interface MappedColumn {
  column: LakeColumn;
  fix?: ValueFix;
}

/**
 * MySQL types to DuckDB types, losing nothing: DECIMAL stays DECIMAL(p,s) (text beyond DuckDB's
 * 38 digits), unsigned integers become unsigned types, TIMESTAMP (stored in UTC) becomes TIMESTAMPTZ,
 * DATETIME (no zone) TIMESTAMP, or TIMESTAMPTZ in `datetimeZone` when the source says which zone it
 * means; JSON stays JSON, binary strings BLOB, BIT(1) BOOLEAN and wider BITs UBIGINT, TIME its
 * text (it spans -838 to 838 hours, which neither TIME nor a Parquet interval holds).
 */
export function mapMySqlColumn(info: MySqlColumnInfo, datetimeZone: string | undefined): MappedColumn {
  const unsigned = /\bunsigned\b/i.test(info.columnType);
  const u = unsigned ? 'U' : '';
  const at = (type: string, fix?: ValueFix): MappedColumn => ({ column: { name: info.name, type }, ...(fix ? { fix } : {}) });
  switch (info.dataType.toLowerCase()) {
    case 'tinyint':
      return at(`${u}TINYINT`);
    case 'smallint':
      return at(`${u}SMALLINT`);
    case 'mediumint':
      return at(unsigned ? 'UINTEGER' : 'INTEGER');
    case 'int':
    case 'integer':
      return at(`${u}INTEGER`);
    case 'bigint':
      return at(`${u}BIGINT`);
    case 'decimal':
    case 'numeric': {
      const p = info.precision ?? 10;
      const s = info.scale ?? 0;
      return at(p <= 38 ? `DECIMAL(${p},${s})` : 'VARCHAR');
    }
    case 'float':
      return at('FLOAT');
    case 'double':
    case 'real':
      return at('DOUBLE');
    case 'bit': {
      const width = Number(/\((\d+)\)/.exec(info.columnType)?.[1] ?? 1);
      return width === 1 ? at('BOOLEAN', 'bit-boolean') : at('UBIGINT', 'bit-integer');
    }
    case 'year':
      return at('SMALLINT');
    case 'date':
      return at('DATE', 'zero-date');
    case 'datetime':
      return datetimeZone ? at('TIMESTAMPTZ', 'zone-local') : at('TIMESTAMP', 'zero-date');
    case 'timestamp':
      return at('TIMESTAMPTZ', 'zone-utc');
    case 'time':
      // MySQL's TIME spans -838 to 838 hours; Parquet cannot hold negative intervals, so it stays text.
      return at('VARCHAR');
    case 'json':
      return at('JSON');
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
      return at('BLOB');
    default:
      // char, varchar, text, enum, set, uuid, inet...
      return at(info.isJson ? 'JSON' : 'VARCHAR');
  }
}

/** A MySQL zero date (`0000-00-00`, `2026-00-10`), which no other system can hold: null. */
function isZeroDate(text: string): boolean {
  return text.startsWith('0000-00-00') || /^\d{4}-00-|^\d{4}-\d{2}-00/.test(text);
}

/** Applies a column's value fix to one value as mysql2 returned it (dates as text, BIT as bytes). */
export function fixValue(value: unknown, fix: ValueFix, datetimeZone: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  switch (fix) {
    case 'bit-boolean':
      return (value as Buffer)[0] !== 0;
    case 'bit-integer': {
      let n = 0n;
      for (const byte of value as Buffer) n = (n << 8n) | BigInt(byte);
      return n;
    }
    case 'zero-date':
      return isZeroDate(value as string) ? null : value;
    case 'zone-utc':
      // The session runs in UTC, so TIMESTAMP values are UTC wall time: say so for the lake.
      return isZeroDate(value as string) ? null : `${value as string}+00`;
    case 'zone-local':
      return isZeroDate(value as string) ? null : `${value as string} ${datetimeZone}`;
    case 'bigint':
      return BigInt(value as string);
  }
}

/** The MySQL text of a cursor value as the lake recorded it (TIMESTAMP values carry a `+00`). */
export function cursorParameter(text: string, fix: ValueFix | undefined, datetimeZone: string | undefined): string {
  if (fix === 'zone-utc') return text.replace(/\+00$/, '');
  if (fix === 'zone-local' && datetimeZone) return text.endsWith(` ${datetimeZone}`) ? text.slice(0, -datetimeZone.length - 1) : text;
  return text;
}
