import { clearPieces, type Block } from './mysql-vector-block.js';
import { DECIMAL, INT, TEXT, TIMESTAMP, type Kind } from './mysql-vector-kinds.js';

/**
 * The row parser of the vector path, written out for one table's columns: one piece of code per
 * column in order, its kind, width, scale and role fixed, so that no row looks up how to parse a
 * field. mysql2 makes its row parsers the same way. The source text holds only numbers (column
 * positions, widths, scales), never a name or value from the server.
 *
 * Each field: its length (0xfb: null), then
 * - text: up to 72 ASCII bytes into 12-byte inline pieces (DuckDB's string layout), read 12 bytes
 *   at a time where they are inside the buffer; anything else whole (`wholeText`);
 * - integers and DECIMAL: digits, a sign and, for DECIMAL, a point with all its fraction digits (as
 *   MySQL sends them) inline, up to 15 digits for 8-byte values and 9 for the narrower ones; the
 *   rest through `number` (exact, or a clear error);
 * - TIMESTAMP inline when it is `YYYY-MM-DD HH:MM:SS.ffffff` (MySQL's TIMESTAMP(6) and DATETIME(6))
 *   on the same date as the column's value before, all digits and in range; DATE, other widths, a new
 *   date or anything odd through `date` and `timestamp`;
 * then, for a key column, where its bytes are; for the cursor column, the value (`trackCursor`).
 */
export type RowParser = (self: ParserTarget, b: Block, buf: Buffer, view: DataView, pos: number, r: number, pieceCounts: Int32Array) => void;

/** What the generated code calls on the collector (mysql-vector-rows.ts MySqlVectorRows). */
export interface ParserTarget {
  parsed: number;
  dayWords: Int32Array;
  daySecondsOf: Float64Array;
  keyBytes: (Buffer | null)[];
  keyBuffers: (Buffer | undefined)[];
  keyStarts: number[];
  keyEnds: number[];
  wholeText(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): void;
  number(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): void;
  timestamp(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): boolean;
  date(b: Block, i: number, r: number, buf: Buffer, start: number, end: number): boolean;
  trackCursor(buf: Buffer, start: number, end: number): void;
}

/** Bit 1 of a role: the cursor column; bit 2: part of the primary key (mysql-row-tracking.ts). */
const CURSOR = 1;
const KEY = 2;
const MASKS = Int32Array.from([0, 0xff, 0xffff, 0xffffff, -1]);
const TWO_32 = 4294967296;
/** Microseconds a double holds exactly: past this many seconds (about year 2255) timestamps are computed with BigInt. */
export const EXACT_SECONDS = 9_000_000_000;

/** One parser per signature: every chunk of a table shares it, and so its optimised code. */
const parsers = new Map<string, RowParser>();

/** The parser for columns of these kinds, roles (cursor, key) and key positions. */
export function rowParser(kinds: Kind[], roles: Uint8Array, keyPositions: number[]): RowParser {
  const signature = kinds.map((k, i) => `${k.code}.${k.bytes}.${k.scale}.${roles[i]}.${keyPositions[i]}`).join(',');
  let parser = parsers.get(signature);
  if (!parser) {
    const body = kinds.map((kind, i) => field(i, kind, roles[i], keyPositions[i])).join('\n');
    const make = new Function('MASKS', 'setInt64', 'clearPieces', `return function row(self, b, buf, view, pos, r, pieceCounts) {\n  let len = 0, start = 0, end = 0, value = NaN, present = true;\n${body}\n};`) as (
      masks: Int32Array,
      set: typeof setInt64,
      clear: typeof clearPieces,
    ) => RowParser;
    parser = make(MASKS, setInt64, clearPieces);
    parsers.set(signature, parser);
  }
  return parser;
}

function field(i: number, kind: Kind, role: number, k: number): string {
  const onNull = role & KEY ? `self.keyBytes[${k}] = null; self.keyBuffers[${k}] = undefined;` : '';
  const keyAt = role & KEY ? `self.keyBuffers[${k}] = buf; self.keyStarts[${k}] = start; self.keyEnds[${k}] = end;` : '';
  const cursor = role & CURSOR ? `if (present) { self.parsed = value; self.trackCursor(buf, start, end); }` : '';
  return `  // column ${i}
  len = buf[pos++];
  if (len === 0xfb) { ${setNull(i, kind)} ${onNull} }
  else {
    if (len > 0xfb) {
      if (len === 0xfc) { len = buf[pos] | (buf[pos + 1] << 8); pos += 2; }
      else if (len === 0xfd) { len = buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16); pos += 3; }
      else { len = buf.readUInt32LE(pos) + buf.readUInt32LE(pos + 4) * ${TWO_32}; pos += 8; }
    }
    start = pos; end = pos + len; pos = end; value = NaN; present = true;
${value(i, kind)}
    ${keyAt}
    ${cursor}
  }`;
}

