import { isUtf8 } from 'node:buffer';
import { COLUMN_BLOCK_ROWS, type ColumnBatch, type ColumnLayout } from '../../../core/lake/column-batch.js';
import { columnRoles, CursorBytes, widenRange } from './mysql-row-tracking.js';
import type { RowPacket } from './mysql-text-rows.js';
import type { MappedColumn } from './mysql-types.js';
import { Block, clearPieces } from './mysql-vector-block.js';
import { DECIMAL, TEXT, type Kind } from './mysql-vector-kinds.js';
import { EXACT_SECONDS, rowParser, setInt64, type ParserTarget, type RowParser } from './mysql-vector-row-parser.js';
import { nativeRows } from './mysql-native-rows.js';

export { vectorKinds } from './mysql-vector-kinds.js';

/**
 * The vector path of the MySQL source: the text protocol's row packets parsed straight into
 * typed arrays by column (core/lake ColumnBatch), which DuckDB copies into its vectors whole
 * (adapters/duckdb/duckdb-column-scan.ts): no delimited text for DuckDB's CSV reader to parse.
 * Integers, DECIMAL up to 18 digits, DATE, DATETIME and TIMESTAMP become their binary values
 * here; other columns stay UTF-8 text that DuckDB casts (DOUBLE, JSON, wider DECIMAL, TIME...).
 * Values get the row path's fixes (mysql-types.ts fixValue): zero dates become null, TIMESTAMP
 * is the session's UTC wall time. Tables with BIT, binary or zoned DATETIME columns keep the text
 * path (vectorKinds gives undefined).
 */

/** Collects rows of one chunk as a ColumnBatch, with the cursor range and the last row's key. */
export class MySqlVectorRows {
  rows = 0;
  private readonly kinds: Kind[];
  private readonly codes: Uint8Array;
  private readonly names: string[];
  private readonly blocks: Block[] = [];
  private readonly pool: Block[];
  private block?: Block;
  /** Pieces each text column needed so far (at least 1): a view of `io`, which the C parser updates. */
  private readonly pieceCounts: Int32Array;
  /**
   * The C parser's plan (column count, key count, then per column its kind, width, scale, role and
   * key position) and its in-and-out words (see native/mysql_rows.c).
   */
  private readonly plan: Int32Array;
  private native: boolean;
  private readonly io: Int32Array;
  private readonly cursorOut = new Float64Array(2);
  /** Rows the JavaScript parser took: where that is more than a few, the C parser is left out (nativeUnfit). */
  private rowsByScript = 0;
  private readonly roles: Uint8Array;
  private readonly keyPositions: number[];
  private readonly keyBytes: (Buffer | null)[] = [];
  private readonly keyLengths: number[] = [];
  /**
   * The last row's key fields where they are in the packet buffer, copied into keyBytes only when
   * the packets move on to another buffer (settle): no copy per row. mysql2 never writes into a
   * buffer it has read.
   */
  private readonly keyBuffers: (Buffer | undefined)[] = [];
  private readonly keyStarts: number[] = [];
  private readonly keyEnds: number[] = [];
  private readonly cursorIndex: number;
  private readonly numericCursor: boolean;
  private readonly zoneCursor: boolean;
  private readonly cursorMin = new CursorBytes();
  private readonly cursorMax = new CursorBytes();
  /** Whether the cursor range is kept as bytes compared byte by byte (text, or a value past 2^53) rather than as numbers. */
  private cursorByBytes: boolean;
  private hasCursor = false;
  private maxValue = 0;
  private minValue = 0;
  /** Where the largest and smallest cursor values are in the packet buffer, until settled into cursorMax/cursorMin. */
  private maxAt?: Buffer;
  private maxStart = 0;
  private maxEnd = 0;
  private minAt?: Buffer;
  private minStart = 0;
  private minEnd = 0;
  /** Per column: DECIMAL scale, or -1 for an integer. */
  private readonly scales: Int8Array;
  private readonly widths: Uint8Array;
  /** The row parser written out for these columns (mysql-vector-row-parser.ts); it calls the methods below. */
  private readonly parse: RowParser;
  private view?: DataView;
  private viewOf?: Buffer;
  /**
   * Per column, the ten bytes of the last date it had (`YYYY-MM-DD`) as two little-endian 32-bit
   * words and a 16-bit one (-1: none yet), and that date's seconds since the epoch: a date already
   * read is not parsed again, here (dateSeconds) nor in the parser's inline path for timestamps.
   */
  private readonly dayWords: Int32Array;
  private readonly daySecondsOf: Float64Array;
  /**
   * What the last number(), timestamp() or date() call read, as a number (NaN where not exact):
   * a field, not a return value, so that values past V8's small integers (microseconds since the
   * epoch are) are not boxed into a new heap number on every call.
   */
  private parsed = 0;

