import { COLUMN_BLOCK_ROWS, type ColumnBlock } from '../../../core/lake/column-batch.js';
import { TEXT, type Kind } from './mysql-vector-kinds.js';
import { nativeRows } from './mysql-native-rows.js';

/** One block of rows: the arrays of ColumnBlock and views of them for writing. */
export class Block implements ColumnBlock {
  rows = 0;
  readonly data: (ArrayBuffer | ArrayBuffer[])[];
  readonly validity: (Int32Array | null)[];
  readonly long: (number[] | null)[];
  heap: Buffer = Buffer.allocUnsafe(4096);
  heapLength = 0;
  /** Fixed columns: 1, 2 or 4-byte views (8-byte values as two 32-bit words). */
  readonly views: (Int8Array | Int16Array | Int32Array | null)[];
  readonly wide: (BigInt64Array | null)[];
  /** Text columns: each piece as 32-bit words. */
  readonly pieces: Int32Array[][];
  readonly nulls: Int32Array[];
  readonly hasNull: Uint8Array;
  readonly longRows: number[][];
  /** The C parser's handle on this block's arrays (mysql-native-rows.ts), made again when a piece is added. */
  private handle?: ArrayBuffer;
  private handlePlan?: Int32Array;

  constructor(kinds: Kind[]) {
    this.data = kinds.map((k) => (k.code === TEXT ? [] : new ArrayBuffer(COLUMN_BLOCK_ROWS * k.bytes)));
    this.views = kinds.map((k, i) => {
      if (k.code === TEXT) return null;
      const buffer = this.data[i] as ArrayBuffer;
      return k.bytes === 1 ? new Int8Array(buffer) : k.bytes === 2 ? new Int16Array(buffer) : new Int32Array(buffer);
    });
    this.wide = kinds.map((k, i) => (k.bytes === 8 && k.code !== TEXT ? new BigInt64Array(this.data[i] as ArrayBuffer) : null));
    this.pieces = kinds.map(() => []);
    this.nulls = kinds.map(() => new Int32Array(COLUMN_BLOCK_ROWS / 32).fill(-1));
    this.hasNull = new Uint8Array(kinds.length);
    this.longRows = kinds.map(() => []);
    this.validity = kinds.map(() => null);
    this.long = kinds.map(() => null);
  }

  /** Piece `p` of text column `i`, added (all empty) when new. */
  piece(i: number, p: number): Int32Array {
    const list = this.pieces[i];
    while (list.length <= p) {
      const words = new Int32Array(COLUMN_BLOCK_ROWS * 4);
      list.push(words);
      (this.data[i] as ArrayBuffer[]).push(words.buffer as ArrayBuffer);
      this.handle = undefined;
    }
    return list[p];
  }

  /** The C parser's handle on this block for `plan`: hasNull, then per column its validity words and its values or each of its pieces. */
  native(plan: Int32Array): ArrayBuffer {
    if (!this.handle || this.handlePlan !== plan) {
      const targets: ArrayBufferView[] = [this.hasNull];
      for (let i = 0; i < this.nulls.length; i++) {
        targets.push(this.nulls[i]);
        const view = this.views[i];
        if (view) targets.push(view);
        else targets.push(...this.pieces[i]);
      }
      this.handle = nativeRows!.block(plan, Int32Array.from(this.pieces, (list) => list.length), targets);
      this.handlePlan = plan;
    }
    return this.handle;
  }

  clear(): void {
    this.rows = 0;
    this.heapLength = 0;
    for (let i = 0; i < this.nulls.length; i++) {
      if (this.hasNull[i]) this.nulls[i].fill(-1);
      this.hasNull[i] = 0;
      this.longRows[i].length = 0;
    }
  }

  /** Sets the ColumnBlock fields from what was written. */
  seal(pieces: Int32Array): void {
    for (let i = 0; i < this.nulls.length; i++) {
      this.validity[i] = this.hasNull[i] ? this.nulls[i] : null;
      this.long[i] = this.longRows[i].length ? this.longRows[i] : null;
      for (let p = 0; p < pieces[i]; p++) this.piece(i, p);
    }
  }
}

/** Empties pieces `from`.. of the view at word `at`. */
export function clearPieces(pieces: Int32Array[], at: number, from: number): void {
  for (let q = from; q < pieces.length; q++) {
    const words = pieces[q];
    words[at] = 0;
    words[at + 1] = 0;
    words[at + 2] = 0;
    words[at + 3] = 0;
  }
}
