import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { readSeed, type ReadSeedOptions } from './read-seed.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'strata-seed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function csv(text: string): string {
  const file = path.join(root, `seed_${count++}.csv`);
  writeFileSync(file, text);
  return file;
}

async function readError(text: string, options: ReadSeedOptions = {}): Promise<UserError> {
  const error = await readSeed(csv(text), { displayPath: 'seeds/s.csv', ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('readSeed', () => {
  it('names columns from the header, infers their types and makes empty fields null', async () => {
    const seed = await readSeed(csv('id,name,signed_up,active,score\n1,ann,2024-01-05,true,1.5\n2,,2024-02-01,false,\n'));
    expect(seed.columns).toEqual([
      { name: 'id', inferred: 'integer' },
      { name: 'name', inferred: 'text' },
      { name: 'signed_up', inferred: 'date' },
      { name: 'active', inferred: 'boolean' },
      { name: 'score', inferred: 'double' },
    ]);
    expect(seed.rows).toEqual([
      ['1', 'ann', '2024-01-05', 'true', '1.5'],
      ['2', null, '2024-02-01', 'false', null],
    ]);
  });

  it('follows RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes', async () => {
    const seed = await readSeed(csv('\uFEFFid,note\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\nlines"\r\n'));
    expect(seed.columns.map((c) => c.name)).toEqual(['id', 'note']);
    expect(seed.rows).toEqual([
      ['1', 'a, b'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
    ]);
  });

  it('reads another delimiter and skips blank lines', async () => {
    const seed = await readSeed(csv('id;amount\n\n1;2,5\n2;3\n\n'), { delimiter: ';' });
    expect(seed.rows).toEqual([
      ['1', '2,5'],
      ['2', '3'],
    ]);
    expect(seed.columns[1].inferred).toBe('text');
  });

  it('a header with no rows gives text columns and no rows', async () => {
    const seed = await readSeed(csv('a,b\n'));
    expect(seed).toEqual({ columns: [{ name: 'a', inferred: 'text' }, { name: 'b', inferred: 'text' }], rows: [] });
  });

  it('column_types win over inference and are matched case-insensitively', async () => {
    const seed = await readSeed(csv('Zip,City\n02134,Boston\n'), { columnTypes: { zip: 'varchar(5)', CITY: 'text' } });
    expect(seed.columns).toEqual([
      { name: 'Zip', inferred: 'text', declared: 'varchar(5)' },
      { name: 'City', inferred: 'text', declared: 'text' },
    ]);
  });

  it('an unknown column in column_types suggests the nearest column', async () => {
    const error = await readError('customer_id,name\n1,ann\n', { columnTypes: { custmer_id: 'bigint' } });
    expect(error.message).toContain("'custmer_id'");
    expect(error.hint).toBe("did you mean 'customer_id'?");
  });

  it('a row with the wrong number of fields names its line', async () => {
    const error = await readError('id,name\n1,ann\n"2","multi\nline"\n3,bob,extra\n');
    expect(error.file).toBe('seeds/s.csv');
    expect(error.line).toBe(5);
    expect(error.message).toBe('line 5 has 3 fields, but the header names 2 columns');
  });

  it('a row with too few fields after blank lines names its line', async () => {
    const error = await readError('id,name\n\n1,ann\n\n4\n');
    expect(error.line).toBe(5);
  });

  it('a duplicate or empty header name is an error on line 1', async () => {
    const duplicate = await readError('id,name,ID\n1,a,2\n');
    expect(duplicate.line).toBe(1);
    expect(duplicate.message).toContain("'ID' twice (columns 1 and 3)");
    const empty = await readError('id,,name\n1,2,3\n');
    expect(empty.line).toBe(1);
    expect(empty.message).toContain('column 2');
  });

  it('an unclosed quote is a user error with its line', async () => {
    const error = await readError('id,name\n1,ann\n2,"bob\n');
    expect(error.message).toMatch(/cannot parse seed: Quote Not Closed/);
    expect(error.line).toBe(3);
  });

  it('an empty file or a missing one is a user error', async () => {
    expect((await readError('')).message).toBe('the seed is empty');
    const missing = await readSeed(path.join(root, 'nope.csv')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as UserError).message).toMatch(/nope\.csv does not exist/);
    mkdirSync(path.join(root, 'folder.csv'));
    await expect(readSeed(path.join(root, 'folder.csv'))).rejects.toThrow(/is a folder/);
  });

  it('reads a large seed', async () => {
    const lines = ['n,label,at'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},row ${i},2024-01-05 10:00:${String(i % 60).padStart(2, '0')}`);
    const seed = await readSeed(csv(lines.join('\n')));
    expect(seed.rows.length).toBe(50_000);
    expect(seed.columns.map((c) => c.inferred)).toEqual(['integer', 'text', 'timestamp']);
  });
});
