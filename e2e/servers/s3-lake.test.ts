import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3LakeStorage } from '../../adapters/lake/s3-lake-storage.js';
import { DuckDBParquetEncoder } from '../../adapters/duckdb/duckdb-parquet-encoder.js';
import { runExtract } from '../../core/extract/run-extract.js';
import type { SourceAdapter } from '../../core/extract/source-adapter.js';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { JsonLinesEncoder } from '../../core/lake/part-encoders.js';
import { freePort } from './server-process.js';

// The S3 lake against s3rver on 127.0.0.1: whole-object writes (single PUT and multipart), listing,
// and the manifest/state logic of the LakeWriter and the extract runner on S3.
let server: S3rver;
let port: number;
let dir: string;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'strata-s3rver-'));
  port = await freePort();
  server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, configureBuckets: [{ name: 'lake', configs: [] }] });
  await server.run();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const storage = (prefix = 'prod', partSize?: number) => new S3LakeStorage(`s3://lake/${prefix}`, { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', ...credentials, partSize });

describe('the S3 lake on s3rver', () => {
  it('puts, gets, lists under the prefix and deletes objects; a missing object is undefined', async () => {
    const s3 = storage('t1');
    expect(s3.root).toBe('s3://lake/t1');
    await s3.put('raw/a/b/x.json', Buffer.from('{"x":1}'));
    await s3.put('raw/a/c/y.json', Buffer.from('y'));
    await storage('other').put('raw/a/b/z.json', Buffer.from('z'));
    expect(await s3.list('raw/a/')).toEqual(['raw/a/b/x.json', 'raw/a/c/y.json']);
    expect(Buffer.from((await s3.get('raw/a/b/x.json'))!).toString()).toBe('{"x":1}');
    expect(await s3.get('raw/a/none.json')).toBeUndefined();
    await s3.delete('raw/a/b/x.json');
    await s3.delete('raw/a/b/never-there.json');
    expect(await s3.list('raw/a/')).toEqual(['raw/a/c/y.json']);
    s3.close();
  });

  it('a large streamed object goes up as a multipart upload and arrives whole; a failed stream leaves no object and aborts its upload', async () => {
    const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials });
    const sent: string[] = [];
    const send = client.send.bind(client);
    client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      sent.push(command.constructor.name);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof client.send;
    const s3 = new S3LakeStorage('s3://lake/t2', { client, partSize: 5 * 1024 * 1024 });
    const chunk = Buffer.alloc(1024 * 1024);
    async function* body(failAt?: number) {
      for (let i = 0; i < 12; i++) {
        if (i === failAt) throw new Error('source broke');
        chunk.fill(i);
        yield Buffer.from(chunk);
      }
    }
    await s3.put('raw/big/part-0.bin', body());
    expect(sent).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    const back = Buffer.from((await s3.get('raw/big/part-0.bin'))!);
    expect(back.length).toBe(12 * 1024 * 1024);
    expect([back[0], back[5 * 1024 * 1024], back.at(-1)]).toEqual([0, 5, 11]);
    sent.length = 0;
    await expect(s3.put('raw/big/part-1.bin', body(11))).rejects.toThrow('source broke');
    // s3rver does not implement AbortMultipartUpload (it answers NotImplemented), so the abort is checked as sent.
    expect(sent).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'AbortMultipartUploadCommand']);
    expect(await s3.list('raw/big/')).toEqual(['raw/big/part-0.bin']);
    s3.close();
  });

  it('the LakeWriter commits loads on S3: parts then manifest, state read back from the newest manifest', async () => {
    const s3 = storage('t3');
    const writer = new LakeWriter(s3);
    const encoder = new DuckDBParquetEncoder();
    try {
      await writer.writeLoad({ source: 'shop_mysql', table: 'orders', encoder, system: 'mysql', loadId: '20261101T000000Z-00000001', rows: [{ id: 1 }, { id: 2 }], maxRowsPerPart: 1, state: () => ({ cursor_value: '2' }) });
      await writer.writeLoad({ source: 'shop_mysql', table: 'orders', encoder, system: 'mysql', loadId: '20261102T000000Z-00000002', rows: [{ id: 3 }], state: () => ({ cursor_value: '3' }) });
      expect(await s3.list('raw/shop_mysql/orders/')).toEqual([
        'raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/_manifest.json',
        'raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/part-0.parquet',
        'raw/shop_mysql/orders/load_id=20261101T000000Z-00000001/part-1.parquet',
        'raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/_manifest.json',
        'raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/part-0.parquet',
      ]);
      expect((await writer.committedLoads('shop_mysql', 'orders')).map((l) => l.rows)).toEqual([2, 1]);
      expect(await writer.latestState('shop_mysql', 'orders')).toEqual({ cursor_value: '3' });
      // Parquet magic bytes: the object is the whole file.
      const part = Buffer.from((await s3.get('raw/shop_mysql/orders/load_id=20261102T000000Z-00000002/part-0.parquet'))!);
      expect([part.subarray(0, 4).toString(), part.subarray(-4).toString()]).toEqual(['PAR1', 'PAR1']);
    } finally {
      await encoder.close();
      s3.close();
    }
  });

  it('the extract runner on S3: state moves on only with committed data, a failed load leaves nothing, a rerun resumes from the last commit', async () => {
    const s3 = storage('t4');
    let failAfter = Infinity;
    const seen: (Record<string, unknown> | undefined)[] = [];
    const adapter: SourceAdapter = {
      type: 'counter',
      validate: () => undefined,
      connect: async () => ({
        close: async () => undefined,
        async *extract(request) {
          seen.push(request.state);
          const from = Number((request.state?.next as number | undefined) ?? 1);
          async function* rows() {
            for (let id = from; id < from + 5; id++) {
              if (id >= failAfter) throw new Error('connection lost');
              yield { id, at: `2026-11-0${id % 9 || 1}` };
            }
          }
          yield { rows: rows(), format: 'jsonl', disposition: 'append', cursorField: 'id', state: (range) => ({ next: Number(range?.max ?? from - 1) + 1 }) };
        },
      }),
    };
    const source = { name: 'feed', type: 'counter', settings: {}, tables: [{ name: 'events', settings: {} }], file: 'models/sources.yml' };
    const run = () => runExtract({ tasks: [{ source, table: source.tables[0], uniqueId: 'source.shop.feed.events' }], adapterFor: async () => adapter, writer: new LakeWriter(s3), encoderFor: () => new JsonLinesEncoder(), threads: 1 });
    expect((await run())[0]).toMatchObject({ status: 'success', rows: 5 });
    failAfter = 8;
    const failed = (await run())[0];
    expect(failed).toMatchObject({ status: 'error', message: 'source feed, table events: connection lost' });
    failAfter = Infinity;
    expect((await run())[0]).toMatchObject({ status: 'success', rows: 5 });
    expect(seen).toEqual([undefined, { next: 6 }, { next: 6 }]);
    const writer = new LakeWriter(s3);
    expect((await writer.committedLoads('feed', 'events')).map((l) => l.rows)).toEqual([5, 5]);
    expect(await writer.uncommittedParts('feed', 'events')).toEqual([]);
    s3.close();
  });
});
