import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LakeWriter } from '../lake/lake-writer.js';
import { LocalLakeStorage } from '../lake/local-lake-storage.js';
import { JsonLinesEncoder } from '../lake/part-encoders.js';
import { runExtract, type ExtractTask } from './run-extract.js';
import type { ExtractLoad, ExtractRequest, SourceAdapter, SourceLoaderConfig } from './source-adapter.js';

/**
 * A source over in-memory tables (a table named in `broken` throws after its first row): the
 * runner's behaviour is under test, against a real lake in a temp folder.
 */
class MemorySource implements SourceAdapter {
  readonly type = 'memory';
  connects = 0;
  readonly requests: ExtractRequest[] = [];
  constructor(
    readonly tables: Record<string, Record<string, unknown>[]>,
    readonly options: { broken?: string[]; refuseConnect?: boolean; disposition?: ExtractLoad['disposition'] } = {},
  ) {}
  validate(): void {}
  async connect() {
    this.connects++;
    if (this.options.refuseConnect) throw new Error('cannot connect to memory at nowhere: connection refused');
    const self = this;
    return {
      close: async () => undefined,
      async *extract(request: ExtractRequest): AsyncIterable<ExtractLoad> {
        self.requests.push(request);
        const data = self.tables[request.table.name];
        if (!data) throw new Error(`table ${request.table.name} does not exist`);
        const from = Number(request.state?.next ?? 0);
        async function* rows() {
          for (const [i, row] of data.slice(from).entries()) {
            if (i === 1 && self.options.broken?.includes(request.table.name)) throw new Error('the server went away');
            yield { ...row };
          }
        }
        yield { rows: rows(), format: 'jsonl', disposition: self.options.disposition ?? 'append', state: () => ({ next: data.length }) };
      },
    };
  }
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function setUp(adapter: MemorySource, tableNames: string[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-extract-'));
  dirs.push(dir);
  const source: SourceLoaderConfig = { name: 'shop', type: 'memory', settings: {}, tables: tableNames.map((name) => ({ name, settings: {} })), file: 'models/sources.yml' };
  const tasks: ExtractTask[] = source.tables.map((table) => ({ source, table, uniqueId: `source.p.shop.${table.name}` }));
  const writer = new LakeWriter(new LocalLakeStorage(dir));
  const run = (extra: { fullRefresh?: boolean; failFast?: boolean; threads?: number } = {}) =>
    runExtract({ tasks, adapterFor: async () => adapter, writer, encoderFor: () => new JsonLinesEncoder(), threads: extra.threads ?? 2, ...extra });
  return { writer, run };
}

const rows = (n: number, extra: Record<string, unknown> = {}) => Array.from({ length: n }, (_, i) => ({ id: i + 1, ...extra }));

describe('the extract runner', () => {
  it('a failing table fails alone, with one message naming source and table; the others land; one connection per source', async () => {
    const adapter = new MemorySource({ orders: rows(3), refunds: rows(2), events: rows(4) }, { broken: ['refunds'] });
    const { writer, run } = setUp(adapter, ['orders', 'refunds', 'missing', 'events']);
    const results = await run();
    expect(results.map((r) => [r.task.table.name, r.status, r.rows])).toEqual([
      ['orders', 'success', 3],
      ['refunds', 'error', 0],
      ['missing', 'error', 0],
      ['events', 'success', 4],
    ]);
    expect(results[1].message).toBe('source shop, table refunds: the server went away');
    expect(results[2].message).toBe('source shop, table missing: table missing does not exist');
    expect(adapter.connects).toBe(1);
    // The broken load left nothing behind.
    expect(await writer.committedLoads('shop', 'refunds')).toEqual([]);
    expect(await writer.uncommittedParts('shop', 'refunds')).toEqual([]);
  });

  it('the state of the newest committed load is handed to the next run; --full-refresh hands none and replaces the older loads', async () => {
    const adapter = new MemorySource({ orders: rows(3) });
    const { writer, run } = setUp(adapter, ['orders']);
    await run();
    adapter.tables.orders.push({ id: 4 });
    expect((await run())[0].rows).toBe(1);
    expect(adapter.requests.map((r) => r.state)).toEqual([undefined, { next: 3 }]);
    const full = await run({ fullRefresh: true });
    expect(full[0]).toMatchObject({ status: 'success', rows: 4 });
    expect(adapter.requests[2]).toMatchObject({ state: undefined, fullRefresh: true });
    const loads = await writer.committedLoads('shop', 'orders');
    expect(loads.map((l) => [l.disposition, l.rows])).toEqual([['replace', 4]]);
  });

  it('--fail-fast skips the tables not started after a failure', async () => {
    const adapter = new MemorySource({ a: rows(2), b: rows(2), c: rows(2) }, { broken: ['a'] });
    const { run } = setUp(adapter, ['a', 'b', 'c']);
    const results = await run({ failFast: true, threads: 1 });
    expect(results.map((r) => r.status)).toEqual(['error', 'skipped', 'skipped']);
    expect(results[1].message).toBe('source shop, table b: skipped (an earlier table failed and --fail-fast is set)');
  });

  it('a source that cannot connect fails each of its tables with the reason', async () => {
    const adapter = new MemorySource({ a: rows(1), b: rows(1) }, { refuseConnect: true });
    const { run } = setUp(adapter, ['a', 'b']);
    const results = await run();
    expect(results.map((r) => r.message)).toEqual([
      'source shop, table a: cannot connect to memory at nowhere: connection refused',
      'source shop, table b: cannot connect to memory at nowhere: connection refused',
    ]);
    expect(adapter.connects).toBe(1);
  });

  it('a column whose type changes across families is refused before the load commits, naming the column', async () => {
    const adapter = new MemorySource({ orders: rows(2, { gift: 1 }) });
    const { writer, run } = setUp(adapter, ['orders']);
    await run();
    adapter.tables.orders.push({ id: 3, gift: true }, { id: 4, gift: false });
    const [result] = await run();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^source shop, table orders: column 'gift' changed type from BIGINT to BOOLEAN/);
    expect((await writer.committedLoads('shop', 'orders')).length).toBe(1);
    expect(await writer.uncommittedParts('shop', 'orders')).toEqual([]);
    // A new column and a widened type are fine.
    adapter.tables.orders.splice(2, 2, { id: 3, gift: 2.5, note: 'new' });
    expect((await run())[0]).toMatchObject({ status: 'success', rows: 1 });
  });

  it('parts a killed run left without a manifest are removed before the table lands again', async () => {
    const adapter = new MemorySource({ orders: rows(2) });
    const { writer, run } = setUp(adapter, ['orders']);
    const orphan = 'raw/shop/orders/load_id=20261101T000000Z-0000dead/part-0.jsonl';
    await writer.storage.put(orphan, Buffer.from('{"id": 99}\n'));
    expect(await writer.uncommittedParts('shop', 'orders')).toEqual([orphan]);
    await run();
    expect(await writer.uncommittedParts('shop', 'orders')).toEqual([]);
    expect(await writer.storage.get(orphan)).toBeUndefined();
  });
});
