import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { TextBatch } from '../../../core/lake/lake-writer.js';

/** Rows per lake part on the text path, as the lake writer's default part size. */
export const ROWS_PER_BATCH = 100_000;

/** Where one part's text sits in a spool file. */
export interface SpooledBatch {
  start: number;
  end: number;
  rows: number;
  longestLine: number;
}

/** A CSV/TSV file re-written as the lake's delimited text (TextBatch), and its column names. */
export interface CsvSpool {
  names: string[];
  batches: SpooledBatch[];
}

/**
 * CSV/TSV records as arrays, an unquoted empty field as null and a quoted "" as empty text; the
 * column names (the header's, or column0, column1...) go to `onNames` before the first record.
 */
export async function* csvRecords(stream: Readable, delimiter: string, header: boolean, onNames: (names: string[]) => void): AsyncIterable<(string | null)[]> {
  // Records come as arrays with their raw text: csv-parse's per-field `cast` hook is several times
  // slower, so only a record holding a quoted "" is parsed again to tell it from an empty field.
  const parser = pipeline(stream, parse({ delimiter, bom: true, skip_empty_lines: true, raw: true }), () => {}) as unknown as Readable;
  let named = false;
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    if (!named) {
      named = true;
      onNames(header ? headerNames(record) : record.map((_, i) => `column${i}`));
      if (header) continue;
    }
    yield record.includes('') ? withNulls(record, raw, delimiter) : record;
  }
}

/** CSV/TSV rows as objects by column name. */
export async function* csvRows(stream: Readable, delimiter: string, header: boolean): AsyncIterable<Record<string, unknown>> {
  let names: string[] = [];
  for await (const values of csvRecords(stream, delimiter, header, (n) => (names = n))) {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
    yield row;
  }
}

/**
 * Reads a CSV/TSV file through once and writes it to `spool` as the lake's delimited text: tab
 * separated, `"` quoting, an empty field null and `""` empty text (what the Parquet encoder's
 * encodeText reads), cut into parts of `rowsPerBatch` rows. A malformed file throws here.
 */
export async function spoolCsvText(stream: Readable, delimiter: string, header: boolean, spool: string, rowsPerBatch = ROWS_PER_BATCH): Promise<CsvSpool> {
  const out = createWriteStream(spool);
  const batches: SpooledBatch[] = [];
  let names: string[] = [];
  let offset = 0;
  let current: SpooledBatch = { start: 0, end: 0, rows: 0, longestLine: 0 };
  let chunk: string[] = [];
  let chunkBytes = 0;
  const flush = async () => {
    if (!chunk.length) return;
    if (!out.write(chunk.join(''))) await once(out, 'drain');
    chunk = [];
    chunkBytes = 0;
  };
  try {
    for await (const values of csvRecords(stream, delimiter, header, (n) => (names = n))) {
      let line = '';
      for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + textField(values[i]);
      line += '\n';
      const bytes = Buffer.byteLength(line);
      chunk.push(line);
      chunkBytes += bytes;
      offset += bytes;
      current.rows++;
      if (bytes > current.longestLine) current.longestLine = bytes;
      if (current.rows >= rowsPerBatch) {
        batches.push({ ...current, end: offset });
        current = { start: offset, end: offset, rows: 0, longestLine: 0 };
      }
      if (chunkBytes >= 1 << 20) await flush();
    }
    if (current.rows) batches.push({ ...current, end: offset });
    await flush();
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { names, batches };
}

/** The parts of a spool as text batches, read one at a time. */
export async function* spooledBatches(spool: string, batches: SpooledBatch[]): AsyncIterable<TextBatch> {
  const file = await open(spool, 'r');
  try {
    for (const batch of batches) {
      const text = Buffer.alloc(batch.end - batch.start);
      await file.read(text, 0, text.length, batch.start);
      yield { text, rows: batch.rows, longestLine: batch.longestLine };
    }
  } finally {
    await file.close();
  }
}

/** One field of the lake's delimited text: null is empty, other text quoted when it must be. */
function textField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  return /[\t\n\r"]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function headerNames(record: string[]): string[] {
  const names = record.map((n) => n.trim());
  names.forEach((name, i) => {
    if (!name) throw new Error(`the header has no name for column ${i + 1}`);
    if (names.indexOf(name) !== i) throw new Error(`the header names column '${name}' twice`);
  });
  return names;
}

/** The record's empty fields as null, except those written as a quoted "". */
function withNulls(record: string[], raw: string, delimiter: string): (string | null)[] {
  if (!raw.includes('""')) return record.map((v) => (v === '' ? null : v));
  const [again] = parseSync(raw, { delimiter, cast: (value, context) => (value === '' && !context.quoting ? null : value) }) as (string | null)[][];
  return again;
}