  /** `reuse`: a batch of an earlier collector whose memory is no longer needed. */
  constructor(columns: MappedColumn[], kinds: Kind[], options: { cursor?: string; primaryKey: string[]; reuse?: ColumnBatch }) {
    this.kinds = kinds;
    this.codes = Uint8Array.from(kinds, (k) => k.code);
    this.names = columns.map((c) => c.column.name);
    const n = kinds.length;
    this.io = new Int32Array(9 + n + 2 * options.primaryKey.length);
    this.pieceCounts = this.io.subarray(9, 9 + n);
    kinds.forEach((k, i) => (this.pieceCounts[i] = k.code === TEXT ? 1 : 0));
    this.pool = (options.reuse?.blocks ?? []).filter((b): b is Block => b instanceof Block && b.data.length === kinds.length);
    ({ roles: this.roles, keyPositions: this.keyPositions, cursorIndex: this.cursorIndex, numericCursor: this.numericCursor } = columnRoles(columns, options));
    const cursor = columns[this.cursorIndex];
    this.zoneCursor = cursor?.fix === 'zone-utc';
    this.cursorByBytes = cursor !== undefined && kinds[this.cursorIndex].code === TEXT;
    this.scales = Int8Array.from(kinds, (k) => (k.code === DECIMAL ? k.scale : -1));
    this.widths = Uint8Array.from(kinds, (k) => k.bytes);
    this.dayWords = new Int32Array(3 * kinds.length).fill(-1);
    this.daySecondsOf = new Float64Array(kinds.length);
    this.parse = rowParser(kinds, this.roles, this.keyPositions);
    this.plan = Int32Array.from([n, options.primaryKey.length, ...kinds.flatMap((k, i) => [k.code, k.bytes, k.scale, this.roles[i], this.keyPositions[i]])]);
    this.native = nativeRows !== undefined && !nativeUnfit.has(this.parse);
  }

  /** Appends one row packet. */
  row(packet: RowPacket): void {
    const buf = packet.buffer;
    const b = this.blockFor(buf);
    this.parse(this as unknown as ParserTarget, b, buf, this.view!, packet.offset, b.rows, this.pieceCounts);
    b.rows++;
    this.rows++;
    this.rowsByScript++;
  }

  /**
   * Takes whole row packets of buf[at, end) through the C parser (mysql-native-rows.ts), the first
   * with sequence number `sequenceId`, into the current block until it is full; returns how many
   * (0 without the C parser, or at a packet it leaves to row()). The framer then goes on after them.
   */
  packets(buf: Buffer, at: number, end: number, sequenceId: number): number {
    // A cursor kept as bytes (text, or past 2^53) is widened by row() alone.
    if (!this.native || this.cursorByBytes) return 0;
    // A table whose rows mostly need the JavaScript parser (long or non-ASCII text, zero dates) is
    // parsed by it alone from here on: a row left to it costs a call more.
    if (this.rows >= 4 * COLUMN_BLOCK_ROWS && this.rowsByScript * 8 > this.rows) {
      nativeUnfit.add(this.parse);
      this.native = false;
      return 0;
    }
    const b = this.blockFor(buf);
    const io = this.io;
    const n = this.kinds.length;
    io[0] = at;
    io[1] = end;
    io[2] = sequenceId;
    io[3] = b.rows;
    const taken = nativeRows!.rows(buf, b.native(this.plan), io, this.cursorOut);
    if (!taken) return 0;
    b.rows = io[3];
    this.rows += taken;
    // The last row's key fields (start -1: null), and the cursor range of the rows taken.
    for (let k = 0, base = 9 + n; k < this.plan[1]; k++) {
      const start = io[base + 2 * k];
      if (start < 0) {
        this.keyBytes[k] = null;
        this.keyBuffers[k] = undefined;
      } else {
        this.keyBuffers[k] = buf;
        this.keyStarts[k] = start;
        this.keyEnds[k] = io[base + 2 * k + 1];
      }
    }
    if (io[4]) {
      this.parsed = this.cursorOut[1];
      this.trackCursor(buf, io[7], io[8]);
      this.parsed = this.cursorOut[0];
      this.trackCursor(buf, io[5], io[6]);
    }
    return taken;
  }

