import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoSourceAdapter } from '../../adapters/sources/mongodb/mongodb-source.js';
import { extractTable, mongoSource, readLanded, realTarget, TestLake, wireTarget, type MongoTarget } from './mongodb-fixtures.js';
import { describeMongoSource, oid } from './mongodb-source-suite.js';

describeMongoSource('MongoDB wire test server', () => wireTarget());

const realUrl = process.env.MONGODB_URL;
if (!realUrl) console.log('skipped: the MongoDB source suite against a real server runs only when MONGODB_URL is set (e.g. MONGODB_URL=mongodb://127.0.0.1:27017)');
describe.skipIf(!realUrl)('against a real server', () => {
  describeMongoSource('real MongoDB (MONGODB_URL)', () => realTarget(realUrl!));
});

describe('MongoDB source failures (wire test server)', () => {
  let target: MongoTarget;
  let secured: MongoTarget;
  const lake = new TestLake();
  beforeAll(async () => {
    target = await wireTarget();
    secured = await wireTarget({ users: { strata: 'right-password' } });
  });
  afterAll(async () => {
    await target?.close();
    await secured?.close();
    lake.remove();
  });

  it('a connection lost mid-read fails the table with a message naming it; nothing lands, and the rerun lands every document once', async () => {
    target.insert('events', Array.from({ length: 50 }, (_, i) => ({ _id: oid(i + 1) })));
    const source = mongoSource(target, { events: { cursor_field: '_id', batch_size: 10 } });
    target.wire!.failCommand('getMore', { closeConnection: true });
    await expect(extractTable(lake, source, 'events')).rejects.toThrow(new RegExp(`^table 'shop_mongo\\.events': lost the connection to MongoDB at 127\\.0\\.0\\.1:${target.wire!.port} while reading: .*closed; nothing of this load was committed`));
    expect(await lake.writer.committedLoads('shop_mongo', 'events')).toEqual([]);
    expect(await lake.storage.list('raw/shop_mongo/events/')).toEqual([]);
    const [load] = await extractTable(lake, source, 'events');
    expect(load.rows).toBe(50);
    expect(await readLanded(lake, 'shop_mongo', 'events', 'select count(distinct _id)::int as ids, count(*)::int as n from {table}')).toEqual([{ ids: 50, n: 50 }]);
  });

  it('an unreachable server is one message naming the source, its tables and the host, within the selection timeout', async () => {
    const port = await freePort();
    const source = mongoSource({ ...target, url: `mongodb://strata:hunter2@127.0.0.1:${port}/shop` }, { products: {}, reviews: {} }, { server_selection_timeout_ms: 500 });
    const started = Date.now();
    const error = (await mongoSourceAdapter.connect(source).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(new RegExp(`^source 'shop_mongo' \\(tables products, reviews\\): cannot reach MongoDB at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*; check that the server is running`));
    expect(error.message).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('bad credentials are one message naming the source and user, never the password; good ones authenticate (SCRAM-SHA-256)', async () => {
    secured.insert('products', [{ _id: oid(1), name: 'Mug' }]);
    const bad = mongoSource(secured, { products: {} }, { username: 'strata', password: 'wrong-password' });
    const error = (await mongoSourceAdapter.connect(bad).catch((e: Error) => e)) as Error;
    expect(error.message).toBe(`source 'shop_mongo' (tables products): MongoDB at 127.0.0.1:${secured.wire!.port} refused the credentials of user 'strata' (authentication failed); check the user, password and auth_source in the environment`);
    expect(error.message).not.toContain('wrong-password');
    const inUrl = mongoSource({ ...secured, url: secured.wire!.url('shop', { user: 'strata', password: 'wrong-password' }) }, { products: {} });
    expect(((await mongoSourceAdapter.connect(inUrl).catch((e: Error) => e)) as Error).message).not.toContain('wrong-password');
    const good = mongoSource(secured, { products: {} }, { username: 'strata', password: 'right-password' });
    const [load] = await extractTable(lake, good, 'products');
    expect(load.rows).toBe(1);
    expect(JSON.stringify(load)).not.toContain('right-password');
  });

  it('a user without read rights is one message naming the table and database', async () => {
    target.insert('orders', [{ _id: oid(1) }]);
    target.wire!.failCommand('find', { code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on shop to execute command { find: "orders" }' });
    await expect(extractTable(lake, mongoSource(target, { orders: {} }), 'orders')).rejects.toThrow(
      `table 'shop_mongo.orders': MongoDB at 127.0.0.1:${target.wire!.port} does not allow this user to read database 'shop': not authorized on shop to execute command { find: "orders" }`,
    );
  });

  it('an aborted extract stops reading and closes its server cursor', async () => {
    target.insert('big', Array.from({ length: 100 }, (_, i) => ({ _id: oid(i + 1) })));
    const controller = new AbortController();
    const connection = await mongoSourceAdapter.connect(mongoSource(target, { big: { batch_size: 10 } }));
    try {
      const loads = connection.extract({ table: { name: 'big', settings: { batch_size: 10 } }, state: undefined, fullRefresh: false, signal: controller.signal });
      let read = 0;
      const consume = async () => {
        for await (const load of loads) for await (const _row of load.rows) if (++read === 15) controller.abort(new Error('interrupted'));
      };
      await expect(consume()).rejects.toThrow("table 'shop_mongo.big': extract stopped");
      expect(read).toBe(15);
      expect(target.wire!.openCursors()).toBe(0);
    } finally {
      await connection.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
