import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readText } from './read-text.js';

describe('readText', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-read-text-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives what readFileSync gives: empty, small, larger than its buffer (twice over), non-ASCII and invalid UTF-8', () => {
    const contents: (string | Buffer)[] = [
      '',
      'select 1',
      'x'.repeat(64 * 1024),
      `${'é€😀'.repeat(30_000)}\nend`,
      Buffer.from([0x73, 0xc3, 0x28, 0xff, 0x0a, 0xe2, 0x82]),
    ];
    contents.forEach((content, i) => {
      const file = path.join(dir, `f${i}.sql`);
      writeFileSync(file, content);
      expect(readText(file)).toBe(readFileSync(file, 'utf8'));
    });
    // A small file after a large one: only its own bytes.
    expect(readText(path.join(dir, 'f1.sql'))).toBe('select 1');
  });

  it('throws as readFileSync does for a missing file', () => {
    expect(() => readText(path.join(dir, 'missing.sql'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
