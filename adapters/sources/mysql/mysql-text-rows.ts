import type { TextBatch } from '../../../core/lake/lake-writer.js';
import { columnRoles, CursorBytes, widenRange } from './mysql-row-tracking.js';
import type { MappedColumn } from './mysql-types.js';

/**
 * The fast path of the MySQL source: the text protocol's row packets, transcoded into the lake's
 * delimited text (core/lake TextBatch) without making a JS string or object per value. DuckDB then
 * parses and casts a whole part at once. Values get the same fixes as the row path (mysql-types.ts
 * fixValue): TIMESTAMP stays the session's UTC wall time (TextBatch: a TIMESTAMPTZ without an
 * offset is UTC), zero dates become null, BIT becomes a boolean or a number, binary strings base64.
 */

type Mode = 'number' | 'text' | 'date' | 'zone-utc' | 'zone-local' | 'bit-boolean' | 'bit-integer' | 'blob';

/** The part of a mysql2 row packet this reads: the payload is `buffer[offset, end)`. */
export interface RowPacket {
  buffer: Buffer;
  offset: number;
  end: number;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const NULL_FIELD = 0xfb;
const EMPTY = Buffer.alloc(0);
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
/** Column kinds of the fast path (MySqlTextRows.fastRow). */
const NUMBER = 0;
const TEXT = 1;
const DATE = 2;
const ZONE = 3;
/** Bytes that make a text field need quotes: tab, LF, CR, `"`. */
const SPECIAL = new Uint8Array(256);
for (const b of [TAB, LF, CR, QUOTE]) SPECIAL[b] = 1;

function modeOf(column: MappedColumn): Mode {
  switch (column.fix) {
    case 'bit-boolean':
    case 'bit-integer':
    case 'zone-utc':
    case 'zone-local':
      return column.fix;
    case 'zero-date':
      return 'date';
    case 'bigint':
      return 'number';
  }
  const type = column.column.type.toUpperCase();
  if (type === 'BLOB') return 'blob';
  // Digits, sign, point and exponent only: nothing to quote.
  if (/INT|DECIMAL|FLOAT|DOUBLE/.test(type)) return 'number';
  return 'text';
}

/** A MySQL zero date (`0000-00-00`, month or day `00`): bytes at `start` of a DATE/DATETIME/TIMESTAMP text. */
function isZeroDate(buf: Buffer, start: number, length: number): boolean {
  if (length < 10) return false;
  const zero = 48;
  if (buf[start] === zero && buf[start + 1] === zero && buf[start + 2] === zero && buf[start + 3] === zero) return true;
  return (buf[start + 5] === zero && buf[start + 6] === zero) || (buf[start + 8] === zero && buf[start + 9] === zero);
}

/** Collects rows of one chunk as a TextBatch, with the cursor range and the last row's key. */
export class MySqlTextRows {
  private out: Buffer;
  private length = 1;
  private longest = 0;
  rows = 0;
  private readonly modes: Mode[];
  /** 1: the cursor column, 2: a key column, 3: both. */
  private readonly roles: Uint8Array;
  private readonly keyPositions: number[];
  private readonly zoneSuffix: Buffer;
  private readonly numericCursor: boolean;
  private readonly cursorIndex: number;
  /** Smallest and largest cursor value so far, as the bytes MySQL sent (decoded in take()). */
  private readonly cursorMin = new CursorBytes();
  private readonly cursorMax = new CursorBytes();
  /** The key fields of the row just read, as bytes (null for SQL null). */
  private readonly keyBytes: (Buffer | null)[] = [];
  private readonly keyLengths: number[] = [];
  /** Where the fast path left the last row's key fields in `out` (-1: in keyBytes instead). */
  private readonly keyAt: number[] = [];
  /** Whether every column can take the fast path (no BIT or binary column). */
  private readonly fast: boolean;
  /** Bytes the fast path may add to a row beyond its packet: zone suffixes and the newline. */
  private readonly extra: number;
  /** The fast path's kind of each column: NUMBER, TEXT, DATE or ZONE. */
  private readonly codes: Uint8Array;
  /** Where each field's length byte went in the row being written (it becomes a tab). */
  private readonly tabs: Int32Array;

