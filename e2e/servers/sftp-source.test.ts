import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SftpSource, type SftpState } from '../../adapters/sources/sftp/sftp-source.js';
import type { SourceConnection, SourceLoaderConfig, SourceTableConfig } from '../../core/extract/source-adapter.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { ExtractLake } from './extract-lake.js';
import { startSshd, type SshdServer } from './sshd-server.js';

let sshd: SshdServer;
let lake: ExtractLake;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

const adapter = new SftpSource();

function sourceConfig(tables: SourceTableConfig[], auth: Record<string, unknown> = { password: sshd.password }): SourceLoaderConfig {
  return { name: 'partner_sftp', type: 'sftp', file: 'models/sources.yml', settings: { host: sshd.host, port: sshd.port, username: sshd.username, folder: sshd.files, ...auth }, tables };
}

/** Writes a remote file (the server serves a local folder) with a given modification time. */
function put(rel: string, body: string | Uint8Array, mtime = new Date('2026-11-01T00:00:00Z')): void {
  const full = path.join(sshd.files, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, body);
  utimesSync(full, mtime, mtime);
}

async function writeParquet(rel: string, select: string, mtime?: Date): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = path.join(sshd.files, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  await connection.run(`copy (${select}) to '${file}' (format parquet)`);
  connection.closeSync();
  instance.closeSync();
  if (mtime) utimesSync(file, mtime, mtime);
}

