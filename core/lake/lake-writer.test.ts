import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LakeWriter } from './lake-writer.js';
import { LocalLakeStorage } from './local-lake-storage.js';
import type { LakeStorage } from './lake-storage.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function lake(): LocalLakeStorage {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-lake-'));
  dirs.push(dir);
  return new LocalLakeStorage(dir);
}
const loadedAt = new Date('2026-11-25T08:30:00Z');
const batchId = '20261125T083000Z-0a1b2c3d';
const text = async (storage: LakeStorage, key: string) => Buffer.from((await storage.get(key))!).toString('utf8');

describe('LakeWriter', () => {
  it('writes parts under the layout with load metadata on every row and commits them', async () => {
    const storage = lake();
    const writer = new LakeWriter(storage);
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id, customer: { name: `c${id}`, tags: ['a', 'b'] } }));
    const batch = await writer.writeBatch({ source: 'shop_mongo', table: 'orders', rows, format: 'jsonl', system: 'mongodb', loadedAt, batchId, maxRowsPerFile: 2 });
    expect(batch).toMatchObject({ batch_id: batchId, rows: 5, load_date: '2026-11-25', loaded_at: '2026-11-25T08:30:00.000Z', system: 'mongodb' });
    expect(batch.parts.map((p) => [p.key, p.rows])).toEqual([
      ['raw/shop_mongo/orders/load_date=2026-11-25/20261125T083000Z-0a1b2c3d-00000.jsonl', 2],
      ['raw/shop_mongo/orders/load_date=2026-11-25/20261125T083000Z-0a1b2c3d-00001.jsonl', 2],
      ['raw/shop_mongo/orders/load_date=2026-11-25/20261125T083000Z-0a1b2c3d-00002.jsonl', 1],
    ]);
    const first = (await text(storage, batch.parts[0].key)).trim().split('\n').map((l) => JSON.parse(l));
    expect(first[0]).toEqual({ id: 1, customer: { name: 'c1', tags: ['a', 'b'] }, _loaded_at: '2026-11-25T08:30:00.000Z', _batch_id: batchId, _source: 'mongodb' });
    expect(await writer.committedBatches('shop_mongo', 'orders')).toEqual([batch]);
    expect(await storage.list('raw/shop_mongo/orders/_committed')).toEqual([`raw/shop_mongo/orders/_committed/${batchId}.json`]);
    expect(await writer.uncommittedParts('shop_mongo', 'orders')).toEqual([]);
  });

  it('quotes CSV fields, keeps nested values as JSON text, adds _source_file and gzips csv.gz', async () => {
    const storage = lake();
    const writer = new LakeWriter(storage);
    async function* rows() {
      yield { id: 1, note: 'a, "quoted"\nline', empty: '', missing: null, attrs: { size: 'M' } };
      yield { id: 2, note: 'plain', extra: true, _source_file: 'in/b.csv' };
    }
    const batch = await writer.writeBatch({ source: 'partner', table: 'stock', rows: rows(), format: 'csv.gz', system: 'sftp', sourceFile: 'in/a.csv', loadedAt, batchId });
    const csv = gunzipSync((await storage.get(batch.parts[0].key))!).toString('utf8');
    expect(csv).toBe(
      'id,note,empty,missing,attrs,_loaded_at,_batch_id,_source,_source_file,extra\n' +
        `1,"a, ""quoted""\nline","",,"{""size"":""M""}",2026-11-25T08:30:00.000Z,${batchId},sftp,in/a.csv,\n` +
        `2,plain,,,,2026-11-25T08:30:00.000Z,${batchId},sftp,in/b.csv,true\n`,
    );
    expect(batch.parts[0].key.endsWith('-00000.csv.gz')).toBe(true);
  });

  it('a batch that fails midway leaves nothing visible: no marker, its parts removed', async () => {
    const storage = lake();
    const writer = new LakeWriter(storage);
    function* rows() {
      for (let id = 1; id <= 5; id++) yield { id };
      throw new Error('source connection lost');
    }
    await expect(writer.writeBatch({ source: 'shop', table: 'orders', rows: rows(), format: 'jsonl', loadedAt, batchId, maxRowsPerFile: 2 })).rejects.toThrow('source connection lost');
    expect(await writer.committedBatches('shop', 'orders')).toEqual([]);
    expect(await storage.list('')).toEqual([]);
  });

  it('a write killed before its commit marker leaves parts that belong to no committed batch', async () => {
    const storage = lake();
    // The marker write fails, as if the process died just before it; the cleanup fails too.
    const dying: LakeStorage = {
      root: storage.root,
      put: (key, body) => (key.includes('/_committed/') ? Promise.reject(new Error('killed')) : storage.put(key, body)),
      get: (key) => storage.get(key),
      list: (prefix) => storage.list(prefix),
      delete: () => Promise.reject(new Error('killed')),
    };
    await expect(new LakeWriter(dying).writeBatch({ source: 'shop', table: 'orders', rows: [{ id: 1 }, { id: 2 }], format: 'jsonl', loadedAt, batchId, maxRowsPerFile: 1 })).rejects.toThrow('killed');
    const writer = new LakeWriter(storage);
    expect(await writer.committedBatches('shop', 'orders')).toEqual([]);
    expect(await writer.uncommittedParts('shop', 'orders')).toHaveLength(2);
    // No temporary file is left where a reader could see it.
    expect(readdirSync(path.join(storage.root, '_tmp'))).toEqual([]);
  });

  it('local storage writes objects whole and lists keys under a prefix', async () => {
    const storage = lake();
    async function* chunks() {
      yield Buffer.from('hello ');
      yield Buffer.from('world');
    }
    await storage.put('raw/a/b/x.txt', chunks());
    expect(await text(storage, 'raw/a/b/x.txt')).toBe('hello world');
    expect(await storage.get('raw/a/b/missing')).toBeUndefined();
    expect(await storage.list('raw/a')).toEqual(['raw/a/b/x.txt']);
    expect(await storage.list('raw/nothing')).toEqual([]);
    await storage.delete('raw/a/b/x.txt');
    expect(await storage.list('raw')).toEqual([]);
    expect(() => storage.pathOf('../outside')).toThrow(/inside the lake/);
  });
});