function value(i: number, kind: Kind): string {
  if (kind.code === TEXT) {
    return `    {
      const pieces = b.pieces[${i}];
      const at = r * 4;
      let p = 0;
      if (end - start <= 72 && end + 12 <= buf.length) {
        let j = start, high = 0;
        do {
          const words = pieces[p] ?? b.piece(${i}, p);
          const n = end - j < 12 ? end - j : 12;
          let x = view.getInt32(j, true), y = view.getInt32(j + 4, true), z = view.getInt32(j + 8, true);
          if (n < 12) {
            if (n <= 4) { x &= MASKS[n]; y = z = 0; }
            else if (n <= 8) { y &= MASKS[n - 4]; z = 0; }
            else z &= MASKS[n - 8];
          }
          high |= x | y | z;
          words[at] = n; words[at + 1] = x; words[at + 2] = y; words[at + 3] = z;
          j += n;
          p++;
        } while (j < end);
        if (high & 0x80808080) p = 0;
      }
      if (p) {
        // clearPieces(pieces, at, p) written out: this runs for every text value, and V8 does not inline that call here.
        for (let q = p; q < pieces.length; q++) { const words = pieces[q]; words[at] = words[at + 1] = words[at + 2] = words[at + 3] = 0; }
        if (p > pieceCounts[${i}]) pieceCounts[${i}] = p;
      } else self.wholeText(b, ${i}, r, buf, start, end);
    }`;
  }
  if (kind.code === INT || kind.code === DECIMAL) {
    const scale = kind.code === DECIMAL ? kind.scale : -1;
    // The point where a DECIMAL with a scale has it, with all its fraction digits; none otherwise.
    const point = scale > 0 ? `point >= 0 && end - point - 1 === ${scale}` : 'point < 0';
    const store = kind.bytes === 8 ? `setInt64(b.views[${i}], r, v);` : `b.views[${i}][r] = v;`;
    return `    {
      let j = start;
      const negative = buf[j] === 45;
      if (negative) j++;
      let v = 0, point = -1;
      for (; j < end; j++) {
        const d = buf[j] - 48;
        if (d >>> 0 <= 9) v = v * 10 + d;
        else if (d === -2 && point < 0) point = j;
        else break;
      }
      const digits = end - start - (negative ? 1 : 0) - (point >= 0 ? 1 : 0);
      if (j === end && digits > 0 && digits <= ${kind.bytes === 8 ? 15 : 9} && ${point}) {
        if (negative) v = -v;
        ${store}
        value = v;
      } else { self.number(b, ${i}, r, buf, start, end); value = self.parsed; }
    }`;
  }
  if (kind.code === TIMESTAMP) {
    return `    {
      const s = start;
      let fast = false;
      const dw = self.dayWords;
      if (end - s === 26 && view.getInt32(s, true) === dw[${3 * i}] && view.getInt32(s + 4, true) === dw[${3 * i + 1}] && view.getUint16(s + 8, true) === dw[${3 * i + 2}] && buf[s + 10] === 32 && buf[s + 13] === 58 && buf[s + 16] === 58 && buf[s + 19] === 46) {
        const h1 = buf[s + 11] - 48, h2 = buf[s + 12] - 48, m1 = buf[s + 14] - 48, m2 = buf[s + 15] - 48, s1 = buf[s + 17] - 48, s2 = buf[s + 18] - 48;
        const u1 = buf[s + 20] - 48, u2 = buf[s + 21] - 48, u3 = buf[s + 22] - 48, u4 = buf[s + 23] - 48, u5 = buf[s + 24] - 48, u6 = buf[s + 25] - 48;
        // Every one a digit: none below 0 nor above 9.
        if ((h1 | h2 | m1 | m2 | s1 | s2 | u1 | u2 | u3 | u4 | u5 | u6 | (9 - h1) | (9 - h2) | (9 - m1) | (9 - m2) | (9 - s1) | (9 - s2) | (9 - u1) | (9 - u2) | (9 - u3) | (9 - u4) | (9 - u5) | (9 - u6)) >= 0) {
          const h = h1 * 10 + h2, mi = m1 * 10 + m2, se = s1 * 10 + s2;
          const total = self.daySecondsOf[${i}] + h * 3600 + mi * 60 + se;
          if (h <= 23 && mi <= 59 && se <= 59 && total < ${EXACT_SECONDS} && total > -${EXACT_SECONDS}) {
            const v = total * 1e6 + ((((u1 * 10 + u2) * 10 + u3) * 10 + u4) * 10 + u5) * 10 + u6;
            setInt64(b.views[${i}], r, v);
            value = v;
            fast = true;
          }
        }
      }
      if (!fast) { present = self.timestamp(b, ${i}, r, buf, start, end); value = self.parsed; }
    }`;
  }
  return `    present = self.date(b, ${i}, r, buf, start, end); value = self.parsed;`;
}

/** Marks row r of column i null (Block.nulls is a validity mask: a cleared bit), a text column's pieces empty. */
function setNull(i: number, kind: Kind): string {
  const pieces = kind.code === TEXT ? ` clearPieces(b.pieces[${i}], r * 4, 0);` : '';
  return `b.nulls[${i}][r >>> 5] &= ~(1 << (r & 31)); b.hasNull[${i}] = 1;${pieces}`;
}

/** A whole number below 2^53 in magnitude into 64-bit slot `r` of `words`, as two 32-bit halves (little-endian). */
export function setInt64(words: Int32Array, r: number, v: number): void {
  const high = Math.floor(v / TWO_32);
  words[2 * r] = v - high * TWO_32;
  words[2 * r + 1] = high;
}
