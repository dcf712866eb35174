import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoSourceAdapter } from '../../adapters/sources/mongodb/mongodb-source.js';
import { UserError } from '../../core/errors/user-error.js';
import { extractResults, extractTable, mongoSource, readLanded, realTarget, TestLake, wireTarget, type MongoTarget } from './mongodb-fixtures.js';
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
    await expect(extractTable(lake, source, 'events')).rejects.toThrow(new RegExp(`^source shop_mongo, table events: lost the connection to MongoDB at 127\\.0\\.0\\.1:${target.wire!.port} while reading: .*closed; nothing of this load was committed`));
    expect(await lake.writer.committedLoads('shop_mongo', 'events')).toEqual([]);
    expect(await lake.storage.list('raw/shop_mongo/events/')).toEqual([]);
    const [load] = await extractTable(lake, source, 'events');
    expect(load.rows).toBe(50);
    expect(await readLanded(lake, 'shop_mongo', 'events', 'select count(distinct _id)::int as ids, count(*)::int as n from {table}')).toEqual([{ ids: 50, n: 50 }]);
  });

  it('an unreachable server fails each of the source\'s tables with one line naming source, table and host, within the selection timeout', async () => {
    const port = await freePort();
    const source = mongoSource({ ...target, url: `mongodb://strata:hunter2@127.0.0.1:${port}/shop` }, { products: {}, reviews: {} }, { server_selection_timeout_ms: 500 });
    const started = Date.now();
    const results = await extractResults(lake, source, ['products', 'reviews']);
    expect(results.map((r) => r.status)).toEqual(['error', 'error']);
    expect(results[0].message).toMatch(new RegExp(`^source shop_mongo, table products: cannot reach MongoDB at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*; check that the server is running and the URL's host and port$`));
    expect(results[1].message).toMatch(/^source shop_mongo, table reviews: cannot reach MongoDB/);
    expect(results.map((r) => r.message).join('\n')).not.toContain('hunter2');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('bad credentials are one line naming the source, table and user, never the password; good ones authenticate (SCRAM-SHA-256)', async () => {
    secured.insert('products', [{ _id: oid(1), name: 'Mug' }]);
    const bad = mongoSource(secured, { products: {} }, { username: 'strata', password: 'wrong-password' });
    await expect(extractTable(lake, bad, 'products')).rejects.toThrow(
      `source shop_mongo, table products: MongoDB at 127.0.0.1:${secured.wire!.port} refused the credentials of user 'strata' (authentication failed); check the user, password and auth_source in the environment`,
    );
    const inUrl = mongoSource({ ...secured, url: secured.wire!.url('shop', { user: 'strata', password: 'wrong-password' }) }, { products: {} });
    const error = (await extractTable(lake, inUrl, 'products').catch((e: Error) => e)) as Error;
    expect(error.message).toContain('refused the credentials of the user in the URL');
    expect(error.message).not.toContain('wrong-password');
    const good = mongoSource(secured, { products: {} }, { username: 'strata', password: 'right-password' });
    const [load] = await extractTable(lake, good, 'products');
    expect(load.rows).toBe(1);
    expect(JSON.stringify(load)).not.toContain('right-password');
  });

  it('a connection string the driver cannot read is found by validate, one line without its password', async () => {
    const source = mongoSource({ ...target, url: 'mongodb://strata:hunter2@127.0.0.1:notaport/shop' }, { products: {} });
    let error: unknown;
    try {
      mongoSourceAdapter.validate(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).format()).toMatch(/^models\/sources\.yml: source 'shop_mongo': the MongoDB connection settings are not valid: .+\n  hint: /);
    expect((error as UserError).format()).not.toContain('hunter2');
  });

  it('one failing table does not stop the others of the source', async () => {
    target.insert('reviews', [{ _id: oid(1), rating: 5 }]);
    const results = await extractResults(lake, mongoSource(target, { missing: { collection: 'nope' }, reviews: {} }), ['missing', 'reviews']);
    expect(results.map((r) => [r.status, r.rows])).toEqual([['error', 0], ['success', 1]]);
    expect(results[0].message).toMatch(/^source shop_mongo, table missing: collection 'nope' does not exist in MongoDB database 'shop' \(it has [a-z, ]*reviews[a-z, ]*\); set 'loader.collection' to its name$/);
  });

  it('a user without read rights is one message naming the table and database', async () => {
    target.insert('orders', [{ _id: oid(1) }]);
    target.wire!.failCommand('find', { code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on shop to execute command { find: "orders" }' });
    await expect(extractTable(lake, mongoSource(target, { orders: {} }), 'orders')).rejects.toThrow(
      `source shop_mongo, table orders: MongoDB at 127.0.0.1:${target.wire!.port} does not allow this user to read database 'shop': not authorized on shop to execute command { find: "orders" }`,
    );
  });

  it('a user who may read the collection but not list the database still extracts it', async () => {
    target.insert('payments', [{ _id: oid(1) }, { _id: oid(2) }]);
    target.wire!.failCommand('listCollections', { code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on shop to execute command { listCollections: 1 }' });
    const [load] = await extractTable(lake, mongoSource(target, { payments: {} }), 'payments');
    expect(load.rows).toBe(2);
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
      await expect(consume()).rejects.toThrow('extract stopped');
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