  /** The key values of the last row read, as text (for the next chunk's `where (pk) > (...)`). */
  get lastKey(): (string | null)[] {
    this.settle();
    return this.keyBytes.map((bytes, k) => (bytes ? bytes.toString('utf8', 0, this.keyLengths[k]) : null));
  }

  /** The packet buffers are about to be read into again: copy the key fields and cursor values still in them. */
  release(): void {
    this.settle();
  }

  /** The batch; its memory stays the collector's to reuse once the next batch is asked for. */
  take(): ColumnBatch {
    const layouts: ColumnLayout[] = this.kinds.map((k, i) => (k.code === TEXT ? { kind: 'text', pieces: this.pieceCounts[i] } : { kind: 'fixed', bytes: k.bytes }));
    for (const b of this.blocks) b.seal(this.pieceCounts);
    this.settle();
    return {
      columns: layouts,
      blocks: this.blocks,
      rows: this.rows,
      ...(this.cursorMin.length >= 0 ? { cursor: { min: this.cursorValue(this.cursorMin.text()), max: this.cursorValue(this.cursorMax.text()) } } : {}),
    };
  }

  /** The block the next row goes into (a new one when this one is full), with `buf` as the packets' buffer: what was kept in the one before is copied first (settle). */
  private blockFor(buf: Buffer): Block {
    let b = this.block;
    if (!b || b.rows === COLUMN_BLOCK_ROWS) b = this.nextBlock();
    if (buf !== this.viewOf) {
      this.settle();
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return b;
  }

  private nextBlock(): Block {
    const b = this.pool.pop() ?? new Block(this.kinds);
    b.clear();
    this.blocks.push(b);
    this.block = b;
    return b;
  }

  private setNull(b: Block, i: number, r: number): void {
    b.nulls[i][r >>> 5] &= ~(1 << (r & 31));
    b.hasNull[i] = 1;
    if (this.codes[i] === TEXT) clearPieces(b.pieces[i], r * 4, 0);
  }

  /** A text value held whole in the block's heap (long or not ASCII), checked to be UTF-8; its pieces empty. */
  private wholeText(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): void {
    const len = end - start;
    const pieces = b.pieces[i];
    const at = r * 4;
    if (!isUtf8(buf.subarray(start, end))) throw new Error(`column ${this.names[i]}: a value that is not UTF-8 text`);
    if (!pieces.length) b.piece(i, 0);
    clearPieces(pieces, at, 0);
    if (b.heapLength + len > b.heap.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * b.heap.length, b.heapLength + len));
      b.heap.copy(bigger, 0, 0, b.heapLength);
      b.heap = bigger;
    }
    buf.copy(b.heap, b.heapLength, start, end);
    b.longRows[i].push(r, b.heapLength, b.heapLength + len);
    b.heapLength += len;
  }

  /** An integer or DECIMAL (digits, an optional sign and, for DECIMAL, a point); exact past 2^53 through BigInt (`parsed` NaN then). */
  private number(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): void {
    const scale = this.scales[i];
    let j = start;
    const negative = buf[j] === 45;
    if (negative) j++;
    let v = 0;
    let point = -1;
    for (; j < end; j++) {
      const d = buf[j] - 48;
      if (d >>> 0 <= 9) v = v * 10 + d;
      else if (d === -2 && point < 0 && scale >= 0) point = j;
      else throw this.invalid(i, buf, start, end, 'number');
    }
    let digits = end - start - (negative ? 1 : 0) - (point >= 0 ? 1 : 0);
    if (digits <= 0) throw this.invalid(i, buf, start, end, 'number');
    if (scale > 0) {
      let fraction = point >= 0 ? end - point - 1 : 0;
      if (fraction > scale) throw this.invalid(i, buf, start, end, `DECIMAL with scale ${scale}`);
      for (; fraction < scale; fraction++) {
        v *= 10;
        digits++;
      }
    }
    if (negative) v = -v;
    this.parsed = v;
    if (this.widths[i] !== 8) {
      b.views[i]![r] = v;
      return;
    }
    if (digits > 15) {
      // Exact: BigInt from the digits (the 64-bit array keeps the bits for unsigned values too).
      const text = buf.toString('latin1', start, end);
      const dot = text.indexOf('.');
      const scaled = scale < 0 ? text : dot < 0 ? text + '0'.repeat(scale) : text.slice(0, dot) + text.slice(dot + 1).padEnd(scale, '0');
      b.wide[i]![r] = BigInt(scaled);
      this.parsed = NaN;
      return;
    }
    setInt64(b.views[i] as Int32Array, r, v);
  }

  /** `YYYY-MM-DD HH:MM:SS[.ffffff]` as microseconds since the epoch (the session runs in UTC) into `parsed`; false for a zero date (set null). */
  private timestamp(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): boolean {
    const s = start;
    if (end - s < 19 || buf[s + 4] !== 45 || buf[s + 7] !== 45 || buf[s + 10] !== 32 || buf[s + 13] !== 58 || buf[s + 16] !== 58 || (end - s > 19 && (buf[s + 19] !== 46 || end - s > 26))) {
      throw this.invalid(i, buf, start, end, 'DATETIME');
    }
    if (!this.dateSeconds(b, i, r, buf, start, end)) return false;
    const seconds = this.daySecondsOf[i];
    const h = digit2(buf, s + 11);
    const mi = digit2(buf, s + 14);
    const se = digit2(buf, s + 17);
    if (!(h <= 23 && mi <= 59 && se <= 59)) throw this.invalid(i, buf, start, end, 'DATETIME');
    let us = 0;
    let k = 0;
    for (let j = s + 20; j < end; j++, k++) {
      const d = buf[j] - 48;
      if (d >>> 0 > 9) throw this.invalid(i, buf, start, end, 'DATETIME');
      us = us * 10 + d;
    }
    for (; k < 6; k++) us *= 10;
    const total = seconds + h * 3600 + mi * 60 + se;
    if (total >= EXACT_SECONDS || total <= -EXACT_SECONDS) {
      b.wide[i]![r] = BigInt(total) * 1_000_000n + BigInt(us);
      this.parsed = NaN;
      return true;
    }
    const v = total * 1e6 + us;
    setInt64(b.views[i] as Int32Array, r, v);
    this.parsed = v;
    return true;
  }

  /** `YYYY-MM-DD` as days since the epoch into `parsed`; false for a zero date (set null). */
  private date(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): boolean {
    if (end - start !== 10 || buf[start + 4] !== 45 || buf[start + 7] !== 45) throw this.invalid(i, buf, start, end, 'DATE');
    if (!this.dateSeconds(b, i, r, buf, start, end)) return false;
    const days = this.daySecondsOf[i] / 86400;
    (b.views[i] as Int32Array)[r] = days;
    this.parsed = days;
    return true;
  }

  /** The date at `start`: its seconds from the epoch into `daySecondsOf[i]`; false (and the value set null) for a zero date. */
  private dateSeconds(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): boolean {
    const words = this.dayWords;
    const a = buf[start] | (buf[start + 1] << 8) | (buf[start + 2] << 16) | (buf[start + 3] << 24);
    const c = buf[start + 4] | (buf[start + 5] << 8) | (buf[start + 6] << 16) | (buf[start + 7] << 24);
    const e = buf[start + 8] | (buf[start + 9] << 8);
    // The column's date before, already checked.
    if (a === words[3 * i] && c === words[3 * i + 1] && e === words[3 * i + 2]) return true;
    const century = digit2(buf, start);
    const year = digit2(buf, start + 2);
    const m = digit2(buf, start + 5);
    const d = digit2(buf, start + 8);
    // Each pair on its own: 1000 for a pair that is not two digits would otherwise make a year of '20x6'.
    if (!(century <= 99 && year <= 99 && m <= 12 && d <= 31)) throw this.invalid(i, buf, start, end, 'date');
    const y = century * 100 + year;
    // A MySQL zero date (year 0000, month or day 00), which no other system can hold.
    if (y === 0 || m === 0 || d === 0) {
      this.setNull(b, i, r);
      return false;
    }
    if (d > daysInMonth(y, m)) throw this.invalid(i, buf, start, end, 'date');
    words[3 * i] = a;
    words[3 * i + 1] = c;
    words[3 * i + 2] = e;
    this.daySecondsOf[i] = daysFromCivil(y, m, d) * 86400;
    return true;
  }

  private invalid(i: number, buf: Buffer, start: number, end: number, what: string): Error {
    return new Error(`column ${this.names[i]}: MySQL sent '${buf.toString('utf8', start, Math.min(end, start + 100))}', which is not a valid ${what}`);
  }

  /** Widens the cursor range by the value `parsed` holds: as a number where it is one exactly, else by its bytes. */
  private trackCursor(buf: Buffer, start: number, end: number): void {
    if (!this.cursorByBytes) {
      const value = this.parsed;
      if (value === value) {
        if (!this.hasCursor) {
          this.hasCursor = true;
          this.maxValue = this.minValue = value;
          this.setMax(buf, start, end);
          this.setMin(buf, start, end);
        } else if (value > this.maxValue) {
          this.maxValue = value;
          this.setMax(buf, start, end);
        } else if (value < this.minValue) {
          this.minValue = value;
          this.setMin(buf, start, end);
        }
        return;
      }
      // A value past 2^53: bytes from here on (the digits of one width compare as the values do).
      this.settle();
      this.cursorByBytes = true;
    }
    widenRange(this.cursorMin, this.cursorMax, buf, start, end, this.numericCursor);
  }

  private setMax(buf: Buffer, start: number, end: number): void {
    this.maxAt = buf;
    this.maxStart = start;
    this.maxEnd = end;
  }

  private setMin(buf: Buffer, start: number, end: number): void {
    this.minAt = buf;
    this.minStart = start;
    this.minEnd = end;
  }

  /** Copies the key fields and cursor values still in a packet buffer. */
  private settle(): void {
    for (let k = 0; k < this.keyBuffers.length; k++) {
      const at = this.keyBuffers[k];
      if (!at) continue;
      const length = this.keyEnds[k] - this.keyStarts[k];
      let bytes = this.keyBytes[k];
      if (!bytes || bytes.length < length) bytes = this.keyBytes[k] = Buffer.allocUnsafe(Math.max(64, length));
      at.copy(bytes, 0, this.keyStarts[k], this.keyEnds[k]);
      this.keyLengths[k] = length;
      this.keyBuffers[k] = undefined;
    }
    if (this.maxAt) this.cursorMax.set(this.maxAt, this.maxStart, this.maxEnd);
    if (this.minAt) this.cursorMin.set(this.minAt, this.minStart, this.minEnd);
    this.maxAt = this.minAt = undefined;
  }

  /** The value as the row path would carry it (mysql-types.ts fixValue), so that state reads the same. */
  private cursorValue(text: string): unknown {
    if (this.numericCursor) return BigInt(text);
    return this.zoneCursor ? `${text}+00` : text;
  }
}

/** Row parsers (one per column signature) of tables whose rows the C parser mostly leaves to them. */
const nativeUnfit = new WeakSet<RowParser>();

/** Two decimal digits at `at`; 100 or more when they are not digits. */
function digit2(buf: Buffer, at: number): number {
  const a = buf[at] - 48;
  const b = buf[at + 1] - 48;
  return a >>> 0 > 9 || b >>> 0 > 9 ? 1000 : a * 10 + b;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