  constructor(columns: MappedColumn[], options: { cursor?: string; primaryKey: string[]; datetimeZone?: string; buffer?: Buffer; fastPath?: boolean }) {
    this.modes = columns.map(modeOf);
    ({ roles: this.roles, keyPositions: this.keyPositions, cursorIndex: this.cursorIndex, numericCursor: this.numericCursor } = columnRoles(columns, options));
    this.zoneSuffix = Buffer.from(` ${options.datetimeZone ?? 'UTC'}`);
    this.fast = options.fastPath !== false && this.modes.every((m) => m === 'number' || m === 'text' || m === 'date' || m === 'zone-utc' || m === 'zone-local');
    this.codes = Uint8Array.from(this.modes, (m) => (m === 'number' ? NUMBER : m === 'text' ? TEXT : m === 'zone-local' ? ZONE : DATE));
    this.tabs = new Int32Array(columns.length);
    this.extra = 1 + this.codes.filter((c) => c === ZONE).length * this.zoneSuffix.length;
    this.keyAt = options.primaryKey.map(() => -1);
    // A buffer of an earlier batch whose text is no longer needed, reused: no new 16 MB and its growth per chunk.
    // out[0] is spare: the fast path lands a row's first length byte just before the row.
    this.out = options.buffer ?? EMPTY;
  }

  /** Appends one row packet. */
  row(packet: RowPacket): void {
    if (this.fast && this.fastRow(packet.buffer, packet.offset, packet.end)) return;
    // Nothing of a row the fast path gave up on is kept: `length` and `rows` moved only on success.
    this.slowRow(packet);
  }

  /**
   * The common row, with as few JS steps per byte as possible: the packet is copied whole (one
   * native copy; split only where a zoned DATETIME gets its zone name), then each field's length
   * byte is overwritten by a tab, the first landing on the byte before the line, which is put back
   * as the previous newline. Only text fields are read byte by byte, for characters that need
   * quotes. False, with nothing kept, when the row needs the field-by-field path: a length of 251
   * bytes or more, an empty or quoted string, a zero date.
   */
  private fastRow(buf: Buffer, pos: number, end: number): boolean {
    this.ensure(end - pos + this.extra);
    const out = this.out;
    const codes = this.codes;
    const roles = this.roles;
    const tabs = this.tabs;
    const lineStart = this.length;
    // Output index = packet index + shift, until a zone name goes in.
    let shift = lineStart - 1 - pos;
    let segment = pos;
    for (let i = 0; i < codes.length; i++) {
      tabs[i] = pos + shift;
      const len = buf[pos++];
      if (len >= NULL_FIELD) {
        if (len !== NULL_FIELD) return this.undo(lineStart);
        if (roles[i] & 2) {
          const k = this.keyPositions[i];
          this.keyBytes[k] = null;
          this.keyAt[k] = -1;
        }
        continue;
      }
      const start = pos;
      const at = start + shift;
      pos += len;
      const code = codes[i];
      if (code === TEXT) {
        if (len === 0) return this.undo(lineStart);
        for (let j = start; j < pos; j++) if (SPECIAL[buf[j]]) return this.undo(lineStart);
      } else if (code !== NUMBER) {
        if (isZeroDate(buf, start, len)) return this.undo(lineStart);
        if (code === ZONE) {
          out.set(buf.subarray(segment, pos), segment + shift);
          const suffix = this.zoneSuffix;
          for (let j = 0; j < suffix.length; j++) out[pos + shift + j] = suffix[j];
          shift += suffix.length;
          segment = pos;
        }
      }
      if (roles[i]) {
        if (roles[i] & 2) {
          const k = this.keyPositions[i];
          this.keyAt[k] = at;
          this.keyLengths[k] = len;
        }
        if (roles[i] & 1) this.trackCursor(i, buf, start, pos);
      }
    }
    if (segment < pos) out.set(buf.subarray(segment, pos), segment + shift);
    for (let i = 1; i < tabs.length; i++) out[tabs[i]] = TAB;
    out[lineStart - 1] = LF;
    const lineEnd = pos + shift;
    out[lineEnd] = LF;
    this.length = lineEnd + 1;
    this.rows++;
    // With its newline, as the field-by-field path counts it.
    if (lineEnd + 1 - lineStart > this.longest) this.longest = lineEnd + 1 - lineStart;
    return true;
  }

