import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { SftpFileParser, type ParseOptions } from './sftp-file-parser.js';
import { spoolCsvText, spooledBatches } from './sftp-csv-reader.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sftp-parse-'));
const parser = new SftpFileParser();
afterAll(async () => {
  await parser.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(body: string | Uint8Array, options: Partial<ParseOptions> = {}): Promise<Record<string, unknown>[]> {
  const file = path.join(dir, `f${Math.random().toString(16).slice(2)}`);
  writeFileSync(file, body);
  const parsed = await parser.open(file, { format: 'csv', gzip: false, header: true, landAs: 'parquet', ...options }, `${file}.unpacked`);
  const out: Record<string, unknown>[] = [];
  for await (const row of parsed.rows()) out.push(row);
  return out;
}

describe('SFTP file parser', () => {
  it('CSV: an unquoted empty field is null, a quoted "" is empty text; quotes, commas and newlines inside fields; a BOM', async () => {
    expect(await rows('\uFEFFid, note ,extra\n1,"a ""quoted"", text",\n2,"",""\n3,"two\nlines",x\n\n')).toEqual([
      { id: '1', note: 'a "quoted", text', extra: null },
      { id: '2', note: '', extra: '' },
      { id: '3', note: 'two\nlines', extra: 'x' },
    ]);
  });

  it('TSV, no header (column0, column1...), gzip', async () => {
    expect(await rows(gzipSync('a\tb\n\tc\n'), { format: 'tsv', gzip: true, header: false })).toEqual([
      { column0: 'a', column1: 'b' },
      { column0: null, column1: 'c' },
    ]);
  });

  it('malformed files say what and where', async () => {
    await expect(rows('a,b\n1,2\n3\n')).rejects.toThrow(/Invalid Record Length: expect 2, got 1 on line 3/);
    await expect(rows('a,b\n"1,2\n')).rejects.toThrow(/Quote Not Closed/);
    await expect(rows('a,a\n1,2\n')).rejects.toThrow(/the header names column 'a' twice/);
    await expect(rows(gzipSync('a\n1\n').subarray(0, 12), { gzip: true })).rejects.toThrow(/unexpected end of file/);
    await expect(rows('{"a":1}\n[1]\n', { format: 'jsonl' })).rejects.toThrow(/line 2 is not a JSON object/);
    await expect(rows('not parquet', { format: 'parquet' })).rejects.toThrow(/parquet/i);
  });

  it('CSV re-written as the lake\'s delimited text: tab separated, quoted where needed, null empty, "" kept, cut into parts', async () => {
    const spool = path.join(dir, 'spool.tsv');
    const csv = 'a,b\n1,"tab\there"\n2,"say ""hi"""\n3,\n4,""\n5,"two\nlines"\n';
    const { names, batches } = await spoolCsvText(Readable.from([csv]), ',', true, spool, 2);
    expect(names).toEqual(['a', 'b']);
    expect(batches.map((b) => b.rows)).toEqual([2, 2, 1]);
    const texts: string[] = [];
    for await (const batch of spooledBatches(spool, batches)) texts.push(Buffer.from(batch.text).toString());
    expect(texts).toEqual(['1\t"tab\there"\n2\t"say ""hi"""\n', '3\t\n4\t""\n', '5\t"two\nlines"\n']);
    expect(batches[1].longestLine).toBe(5);
  });

  it('NDJSON keeps nested values and skips blank lines', async () => {
    expect(await rows('{"id":1,"tags":["a"],"m":{"k":null}}\r\n\r\n{"id":2}\n{"id":9007199254740993}\n', { format: 'jsonl' })).toEqual([{ id: 1, tags: ['a'], m: { k: null } }, { id: 2 }, { id: '9007199254740993' }]);
  });
});
