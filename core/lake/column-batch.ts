/**
 * Rows of one part by column, as a source that parses the wire itself hands them to an encoder
 * (the MySQL source to DuckDB): blocks of at most COLUMN_BLOCK_ROWS rows, each column a typed
 * array in a fixed little-endian layout, so an encoder copies a block's column in one go instead
 * of parsing text. Columns in the schema's order; see TextBatch for the lifetime of the memory.
 */
export interface ColumnBatch {
  columns: ColumnLayout[];
  blocks: ColumnBlock[];
  rows: number;
  /** Smallest and largest cursor values in the batch, as rows would carry them. */
  cursor?: { min: unknown; max: unknown };
}

/** Rows per block: DuckDB's vector size, the most one data chunk holds. */
export const COLUMN_BLOCK_ROWS = 2048;

/** How one column's values are laid out in each block. */
export type ColumnLayout =
  /**
   * Values of the column's own type, `bytes` each: integers as themselves, DECIMAL(p,s) as the
   * unscaled integer (2 bytes up to p = 4, 4 up to 9, 8 up to 18), DATE as days since 1970-01-01,
   * TIMESTAMP and TIMESTAMPTZ as microseconds since 1970-01-01 00:00 UTC.
   */
  | { kind: 'fixed'; bytes: 1 | 2 | 4 | 8 }
  /**
   * UTF-8 text, cast to the column's type by the encoder: `pieces` arrays of 16-byte inline
   * string views (uint32 length, then at most 12 bytes, zero-padded) whose concatenation is the
   * value; a value that is not split that way is in the block's `long` list, its pieces empty.
   */
  | { kind: 'text'; pieces: number };

export interface ColumnBlock {
  rows: number;
  /** Per column: its fixed-width values, or one array of views per piece (every piece present). */
  data: (ArrayBuffer | ArrayBuffer[])[];
  /** Per column: a validity bitmap (bit `r & 31` of word `r >> 5` set: row r is not null), or null when none is null. */
  validity: (Int32Array | null)[];
  /** Per text column: `[row, start, end]` triples of values held whole in `heap`, or null. */
  long: (number[] | null)[];
  heap: Uint8Array;
}

export function isColumnBatch(batch: object): batch is ColumnBatch {
  return 'blocks' in batch;
}