  /** Puts back the newline a given-up fast row may have overwritten. */
  private undo(lineStart: number): false {
    this.out[lineStart - 1] = LF;
    return false;
  }

  /** The field-by-field path: every field copied, quoted or converted on its own. */
  private slowRow(packet: RowPacket): void {
    const buf = packet.buffer;
    let pos = packet.offset;
    const lineStart = this.length;
    const modes = this.modes;
    for (let i = 0; i < modes.length; i++) {
      if (i) this.byte(TAB);
      let len = buf[pos++];
      if (len === NULL_FIELD) {
        if (this.roles[i] & 2) {
          this.keyBytes[this.keyPositions[i]] = null;
          this.keyAt[this.keyPositions[i]] = -1;
        }
        continue;
      }
      if (len === 0xfc) {
        len = buf[pos] | (buf[pos + 1] << 8);
        pos += 2;
      } else if (len === 0xfd) {
        len = buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16);
        pos += 3;
      } else if (len === 0xfe) {
        len = buf.readUInt32LE(pos) + buf.readUInt32LE(pos + 4) * 2 ** 32;
        pos += 8;
      }
      const start = pos;
      pos += len;
      if (this.roles[i]) this.track(i, buf, start, pos);
      switch (modes[i]) {
        case 'number':
          this.copy(buf, start, pos);
          break;
        case 'text':
          this.text(buf, start, pos);
          break;
        case 'date':
          if (!isZeroDate(buf, start, len)) this.copy(buf, start, pos);
          break;
        case 'zone-utc':
          // UTC wall time: the lake text's TIMESTAMPTZ values without an offset are UTC (TextBatch).
          if (!isZeroDate(buf, start, len)) this.copy(buf, start, pos);
          break;
        case 'zone-local':
          if (!isZeroDate(buf, start, len)) {
            this.copy(buf, start, pos);
            this.copy(this.zoneSuffix, 0, this.zoneSuffix.length);
          }
          break;
        case 'bit-boolean':
          if (buf[start] !== 0) this.copy(TRUE, 0, 4);
          else this.copy(FALSE, 0, 5);
          break;
        case 'bit-integer': {
          let n = 0n;
          for (let j = start; j < pos; j++) n = (n << 8n) | BigInt(buf[j]);
          this.ascii(n.toString());
          break;
        }
        case 'blob':
          if (len === 0) this.ascii('""');
          else this.ascii(buf.toString('base64', start, pos));
          break;
      }
    }
    this.byte(LF);
    this.rows++;
    if (this.length - lineStart > this.longest) this.longest = this.length - lineStart;
  }

  /** The key values of the last row read, as text (for the next chunk's `where (pk) > (...)`). */
  get lastKey(): (string | null)[] {
    return this.keyAt.map((at, k) => {
      if (at >= 0) return this.out.toString('utf8', at, at + this.keyLengths[k]);
      const bytes = this.keyBytes[k];
      return bytes ? bytes.toString('utf8', 0, this.keyLengths[k]) : null;
    });
  }