async function withConnection<T>(config: SourceLoaderConfig, use: (connection: SourceConnection) => Promise<T>): Promise<T> {
  adapter.validate(config);
  const connection = await adapter.connect(config);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

describe('SFTP source against OpenSSH', () => {
  beforeAll(() => {
    lake = new ExtractLake();
  });
  afterAll(async () => {
    await lake.close();
  });

  it('lands CSV, TSV, gzipped CSV, NDJSON and Parquet files matched by the glob, one load per file with _strata_source_file', async () => {
    put('stock/2026-11-01.csv', 'sku,qty,note\nA-1,5,"hello, world"\nA-2,,""\n', new Date('2026-11-01T01:00:00Z'));
    put('stock/2026-11-02.tsv', 'sku\tqty\tnote\nB-1\t7\ttab\n', new Date('2026-11-02T01:00:00Z'));
    put('stock/2026-11-03.csv.gz', gzipSync('sku,qty,note\nC-1,9,zipped\nC-2,10,zipped\n'), new Date('2026-11-03T01:00:00Z'));
    put('stock/ignored.txt', 'not matched');
    put('events/2026/11/e1.ndjson', '{"id":1,"kind":"view","meta":{"page":"/"}}\n\n{"id":2,"kind":"buy","meta":{"page":"/cart"}}\n');
    await writeParquet('prices/p1.parquet', `select * from (values (1, 19.99::decimal(12,2), timestamptz '2026-11-01 10:00:00+00'), (2, 0.10::decimal(12,2), null)) as v(product_id, price, valid_from)`);

    const tables: SourceTableConfig[] = [
      { name: 'stock', settings: { pattern: 'stock/*.{csv,tsv,csv.gz}', column_types: { qty: 'BIGINT' } } },
      { name: 'events', settings: { pattern: 'events/**/*.ndjson' } },
      { name: 'prices', settings: { pattern: 'prices/*.parquet' } },
    ];
    await withConnection(sourceConfig(tables), async (connection) => {
      const stock = await lake.extract(connection, 'sftp', 'partner_sftp', tables[0]);
      expect(stock.error).toBeUndefined();
      expect(stock.manifests.map((m) => m.rows)).toEqual([2, 1, 2]);
      const events = await lake.extract(connection, 'sftp', 'partner_sftp', tables[1]);
      expect(events.error).toBeUndefined();
      const prices = await lake.extract(connection, 'sftp', 'partner_sftp', tables[2]);
      expect(prices.error).toBeUndefined();
      expect(prices.manifests[0].schema).toEqual([
        { name: 'product_id', type: 'INTEGER' },
        { name: 'price', type: 'DECIMAL(12,2)' },
        { name: 'valid_from', type: 'TIMESTAMP WITH TIME ZONE' },
      ]);
    });

    const stock = await lake.query('partner_sftp', 'stock', `select sku, qty, note, replace(_strata_source_file, '${sshd.files}/', '') as file, typeof(qty) as qty_type from t order by sku`);
    expect(stock).toEqual([
      { sku: 'A-1', qty: '5', note: 'hello, world', file: 'stock/2026-11-01.csv', qty_type: 'BIGINT' },
      { sku: 'A-2', qty: null, note: '', file: 'stock/2026-11-01.csv', qty_type: 'BIGINT' },
      { sku: 'B-1', qty: '7', note: 'tab', file: 'stock/2026-11-02.tsv', qty_type: 'BIGINT' },
      { sku: 'C-1', qty: '9', note: 'zipped', file: 'stock/2026-11-03.csv.gz', qty_type: 'BIGINT' },
      { sku: 'C-2', qty: '10', note: 'zipped', file: 'stock/2026-11-03.csv.gz', qty_type: 'BIGINT' },
    ]);
    expect(await lake.query('partner_sftp', 'events', `select id, kind, json_extract_string(meta, '$.page') as page, count(distinct _strata_load_id) over () as loads from t order by id`)).toEqual([
      { id: '1', kind: 'view', page: '/', loads: '1' },
      { id: '2', kind: 'buy', page: '/cart', loads: '1' },
    ]);
    expect(await lake.query('partner_sftp', 'prices', `select product_id, price::varchar as price, valid_from::varchar as valid_from, typeof(price) as t from t order by 1`)).toEqual([
      { product_id: 1, price: '19.99', valid_from: '2026-11-01 10:00:00+00', t: 'DECIMAL(12,2)' },
      { product_id: 2, price: '0.10', valid_from: null, t: 'DECIMAL(12,2)' },
    ]);
    const state = (await lake.writer.latestState('partner_sftp', 'stock')) as unknown as SftpState;
    expect(Object.keys(state.files).map((f) => path.relative(sshd.files, f))).toEqual(['stock/2026-11-01.csv', 'stock/2026-11-02.tsv', 'stock/2026-11-03.csv.gz']);
    expect(state.files[path.join(sshd.files, 'stock/2026-11-01.csv')]).toEqual({ size: 42, modified_at: '2026-11-01T01:00:00.000Z' });
  });

  it('tables of one source extracted at the same time (--threads) each read their own Parquet files whole', async () => {
    const rows = 30_000;
    await writeParquet('wide/a.parquet', `select i as id, 'a' as t, (i / 100)::decimal(10,2) as v from range(${rows}) r(i)`);
    await writeParquet('wide/b.parquet', `select i as id, 'b' as t, (i / 100)::decimal(10,2) as v from range(${rows}) r(i)`);
    const tables: SourceTableConfig[] = [
      { name: 'wide_a', settings: { pattern: 'wide/a.parquet' } },
      { name: 'wide_b', settings: { pattern: 'wide/b.parquet' } },
    ];
    await withConnection(sourceConfig(tables), async (connection) => {
      const outcomes = await Promise.all(tables.map((t) => lake.extract(connection, 'sftp', 'partner_sftp', t)));
      expect(outcomes.map((o) => [o.error, o.manifests.map((m) => m.rows)])).toEqual([[undefined, [rows]], [undefined, [rows]]]);
    });
    for (const [table, t] of [['wide_a', 'a'], ['wide_b', 'b']]) {
      expect(await lake.query('partner_sftp', table, `select count(*)::int as n, count(distinct id)::int as ids, min(t) as lo, max(t) as hi, sum(v)::varchar as total from t`)).toEqual([
        { n: rows, ids: rows, lo: t, hi: t, total: String((rows * (rows - 1)) / 2 / 100) + '.00' },
      ]);
    }
  });

  it('CSV values land exactly on the text path: tabs, quotes, newlines, spaces, unicode, empty text and null', async () => {
    put('tricky/t.csv', 'id,v\n1,"a\tb"\n2,"say ""hi"""\n3,"two\nlines"\n4,  padded  \n5,ünïcödé €\n6,""\n7,\n8,\\N\n');
    const table: SourceTableConfig = { name: 'tricky', settings: { pattern: 'tricky/*.csv', column_types: { id: 'INTEGER' } } };
    await withConnection(sourceConfig([table]), async (connection) => {
      expect((await lake.extract(connection, 'sftp', 'partner_sftp', table)).manifests.map((m) => m.rows)).toEqual([8]);
    });
    expect(await lake.query('partner_sftp', 'tricky', 'select id, v from t order by id')).toEqual([
      { id: 1, v: 'a\tb' }, { id: 2, v: 'say "hi"' }, { id: 3, v: 'two\nlines' }, { id: 4, v: '  padded  ' }, { id: 5, v: 'ünïcödé €' }, { id: 6, v: '' }, { id: 7, v: null }, { id: 8, v: '\\N' },
    ]);
  });

  it('a rerun lands only new and changed files; unchanged files are not loaded again', async () => {
    const table: SourceTableConfig = { name: 'stock', settings: { pattern: 'stock/*.{csv,tsv,csv.gz}', disposition: 'merge', primary_key: 'sku' } };
    await withConnection(sourceConfig([table]), async (connection) => {
      const nothing = await lake.extract(connection, 'sftp', 'partner_sftp', table);
      expect(nothing).toEqual({ manifests: [] });
      put('stock/2026-11-04.csv', 'sku,qty,note\nD-1,1,new\n', new Date('2026-11-04T01:00:00Z'));
      // The same size, a new time: a re-upload counts as a change.
      put('stock/2026-11-02.tsv', 'sku\tqty\tnote\nB-1\t8\ttab\n', new Date('2026-11-04T02:00:00Z'));
      const rerun = await lake.extract(connection, 'sftp', 'partner_sftp', table);
      expect(rerun.error).toBeUndefined();
      expect(rerun.manifests.map((m) => [m.rows, m.disposition])).toEqual([[1, 'merge'], [1, 'merge']]);
      expect(Object.keys(rerun.manifests[0].state.files as object)).toHaveLength(4);
      expect(Object.keys(rerun.manifests[1].state.files as object)).toHaveLength(4);
      const loaded = await lake.query('partner_sftp', 'stock', `select distinct _strata_load_id as id, replace(_strata_source_file, '${sshd.files}/', '') as file from t`);
      // Oldest modification time first: the re-upload is the newest file.
      expect(rerun.manifests.map((m) => loaded.find((l) => l.id === m.load_id)?.file)).toEqual(['stock/2026-11-04.csv', 'stock/2026-11-02.tsv']);
    });
    // Merge by sku: B-1 now has the re-uploaded quantity; every other row exactly once.
    expect(await lake.query('partner_sftp', 'stock', `select sku, qty from (select *, row_number() over (partition by sku order by _strata_load_id desc) as n from t) where n = 1 order by sku`)).toEqual([
      { sku: 'A-1', qty: '5' }, { sku: 'A-2', qty: null }, { sku: 'B-1', qty: '8' }, { sku: 'C-1', qty: '9' }, { sku: 'C-2', qty: '10' }, { sku: 'D-1', qty: '1' },
    ]);
    expect(await lake.query('partner_sftp', 'stock', `select count(*)::int as n from t`)).toEqual([{ n: 7 }]);
  });

  it('a malformed file is one message naming source, table and file; the other files and tables carry on and it is retried', async () => {
    put('orders/o1.csv', 'id,total\n1,10\n', new Date('2026-11-01T00:00:00Z'));
    put('orders/o2.csv', 'id,total\n2,20,extra\n', new Date('2026-11-02T00:00:00Z'));
    put('orders/o3.csv.gz', gzipSync('id,total\n3,30\n').subarray(0, 20), new Date('2026-11-03T00:00:00Z'));
    put('orders/o4.csv', 'id,total\n4,40\n', new Date('2026-11-04T00:00:00Z'));
    put('returns/r1.jsonl', '{"id":1}\n{"id":2,\n', new Date('2026-11-01T00:00:00Z'));
    put('customers/c1.csv', 'id\n1\n');
    const tables: SourceTableConfig[] = [
      { name: 'orders', settings: { pattern: 'orders/*' }, line: 12 },
      { name: 'returns', settings: { pattern: 'returns/*.jsonl' }, line: 20 },
      { name: 'customers', settings: { pattern: 'customers/*.csv' }, line: 25 },
    ];
    await withConnection(sourceConfig(tables), async (connection) => {
      const orders = await lake.extract(connection, 'sftp', 'partner_sftp', tables[0]);
      expect(orders.manifests.map((m) => m.rows)).toEqual([1, 1]);
      const message = (orders.error as Error).message;
      expect(message).toMatch(/^2 files could not be loaded: .*\(the other files were loaded; fix or replace it and the next run loads it\)$/);
      expect(message).toContain(`${sshd.files}/orders/o2.csv: Invalid Record Length`);
      expect(message).toContain(`${sshd.files}/orders/o3.csv.gz: unexpected end of file`);
      const returns = await lake.extract(connection, 'sftp', 'partner_sftp', tables[1]);
      expect((returns.error as Error).message).toMatch(/^a file could not be loaded: .*returns\/r1\.jsonl: line 2 is not valid JSON/);
      expect(returns.manifests).toEqual([]);
      expect((await lake.extract(connection, 'sftp', 'partner_sftp', tables[2])).manifests.map((m) => m.rows)).toEqual([1]);
      // A file modified a moment ago may still be uploading: min_age_seconds leaves it for a later run.
      put('fresh/f1.csv', 'id\n1\n', new Date());
      put('fresh/f0.csv', 'id\n0\n', new Date(Date.now() - 7_200_000));
      expect((await lake.extract(connection, 'sftp', 'partner_sftp', { name: 'fresh', settings: { pattern: 'fresh/*.csv', min_age_seconds: 3600 } })).manifests.map((m) => m.rows)).toEqual([1]);
      expect(await lake.query('partner_sftp', 'fresh', 'select id from t')).toEqual([{ id: '0' }]);
      const missing = await lake.extract(connection, 'sftp', 'partner_sftp', { name: 'missing', settings: { pattern: '*.csv', folder: 'no/such/folder' } });
      expect((missing.error as Error).message).toMatch(new RegExp(`^cannot list the remote folder '${sshd.files}/no/such/folder': .*No such file`));
      // Fixed on the server: the next run loads it, and only it.
      put('orders/o2.csv', 'id,total\n2,20\n', new Date('2026-11-05T00:00:00Z'));
      const rerun = await lake.extract(connection, 'sftp', 'partner_sftp', tables[0]);
      expect(rerun.manifests.map((m) => m.rows)).toEqual([1]);
      expect((rerun.error as Error).message).toContain('o3.csv.gz');
    });
    expect(await lake.query('partner_sftp', 'orders', 'select id, total from t order by id')).toEqual([
      { id: '1', total: '10' }, { id: '2', total: '20' }, { id: '4', total: '40' },
    ]);
  });

  it('a run killed between loads, or during one, then rerun neither loses nor duplicates a file', async () => {
    for (let i = 1; i <= 5; i++) put(`batch/b${i}.csv`, `n,file\n${i}1,b${i}\n${i}2,b${i}\n`, new Date(Date.UTC(2026, 10, i)));
    const table: SourceTableConfig = { name: 'batches', settings: { pattern: 'batch/*.csv' } };
    /** Dies just before a load's manifest is written, too early to clean up its parts. */
    class KilledBeforeManifest extends LocalLakeStorage {
      override async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
        if (key.endsWith('/_manifest.json')) throw new Error('killed');
        return super.put(key, body);
      }
      override async delete(): Promise<void> {
        throw new Error('killed');
      }
    }
    await withConnection(sourceConfig([table]), async (connection) => {
      expect((await lake.extract(connection, 'sftp', 'partner_sftp', table, { stopAfter: 2 })).manifests).toHaveLength(2);
      const killed = await lake.extract(connection, 'sftp', 'partner_sftp', table, { storage: new KilledBeforeManifest(lake.root) });
      expect((killed.error as Error).message).toBe('killed');
      expect(await lake.writer.uncommittedParts('partner_sftp', 'batches')).toHaveLength(1);
      const rerun = await lake.extract(connection, 'sftp', 'partner_sftp', table);
      expect(rerun.error).toBeUndefined();
      expect(rerun.manifests).toHaveLength(3);
    });
    expect(await lake.query('partner_sftp', 'batches', 'select file, count(*)::int as n from t group by file order by file')).toEqual(
      [1, 2, 3, 4, 5].map((i) => ({ file: `b${i}`, n: 2 })),
    );
  });

  it('replace lands every matching file as one load, only when the folder changed; a full refresh starts over', async () => {
    put('rates/eur.csv', 'currency,rate\nEUR,1.1\n');
    put('rates/gbp.csv', 'currency,rate\nGBP,1.3\n');
    const table: SourceTableConfig = { name: 'rates', settings: { pattern: 'rates/*.csv', disposition: 'replace' } };
    const stock: SourceTableConfig = { name: 'stock', settings: { pattern: 'stock/*.{csv,tsv,csv.gz}' } };
    await withConnection(sourceConfig([table, stock]), async (connection) => {
      const first = await lake.extract(connection, 'sftp', 'partner_sftp', table);
      expect(first.manifests.map((m) => [m.rows, m.disposition])).toEqual([[2, 'replace']]);
      expect((await lake.extract(connection, 'sftp', 'partner_sftp', table)).manifests).toEqual([]);
      put('rates/eur.csv', 'currency,rate\nEUR,1.2\n', new Date('2026-11-09T00:00:00Z'));
      expect((await lake.extract(connection, 'sftp', 'partner_sftp', table)).manifests.map((m) => m.rows)).toEqual([2]);
      const refreshed = await lake.extract(connection, 'sftp', 'partner_sftp', stock, { fullRefresh: true });
      expect(refreshed.manifests.map((m) => m.disposition)).toEqual(['replace', 'append', 'append', 'append']);
    });
    expect(await lake.query('partner_sftp', 'rates', `select currency, rate, regexp_extract(_strata_source_file, '[a-z]+\\.csv') as file from t order by 1`)).toEqual([
      { currency: 'EUR', rate: '1.2', file: 'eur.csv' },
      { currency: 'GBP', rate: '1.3', file: 'gbp.csv' },
    ]);
    expect(await lake.query('partner_sftp', 'stock', 'select count(*)::int as n, count(distinct sku)::int as skus from t')).toEqual([{ n: 6, skus: 6 }]);
  });

  it('authenticates with a key file or a key in an environment variable, checks the host key, and names bad credentials', async () => {
    const table: SourceTableConfig = { name: 'customers', settings: { pattern: 'customers/*.csv' } };
    const { readFileSync } = await import('node:fs');
    // The key's text is what `private_key: '{{env "PARTNER_SFTP_KEY"}}'` renders to.
    for (const auth of [{ key_file: sshd.privateKeyPath, host_key_sha256: sshd.hostKeySha256 }, { private_key: readFileSync(sshd.privateKeyPath, 'utf8') }]) {
      const files = await withConnection(sourceConfig([table], auth), async (connection) => (await lake.extract(connection, 'sftp', 'partner_sftp', table, { fullRefresh: true })).manifests.length);
      expect(files).toBe(1);
    }
    expect(sshd.log().match(/Accepted publickey for root/g)).toHaveLength(2);
    await expect(adapter.connect(sourceConfig([table], { password: 'wrong' }))).rejects.toThrow(/^cannot connect to sftp:\/\/root@127\.0\.0\.1:\d+: .*authentication/i);
    await expect(adapter.connect(sourceConfig([table], { password: sshd.password, host_key_sha256: `SHA256:${'A'.repeat(43)}` }))).rejects.toThrow(/cannot connect.*verification failed/i);
    await expect(adapter.connect(sourceConfig([table], { key_file: '/nonexistent/id_ed25519' }))).rejects.toThrow(/cannot read the private key file \/nonexistent\/id_ed25519 \(key_file\): ENOENT/);
  });
});
