import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder.js';
import { FileWriter } from './file-writer.js';

describe('FileWriter', () => {
  it('writes every file, creating folders, by the time flush resolves', async () => {
    const dir = tempFolder('writer');
    const writer = new FileWriter();
    for (let i = 0; i < 1203; i++) writer.write(path.join(dir, `f${i % 7}`, `m${i}.sql`), `select ${i}`);
    await writer.flush();
    expect(readFileSync(path.join(dir, 'f3', 'm1200.sql'), 'utf8')).toBe('select 1200');
    expect(readFileSync(path.join(dir, 'f0', 'm0.sql'), 'utf8')).toBe('select 0');
  });

  it('leaves a file that already holds the same text alone, and rewrites one that differs', async () => {
    const dir = tempFolder('writer');
    mkdirSync(path.join(dir, 'm'));
    const same = path.join(dir, 'm', 'same.sql');
    const changed = path.join(dir, 'm', 'changed.sql');
    writeFileSync(same, 'select 1');
    writeFileSync(changed, 'select 2');
    const past = new Date('2001-01-01T00:00:00Z');
    utimesSync(same, past, past);
    utimesSync(changed, past, past);
    const writer = new FileWriter();
    writer.write(same, 'select 1');
    writer.write(changed, 'select 22');
    writer.write(path.join(dir, 'm', 'new.sql'), 'select 3');
    await writer.flush();
    expect(statSync(same).mtime.getTime()).toBe(past.getTime());
    expect(readFileSync(changed, 'utf8')).toBe('select 22');
    expect(statSync(changed).mtime.getTime()).toBeGreaterThan(past.getTime());
    expect(readFileSync(path.join(dir, 'm', 'new.sql'), 'utf8')).toBe('select 3');
  });

  it('with many batches, every file gets its text', async () => {
    const dir = tempFolder('writer');
    const writer = new FileWriter();
    for (let i = 0; i < 12_000; i++) writer.write(path.join(dir, `f${i % 13}`, `m${i}.sql`), `select ${i}`);
    await writer.flush();
    for (let i = 0; i < 12_000; i++) expect(readFileSync(path.join(dir, `f${i % 13}`, `m${i}.sql`), 'utf8')).toBe(`select ${i}`);
  });

  it('a file queued twice ends with the last text', async () => {
    const dir = tempFolder('writer');
    const twice = path.join(dir, 'm', 'twice.sql');
    const writer = new FileWriter();
    writer.write(twice, 'select 1');
    for (let i = 0; i < 5_000; i++) writer.write(path.join(dir, 'm', `m${i}.sql`), `select ${i}`);
    writer.write(twice, 'select 2');
    await writer.flush();
    expect(readFileSync(twice, 'utf8')).toBe('select 2');
  });

  it('reports a file that cannot be written', async () => {
    const dir = tempFolder('writer');
    writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
    const writer = new FileWriter();
    writer.write(path.join(dir, 'blocker', 'x.sql'), 'select 1');
    await expect(writer.flush()).rejects.toThrowError(/could not write files under target/);
  });

  it('flush with nothing written resolves at once', async () => {
    await new FileWriter().flush();
  });
});