  /** Copies key fields the fast path left in `out` into keyBytes, before `out` is handed over. */
  private keepKey(): void {
    this.keyAt.forEach((at, k) => {
      if (at < 0) return;
      const length = this.keyLengths[k];
      let bytes = this.keyBytes[k];
      if (!bytes || bytes.length < length) bytes = this.keyBytes[k] = Buffer.allocUnsafe(Math.max(64, length));
      this.out.copy(bytes, 0, at, at + length);
      this.keyAt[k] = -1;
    });
  }

  /** The batch so far; the collector starts empty again. */
  take(): TextBatch {
    this.keepKey();
    const batch: TextBatch = {
      text: this.out.subarray(1, this.length),
      rows: this.rows,
      longestLine: this.longest,
      ...(this.cursorMin.length >= 0 ? { cursor: { min: this.cursorValue(this.cursorMin.text()), max: this.cursorValue(this.cursorMax.text()) } } : {}),
    };
    this.out = EMPTY;
    this.length = 1;
    this.rows = 0;
    this.longest = 0;
    this.cursorMin.length = this.cursorMax.length = -1;
    return batch;
  }

  /** The value as the row path would carry it (mysql-types.ts fixValue), so that state reads the same. */
  private cursorValue(text: string): unknown {
    const mode = this.modes[this.cursorIndex];
    if (this.numericCursor) return BigInt(text);
    return mode === 'zone-utc' ? `${text}+00` : mode === 'zone-local' ? `${text}${this.zoneSuffix.toString()}` : text;
  }

  private track(i: number, buf: Buffer, start: number, end: number): void {
    const role = this.roles[i];
    if (role & 2) {
      const k = this.keyPositions[i];
      let bytes = this.keyBytes[k];
      if (!bytes || bytes.length < end - start) bytes = this.keyBytes[k] = Buffer.allocUnsafe(Math.max(64, end - start));
      for (let j = start; j < end; j++) bytes[j - start] = buf[j];
      this.keyLengths[k] = end - start;
      this.keyAt[k] = -1;
    }
    if (role & 1) this.trackCursor(i, buf, start, end);
  }

  /** Widens the cursor range by the value at `buf[start, end)`; a new largest value is the common case. */
  private trackCursor(i: number, buf: Buffer, start: number, end: number): void {
    const mode = this.modes[i];
    if ((mode === 'date' || mode === 'zone-utc' || mode === 'zone-local') && isZeroDate(buf, start, end - start)) return;
    widenRange(this.cursorMin, this.cursorMax, buf, start, end, this.numericCursor);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(1 << 20, this.out.length * 2, this.length + extra));
    this.out.copy(bigger, 0, 0, this.length);
    this.out = bigger;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.out[this.length++] = b;
  }

  private copy(buf: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    // Most fields are short: a plain loop beats Buffer#copy, which makes two views per call.
    if (end - start < 96) {
      const out = this.out;
      let at = this.length;
      for (let j = start; j < end; j++) out[at++] = buf[j];
      this.length = at;
    } else {
      this.length += buf.copy(this.out, this.length, start, end);
    }
  }

  private ascii(text: string): void {
    this.ensure(text.length);
    this.length += this.out.write(text, this.length, 'latin1');
  }

  /** A text value: as is, or quoted (quotes doubled) when it holds a tab, quote or line break; `""` when empty. */
  private text(buf: Buffer, start: number, end: number): void {
    if (start === end) {
      this.ensure(2);
      this.out[this.length++] = QUOTE;
      this.out[this.length++] = QUOTE;
      return;
    }
    let plain = true;
    for (let j = start; j < end; j++) {
      const b = buf[j];
      if (b === TAB || b === LF || b === CR || b === QUOTE) {
        plain = false;
        break;
      }
    }
    if (plain) return this.copy(buf, start, end);
    this.ensure(2 * (end - start) + 2);
    const out = this.out;
    out[this.length++] = QUOTE;
    for (let j = start; j < end; j++) {
      const b = buf[j];
      if (b === QUOTE) out[this.length++] = QUOTE;
      out[this.length++] = b;
    }
    out[this.length++] = QUOTE;
  }
}
