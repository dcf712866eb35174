/**
 * The incremental cursor of a MongoDB table: its largest value seen, kept in the lake's state as
 * typed text so the next run's filter compares with a value of the same BSON type (a Date with a
 * Date, an ObjectId with an ObjectId): MongoDB's `$gt` only matches values of one type bracket.
 */

import { Decimal128, Long, ObjectId, Timestamp } from 'mongodb';

/** A cursor value as the lake's state stores it. */
export interface CursorState {
  type: 'date' | 'objectId' | 'number' | 'long' | 'decimal' | 'string' | 'timestamp';
  value: string;
}

/** The typed text of a cursor value; undefined for values no cursor can be (null, documents, arrays). */
export function encodeCursor(value: unknown): CursorState | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : { type: 'date', value: value.toISOString() };
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'number') return Number.isFinite(value) ? { type: 'number', value: String(value) } : undefined;
  if (typeof value === 'bigint') return { type: 'long', value: value.toString() };
  const bsonType = (value as { _bsontype?: string } | null)?._bsontype;
  if (bsonType === 'ObjectId') return { type: 'objectId', value: (value as ObjectId).toHexString() };
  if (bsonType === 'Long') return { type: 'long', value: String(value) };
  if (bsonType === 'Int32' || bsonType === 'Double') return { type: 'number', value: String((value as { valueOf(): number }).valueOf()) };
  if (bsonType === 'Decimal128') return { type: 'decimal', value: String(value) };
  if (bsonType === 'Timestamp') return { type: 'timestamp', value: (value as Timestamp).toString() };
  return undefined;
}

/** The BSON value of a stored cursor, for a query filter; throws on state it cannot read. */
export function decodeCursor(state: unknown): unknown {
  const s = state as Partial<CursorState> | undefined;
  if (!s || typeof s.value !== 'string') throw new Error(`unreadable MongoDB cursor state ${JSON.stringify(state)}`);
  switch (s.type) {
    case 'date':
      return new Date(s.value);
    case 'objectId':
      return ObjectId.createFromHexString(s.value);
    case 'number':
      return Number(s.value);
    case 'long':
      return Long.fromString(s.value);
    case 'decimal':
      return Decimal128.fromString(s.value);
    case 'timestamp':
      return Timestamp.fromString(s.value, 10);
    case 'string':
      return s.value;
    default:
      throw new Error(`unreadable MongoDB cursor state ${JSON.stringify(state)}`);
  }
}

// MongoDB's order of types when it compares values of different types (numbers are one bracket).
const TYPE_RANK: Record<CursorState['type'], number> = { number: 1, long: 1, decimal: 1, string: 2, objectId: 3, date: 4, timestamp: 5 };

/** Orders two cursor values as MongoDB's sort does: by type bracket, then by value. */
export function compareCursor(a: CursorState, b: CursorState): number {
  const rank = TYPE_RANK[a.type] - TYPE_RANK[b.type];
  if (rank !== 0) return rank;
  switch (a.type) {
    case 'date':
      return Date.parse(a.value) - Date.parse(b.value);
    case 'timestamp':
      return compareBig(BigInt(a.value), BigInt(b.value));
    case 'number':
    case 'long':
    case 'decimal':
      return compareDecimalText(a.value, b.value);
    default:
      // ObjectId hex of equal length orders as its bytes; strings by code unit, as MongoDB's default collation.
      return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
}

/** The value at a dotted path of a document (`meta.updatedAt`), not looking inside arrays. */
export function fieldValue(document: Record<string, unknown>, path: string): unknown {
  let value: unknown = document;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two numbers written as decimal text (integers, decimals, exponents) exactly. */
function compareDecimalText(a: string, b: string): number {
  const x = splitDecimal(a);
  const y = splitDecimal(b);
  if (!x || !y) return Number(a) - Number(b);
  // Scale both to the same number of fraction digits, then compare as integers.
  const scale = Math.max(x.scale, y.scale);
  return compareBig(x.digits * 10n ** BigInt(scale - x.scale), y.digits * 10n ** BigInt(scale - y.scale));
}

function splitDecimal(text: string): { digits: bigint; scale: number } | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (!match[2] && !match[3])) return undefined;
  const fraction = match[3] ?? '';
  let digits = BigInt(`${match[2] || '0'}${fraction}`);
  let scale = fraction.length - Number(match[4] ?? 0);
  if (match[1] === '-') digits = -digits;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}
