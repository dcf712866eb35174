import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomicPieces } from './artifact-metadata.js';

describe('writeFileAtomicPieces', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const folder = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-pieces-'));
    dirs.push(dir);
    return dir;
  };

  it('writes the pieces as UTF-8 in order, across buffer flushes and pieces larger than the buffer', () => {
    const file = path.join(folder(), 'sub', 'out.json');
    // Pieces of one to several times the buffer, with 2-, 3- and 4-byte characters.
    const pieces = ['{"a":', '"é€𝄞"', ',"b":"', 'x'.repeat(40), 'ü€'.repeat(30), '"', ',"c":"', '€'.repeat(200), '"}'];
    writeFileAtomicPieces(file, (write) => pieces.forEach(write), 64);
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
    expect(JSON.parse(readFileSync(file, 'utf8')).c).toBe('€'.repeat(200));
    expect(readdirSync(path.dirname(file))).toEqual(['out.json']);
  });

  it('leaves no file and no temp file behind when producing fails', () => {
    const dir = folder();
    const file = path.join(dir, 'out.json');
    expect(() =>
      writeFileAtomicPieces(file, (write) => {
        write('{"partial":');
        throw new Error('stopped');
      }),
    ).toThrow('stopped');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
