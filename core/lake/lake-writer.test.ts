import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LakeWriter } from './lake-writer.js';
import { LocalLakeStorage } from './local-lake-storage.js';
import type { LakeStorage } from './lake-storage.js';
import { CsvEncoder, JsonLinesEncoder } from './part-encoders.js';

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
const loadId = '20261125T083000Z-0a1b2c3d';
const text = async (storage: LakeStorage, key: string) => Buffer.from((await storage.get(key))!).toString('utf8');
const jsonl = new JsonLinesEncoder();

describe('LakeWriter', () => {
  it('writes parts under the layout with load metadata on every row, then the manifest with schema, cursor range and state', async () => {
    const storage = lake();
    const writer = new LakeWriter(storage);
    const rows = [3, 1, 5, 2, 4].map((id) => ({ id, updated_at: `2026-11-2${id}`, customer: { name: `c${id}`, tags: ['a', 'b'] } }));
    const manifest = await writer.writeLoad({
      source: 'shop_mongo', table: 'orders', rows, encoder: jsonl, system: 'mongodb', loadedAt, loadId, maxRowsPerPart: 2,
      disposition: 'merge', primaryKey: ['id'], cursorField: 'updated_at', state: (cursor) => ({ cursor: cursor?.max }),
    });
    expect(manifest).toMatchObject({ load_id: loadId, rows: 5, loaded_at: '2026-11-25T08:30:00.000Z', system: 'mongodb', disposition: 'merge', primary_key: ['id'], format: 'jsonl' });
    expect(manifest.schema).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'updated_at', type: 'VARCHAR' }, { name: 'customer', type: 'JSON' }]);
    expect(manifest.cursor).toEqual({ field: 'updated_at', min: '2026-11-21', max: '2026-11-25' });
    expect(manifest.state).toEqual({ cursor: '2026-11-25' });
    expect(manifest.parts.map((p) => [p.key, p.rows])).toEqual([
      ['raw/shop_mongo/orders/load_id=20261125T083000Z-0a1b2c3d/part-0.jsonl', 2],
      ['raw/shop_mongo/orders/load_id=20261125T083000Z-0a1b2c3d/part-1.jsonl', 2],
      ['raw/shop_mongo/orders/load_id=20261125T083000Z-0a1b2c3d/part-2.jsonl', 1],
    ]);
    const first = (await text(storage, manifest.parts[0].key)).trim().split('\n').map((l) => JSON.parse(l));
    expect(first[0]).toEqual({ id: 3, updated_at: '2026-11-23', customer: { name: 'c3', tags: ['a', 'b'] }, _strata_load_id: loadId, _strata_loaded_at: '2026-11-25T08:30:00.000Z' });
    expect(await writer.committedLoads('shop_mongo', 'orders')).toEqual([manifest]);
    expect(await writer.latestState('shop_mongo', 'orders')).toEqual({ cursor: '2026-11-25' });
    expect(await writer.uncommittedParts('shop_mongo', 'orders')).toEqual([]);
  });

  it('CSV parts quote fields, keep nested values as JSON text and carry _strata_source_file', async () => {
    const storage = lake();
    const writer = new LakeWriter(storage);
    async function* rows() {
      yield { id: 1, note: 'a, "quoted"\nline', empty: '', missing: null, attrs: { size: 'M' } };
      yield { id: 2, note: 'plain', extra: true, _strata_source_file: 'in/b.csv' };
    }
    const manifest = await writer.writeLoad({ source: 'partner', table: 'stock', rows: rows(), encoder: new CsvEncoder(), system: 'sftp', sourceFile: 'in/a.csv', loadedAt, loadId });
    expect(await text(storage, manifest.parts[0].key)).toBe(
      'id,note,empty,missing,attrs,extra,_strata_load_id,_strata_loaded_at,_strata_source_file\n' +
        `1,"a, ""quoted""\nline","",,"{""size"":""M""}",,${loadId},2026-11-25T08:30:00.000Z,in/a.csv\n` +
        `2,plain,,,,true,${loadId},2026-11-25T08:30:00.000Z,in/b.csv\n`,
    );
    expect(manifest.schema.find((c) => c.name === 'missing')).toEqual({ name: 'missing', type: 'VARCHAR' });
  });

  it('a declared schema keeps its types; new columns are added with inferred types', async () => {
    const writer = new LakeWriter(lake());
    const manifest = await writer.writeLoad({ source: 's', table: 't', rows: [{ amount: '12.30', added: 4 }], schema: [{ name: 'amount', type: 'DECIMAL(12,2)' }], encoder: jsonl, system: 'mysql', loadedAt, loadId });
    expect(manifest.schema).toEqual([{ name: 'amount', type: 'DECIMAL(12,2)' }, { name: 'added', type: 'BIGINT' }]);
  });

  it('a load that fails midway leaves nothing visible: no manifest, its parts removed', async () => {
    const storage = lake();
    const writer = new LakeWriter(storage);
    function* rows() {
      for (let id = 1; id <= 5; id++) yield { id };
      throw new Error('source connection lost');
    }
    await expect(writer.writeLoad({ source: 'shop', table: 'orders', rows: rows(), encoder: jsonl, system: 'mysql', loadedAt, loadId, maxRowsPerPart: 2 })).rejects.toThrow('source connection lost');
    expect(await writer.committedLoads('shop', 'orders')).toEqual([]);
    expect(await storage.list('')).toEqual([]);
  });

  describe('from batches, a part is written while the next one is encoded', () => {
    /** An encoder of text batches that logs each encode; the bytes are the batch's text. */
    const logging = (log: string[]) => ({
      format: 'csv' as const,
      encode: () => Promise.reject(new Error('rows are not used here')),
      encodeText: async (text: Uint8Array) => {
        log.push(`encode ${Buffer.from(text).toString().trim()}`);
        return Buffer.from(text);
      },
    });
    async function* batches(n: number) {
      for (let i = 0; i < n; i++) yield { text: Buffer.from(`part${i}\n`), rows: 1, longestLine: 6 };
    }
    /** Storage whose part puts take 20 ms and log when they start and end; `failAt` rejects that part's put. */
    const slow = (storage: LakeStorage, log: string[], failAt = -1): LakeStorage => ({
      root: storage.root,
      put: async (key, body) => {
        const name = key.split('/').at(-1)!;
        log.push(`put ${name}`);
        if (!name.startsWith('part-')) return storage.put(key, body);
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (name.startsWith(`part-${failAt}.`)) throw new Error(`disk full at ${name}`);
        await storage.put(key, body);
        log.push(`done ${name}`);
      },
      get: (key) => storage.get(key),
      list: (prefix) => storage.list(prefix),
      delete: (key) => storage.delete(key),
    });
    const options = (storage: LakeStorage, log: string[], n: number) => ({
      source: 'shop', table: 'orders', rows: [], batches: batches(n), schema: [{ name: 'v', type: 'VARCHAR' }], encoder: logging(log), system: 'mysql', loadedAt, loadId,
      onProgress: (rows: number) => log.push(`progress ${rows}`),
    });

    it('at most one put at a time, each part whole before the manifest names it', async () => {
      const storage = lake();
      const log: string[] = [];
      const manifest = await new LakeWriter(slow(storage, log)).writeLoad(options(storage, log, 3));
      expect(manifest.parts.map((p) => p.key.split('/').at(-1))).toEqual(['part-0.csv', 'part-1.csv', 'part-2.csv']);
      // Part 1 is encoded while part 0 is written; part 1's put starts only when part 0's is done.
      expect(log).toEqual([
        'encode part0', 'put part-0.csv', 'encode part1', 'done part-0.csv', 'progress 1', 'put part-1.csv', 'encode part2', 'done part-1.csv', 'progress 2',
        'put part-2.csv', 'done part-2.csv', 'progress 3', 'put _manifest.json',
      ]);
      for (const part of manifest.parts) expect(await text(storage, part.key)).toBe(`${part.key.includes('part-0') ? 'part0' : part.key.includes('part-1') ? 'part1' : 'part2'}\n`);
    });

    it("a part's failed put fails the load after the next part was encoded; nothing is left visible", async () => {
      const storage = lake();
      const log: string[] = [];
      await expect(new LakeWriter(slow(storage, log, 1)).writeLoad(options(storage, log, 4))).rejects.toThrow('disk full at part-1.csv');
      expect(log).not.toContain('put _manifest.json');
      expect(log).not.toContain('put part-3.csv');
      expect(await new LakeWriter(storage).committedLoads('shop', 'orders')).toEqual([]);
      expect(await storage.list('raw')).toEqual([]);
    });
  });

  it('a write killed before its manifest leaves parts that belong to no committed load, and the old state stands', async () => {
    const storage = lake();
    await new LakeWriter(storage).writeLoad({ source: 'shop', table: 'orders', rows: [{ id: 0 }], encoder: jsonl, system: 'mysql', loadedAt, loadId, state: () => ({ cursor: 0 }) });
    // The manifest write fails, as if the process died just before it; the cleanup fails too.
    const dying: LakeStorage = {
      root: storage.root,
      put: (key, body) => (key.endsWith('/_manifest.json') ? Promise.reject(new Error('killed')) : storage.put(key, body)),
      get: (key) => storage.get(key),
      list: (prefix) => storage.list(prefix),
      delete: () => Promise.reject(new Error('killed')),
    };
    const second = '20261125T090000Z-0a1b2c3d';
    await expect(new LakeWriter(dying).writeLoad({ source: 'shop', table: 'orders', rows: [{ id: 1 }, { id: 2 }], encoder: jsonl, system: 'mysql', loadId: second, maxRowsPerPart: 1, state: () => ({ cursor: 2 }) })).rejects.toThrow('killed');
    const writer = new LakeWriter(storage);
    expect((await writer.committedLoads('shop', 'orders')).map((l) => l.load_id)).toEqual([loadId]);
    expect(await writer.latestState('shop', 'orders')).toEqual({ cursor: 0 });
    expect(await writer.uncommittedParts('shop', 'orders')).toHaveLength(2);
    // No temporary file is left where a reader could see it.
    expect(readdirSync(path.join(storage.root, '_tmp'))).toEqual([]);
  });

  it('loads written within one second sort in the order written, so the newest state is the last one committed', async () => {
    const writer = new LakeWriter(lake());
    for (let n = 1; n <= 20; n++) await writer.writeLoad({ source: 'partner', table: 'stock', rows: [{ n }], encoder: jsonl, system: 'sftp', loadedAt, state: () => ({ n }) });
    const loads = await writer.committedLoads('partner', 'stock');
    expect(loads.map((l) => l.state.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await writer.latestState('partner', 'stock')).toEqual({ n: 20 });
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
