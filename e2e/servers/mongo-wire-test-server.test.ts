import { Decimal128, Long, MongoClient, ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTarget, wireTarget, type MongoTarget } from './mongodb-fixtures.js';

// The wire TEST server must answer as MongoDB does, or the source tests prove nothing: the same
// queries run against it and, when MONGODB_URL is set, against a real server.
const docs: Document[] = [
  { _id: 1, n: 1, s: 'a', at: new Date('2026-01-01'), tags: ['x', 'y'], meta: { k: 1 } },
  { _id: 2, n: 2.5, s: 'b', at: new Date('2026-01-02'), tags: ['y'] },
  { _id: 3, n: Long.fromNumber(3), s: 'c', at: null, meta: { k: 2 } },
  { _id: 4, n: Decimal128.fromString('4.5'), s: 'd' },
  { _id: 5, n: '5', s: 'e', at: new Date('2026-01-05') },
];
const ids = (found: Document[]) => found.map((d) => d._id);

function describeQueries(label: string, makeTarget: () => Promise<MongoTarget>) {
  describe(`query semantics of the ${label}`, () => {
    let target: MongoTarget;
    let client: MongoClient;
    const coll = () => client.db(target.database).collection<{ _id: number }>('q');
    beforeAll(async () => {
      target = await makeTarget();
      await target.insert('q', docs);
      client = await new MongoClient(target.url, { serverSelectionTimeoutMS: 3000 }).connect();
    });
    afterAll(async () => {
      await client?.close();
      await target?.close();
    });

    it.each([
      ['$gt compares numbers across int, double, long and decimal only', { n: { $gt: 2 } }, [2, 3, 4]],
      ['$gte and $lt together', { n: { $gte: 2.5, $lt: 4.5 } }, [2, 3]],
      ['$lte on dates skips null and missing', { at: { $lte: new Date('2026-01-02') } }, [1, 2]],
      ['$in with mixed types', { n: { $in: [1, '5'] } }, [1, 5]],
      ['$and of two conditions', { $and: [{ s: { $gt: 'a' } }, { s: { $lt: 'e' } }] }, [2, 3, 4]],
      ['$or with null matching null and missing', { $or: [{ at: null }, { s: 'a' }] }, [1, 3, 4]],
      ['$exists', { meta: { $exists: true } }, [1, 3]],
      ['arrays match by element', { tags: 'y' }, [1, 2]],
      ['dotted paths', { 'meta.k': { $gte: 2 } }, [3]],
      ['$ne and $nin', { s: { $ne: 'a', $nin: ['b', 'c'] } }, [4, 5]],
    ])('%s', async (_name, filter, expected) => {
      expect(ids(await coll().find(filter as Document).sort({ _id: 1 }).toArray())).toEqual(expected);
    });

    it('sorts, skips, limits and projects; batches through getMore and closes cursors', async () => {
      expect(await coll().find({}, { projection: { s: 1 } }).sort({ s: -1 }).skip(1).limit(2).toArray()).toEqual([{ _id: 4, s: 'd' }, { _id: 3, s: 'c' }]);
      expect(await coll().find({ _id: 1 }, { projection: { tags: 0, meta: 0, at: 0 } }).toArray()).toEqual([{ _id: 1, n: 1, s: 'a' }]);
      expect(ids(await coll().find({}, { batchSize: 2 }).sort({ _id: -1 }).toArray())).toEqual([5, 4, 3, 2, 1]);
      const cursor = coll().find({}, { batchSize: 2 });
      await cursor.next();
      await cursor.close();
      if (target.wire) {
        expect(target.wire.received.some((c) => c.name === 'killCursors')).toBe(true);
        expect(target.wire.openCursors()).toBe(0);
      }
    });

    it('aggregates with $match and $sort', async () => {
      expect(ids(await coll().aggregate([{ $match: { s: { $in: ['a', 'c', 'e'] } } }, { $sort: { s: -1 } }]).toArray())).toEqual([5, 3, 1]);
    });

    it('answers ping and buildInfo; the handshake came as OP_QUERY isMaster', async () => {
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      expect(typeof (await client.db('admin').command({ buildInfo: 1 })).version).toBe('string');
      if (target.wire) expect(target.wire.received[0].name.toLowerCase()).toBe('ismaster');
    });

    it('keeps the exact BSON types it was given', async () => {
      const raw = await client.db(target.database).collection<{ _id: number; n?: unknown }>('q').findOne({ _id: 4 }, { promoteValues: false });
      expect(raw?.n).toBeInstanceOf(Decimal128);
      expect(String(raw?.n)).toBe('4.5');
      const id = new ObjectId();
      await target.insert('ids', [{ _id: id }]);
      expect((await client.db(target.database).collection('ids').findOne({ _id: id }))?._id.toHexString()).toBe(id.toHexString());
    });
  });
}

describeQueries('MongoDB wire test server', () => wireTarget());
if (!process.env.MONGODB_URL) console.log('skipped: the query-semantics comparison against a real server runs only when MONGODB_URL is set');
describe.skipIf(!process.env.MONGODB_URL)('against a real server (MONGODB_URL)', () => describeQueries('real MongoDB', () => realTarget(process.env.MONGODB_URL!)));

describe('the MongoDB wire test server', () => {
  it('refuses commands it does not implement with MongoDB\'s CommandNotFound', async () => {
    const target = await wireTarget();
    const client = await new MongoClient(target.url, { serverSelectionTimeoutMS: 3000 }).connect();
    try {
      await expect(client.db('shop').command({ dbStats: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    } finally {
      await client.close();
      await target.close();
    }
  });
});
