import type { InferredType } from '../adapter/adapter.js';

/** Kinds a column can still be, narrowest first; the first one every value fits wins. */
const KINDS: Exclude<InferredType, 'text'>[] = ['boolean', 'integer', 'bigint', 'double', 'date', 'timestamp'];

const BOOLEAN = /^(?:true|false)$/i;
// No leading zeros: `00123` is an identifier or a code (zip, account) that must keep its zeros.
const INTEGER = /^[+-]?(?:0|[1-9]\d*)$/;
const DECIMAL = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Narrows a column's type one value at a time, so a seed can be inferred while it streams. */
export class ColumnTypeInference {
  private candidates = new Set<InferredType>(KINDS);
  private seen = false;

  /** Takes one value of the column (null for an empty field). */
  add(value: string | null): void {
    if (value === null || this.candidates.size === 0) return;
    this.seen = true;
    for (const kind of this.candidates) {
      if (!fits(value, kind)) this.candidates.delete(kind);
    }
  }

  /** The narrowest kind every value so far fits; `text` when nothing fits or all were null. */
  get type(): InferredType {
    if (!this.seen) return 'text';
    return KINDS.find((k) => this.candidates.has(k)) ?? 'text';
  }
}

/** The narrowest kind that every non-null value fits (all-null columns are text). */
export function inferColumnType(values: Iterable<string | null>): InferredType {
  const inference = new ColumnTypeInference();
  for (const value of values) inference.add(value);
  return inference.type;
}

/** Whether one text value can be loaded as `kind` without losing anything. */
export function fits(value: string, kind: InferredType): boolean {
  switch (kind) {
    case 'boolean':
      return BOOLEAN.test(value);
    case 'integer':
      return INTEGER.test(value) && inRange(value, INT32_MIN, INT32_MAX);
    case 'bigint':
      return INTEGER.test(value) && inRange(value, INT64_MIN, INT64_MAX);
    case 'double':
      // A whole number too big for BIGINT would be rounded as a double: it stays text.
      if (INTEGER.test(value)) return inRange(value, INT64_MIN, INT64_MAX);
      return DECIMAL.test(value) && Number.isFinite(Number(value));
    case 'date': {
      const m = DATE.exec(value);
      return m !== null && isDate(m[1], m[2], m[3]);
    }
    case 'timestamp': {
      const m = TIMESTAMP.exec(value);
      if (!m || !isDate(m[1], m[2], m[3])) return false;
      const [hours, minutes, seconds] = [m[4], m[5], m[6]].map((p) => (p === undefined ? 0 : Number(p)));
      return hours <= 23 && minutes <= 59 && seconds <= 59;
    }
    case 'text':
      return true;
  }
}

function inRange(integer: string, min: bigint, max: bigint): boolean {
  // Up to 9 digits always fits INTEGER; only longer ones need BigInt.
  if (integer.replace(/^[+-]/, '').length <= 9) return true;
  const n = BigInt(integer);
  return n >= min && n <= max;
}

function isDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}
