import type { LakeColumn, LakeFormat } from './lake-layout.js';
import type { ColumnBatch } from './column-batch.js';

/** Turns the rows of one part into the bytes of a file of one format. */
export interface PartEncoder {
  readonly format: LakeFormat;
  /** The bytes of one part holding `rows`, with the columns of `schema` in order (missing values are null). */
  encode(rows: Record<string, unknown>[], schema: LakeColumn[]): Promise<Uint8Array>;
  /**
   * The bytes of one part from delimited text (see TextBatch) holding `textColumns` in order, then
   * the `constants` as columns with one value for every row. Only encoders with a fast text path.
   */
  encodeText?(text: Uint8Array, textColumns: LakeColumn[], constants: { column: LakeColumn; value: string }[], longestLine: number): Promise<Uint8Array>;
  /** The same from a part by column (see ColumnBatch). Only encoders with a column path. */
  encodeColumns?(batch: ColumnBatch, columns: LakeColumn[], constants: { column: LakeColumn; value: string }[]): Promise<Uint8Array>;
  /** Frees what the encoder holds (a database connection, for Parquet). */
  close?(): Promise<void>;
}

/** JSON for one value: bigints as strings (exact), bytes as base64, dates as ISO text. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** One JSON Lines line (with its newline); nested objects and arrays stay nested. */
export function encodeJsonLine(row: Record<string, unknown>): string {
  return `${JSON.stringify(row, jsonReplacer)}\n`;
}

/** NDJSON parts: documents stay whole and nested. */
export class JsonLinesEncoder implements PartEncoder {
  readonly format = 'jsonl' as const;

  async encode(rows: Record<string, unknown>[]): Promise<Uint8Array> {
    return Buffer.from(rows.map(encodeJsonLine).join(''), 'utf8');
  }
}

/** The text of one CSV field: null and undefined are empty, objects become JSON text. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('base64');
  else if (typeof value === 'object') text = JSON.stringify(value, jsonReplacer);
  else text = String(value);
  // RFC 4180 quoting; an empty string is quoted so that it differs from null in the file.
  return text === '' || /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document with a header row of the schema's columns. */
export function encodeCsv(rows: Record<string, unknown>[], schema: LakeColumn[]): string {
  const columns = schema.map((c) => c.name);
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** CSV parts, with a header. */
export class CsvEncoder implements PartEncoder {
  readonly format = 'csv' as const;

  async encode(rows: Record<string, unknown>[], schema: LakeColumn[]): Promise<Uint8Array> {
    return Buffer.from(encodeCsv(rows, schema), 'utf8');
  }
}
