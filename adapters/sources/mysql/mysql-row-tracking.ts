import type { MappedColumn } from './mysql-types.js';

// What the text and the vector row readers both keep while reading a chunk: which columns are the
// cursor and the key, and the smallest and largest cursor value, as bytes.

/** Bit 1 of a column's role: it is the cursor field (the readers test `role & 1`). */
const CURSOR_ROLE = 1;
/** Bit 2 of a column's role: it is part of the primary key (`role & 2`). */
const KEY_ROLE = 2;

/** Each column's role bits, its place in the primary key (-1: none), and the cursor column. */
export function columnRoles(columns: MappedColumn[], options: { cursor?: string; primaryKey: string[] }): { roles: Uint8Array; keyPositions: number[]; cursorIndex: number; numericCursor: boolean } {
  const roles = new Uint8Array(columns.length);
  const keyPositions: number[] = new Array(columns.length).fill(-1);
  columns.forEach((c, i) => {
    if (c.column.name === options.cursor) roles[i] |= CURSOR_ROLE;
    const k = options.primaryKey.indexOf(c.column.name);
    if (k >= 0) {
      roles[i] |= KEY_ROLE;
      keyPositions[i] = k;
    }
  });
  const cursorIndex = columns.findIndex((c) => c.column.name === options.cursor);
  const cursor = columns[cursorIndex];
  return { roles, keyPositions, cursorIndex, numericCursor: Boolean(cursor && /INT/.test(cursor.column.type)) };
}

/** Widens [min, max] by the value at `buf[start, end)`; a new largest value is the common case. */
export function widenRange(min: CursorBytes, max: CursorBytes, buf: Buffer, start: number, end: number, numeric: boolean): void {
  if (max.length < 0) {
    max.set(buf, start, end);
    min.set(buf, start, end);
  } else if (max.compare(buf, start, end, numeric) < 0) max.set(buf, start, end);
  else if (min.compare(buf, start, end, numeric) > 0) min.set(buf, start, end);
}

/** A kept cursor value's bytes, compared and replaced in place (no allocation per row). */
export class CursorBytes {
  private bytes = Buffer.allocUnsafe(64);
  /** -1: none yet. */
  length = -1;

  set(buf: Buffer, start: number, end: number): void {
    if (end - start > this.bytes.length) this.bytes = Buffer.allocUnsafe(2 * (end - start));
    for (let j = start; j < end; j++) this.bytes[j - start] = buf[j];
    this.length = end - start;
  }

  text(): string {
    return this.bytes.toString('latin1', 0, this.length);
  }

  /** This value against `buf[start, end)`: as numbers for integer cursors, else as text (dates of one width). */
  compare(buf: Buffer, start: number, end: number, numeric: boolean): number {
    const n = this.length;
    const m = end - start;
    if (numeric) {
      if (this.bytes[0] === 45 || buf[start] === 45) {
        const a = BigInt(this.text());
        const b = BigInt(buf.toString('latin1', start, end));
        return a < b ? -1 : a > b ? 1 : 0;
      }
      if (n !== m) return n - m;
    }
    const len = n < m ? n : m;
    for (let j = 0; j < len; j++) {
      const d = this.bytes[j] - buf[start + j];
      if (d) return d;
    }
    return n - m;
  }
}
