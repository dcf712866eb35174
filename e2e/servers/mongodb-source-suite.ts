/**
 * The MongoDB source's behaviour, as one suite run against each target: the wire-protocol TEST
 * server always, a real server when MONGODB_URL is set. The source is driven through the source
 * contract and the real LakeWriter; results are read back with DuckDB as the warehouse reads them.
 */

import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp, type Document } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childRowId } from '../../adapters/sources/mongodb/child-tables.js';
import { extractTable, extractTables, KilledAtManifest, landedLines, landedRelation, mongoSource, queryDuckDB, readLanded, TestLake, type MongoTarget } from './mongodb-fixtures.js';

export const oid = (n: number) => ObjectId.createFromHexString(`6650a1b2c3d4e5f6a7b8${n.toString(16).padStart(4, '0')}`);
export const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute));

function product(n: number, minute: number, price = 10 + n): Document {
  return {
    _id: oid(n),
    name: `Product ${n}`,
    price: Decimal128.fromString(`${price}.90`),
    updatedAt: at(minute),
    variants: [
      { sku: `P${n}-S`, size: 'S', options: [{ name: 'fit', value: 'slim' }] },
      { sku: `P${n}-M`, size: 'M', options: [] },
    ],
  };
}

export function describeMongoSource(label: string, makeTarget: () => Promise<MongoTarget>): void {
  describe(`MongoDB source against the ${label}`, () => {
    let target: MongoTarget;
    const lakes: TestLake[] = [];
    const newLake = () => {
      const lake = new TestLake();
      lakes.push(lake);
      return lake;
    };
    let collectionCount = 0;
    // Each test seeds its own collection, so the tests share one server but no data.
    const collection = () => `c${++collectionCount}_${Date.now().toString(36)}`;
    beforeAll(async () => {
      target = await makeTarget();
    });
    afterAll(async () => {
      await target?.close();
    });
    afterEach(() => {
      while (lakes.length) lakes.pop()!.remove();
    });

    it('a full extract lands every document once, whole, with _id as ObjectId hex, in batches; a rerun replaces it', async () => {
      const name = collection();
      const ids = Array.from({ length: 250 }, (_, i) => oid(i + 1));
      await target.insert(name, ids.map((_id, i) => ({ _id, n: i, tags: ['a', 'b'], nested: { deep: { value: i } } })));
      const lake = newLake();
      const source = mongoSource(target, { products: { collection: name, batch_size: 40 } });
      const [manifest] = await extractTable(lake, source, 'products');
      expect(manifest).toMatchObject({ rows: 250, system: 'mongodb', format: 'jsonl', disposition: 'replace', primary_key: ['_id'] });
      const landed = await readLanded(lake, 'shop_mongo', 'products', 'select _id, n, nested.deep.value::int as deep, tags, _strata_load_id from {table} order by n');
      expect(landed.map((r) => r._id)).toEqual(ids.map((id) => id.toHexString()));
      expect(landed.every((r, i) => r.deep === i && r._strata_load_id === manifest.load_id)).toBe(true);
      expect(landed[0].tags).toEqual(['a', 'b']);
      if (target.wire) {
        const getMores = target.wire.received.filter((c) => c.name === 'getMore' && c.command.collection === name);
        expect(getMores.length).toBe(6);
        expect(getMores.every((c) => Number(c.command.batchSize) === 40)).toBe(true);
        expect(target.wire.openCursors()).toBe(0);
      }
      await target.insert(name, [{ _id: oid(9999), n: 250 }]);
      await extractTable(lake, source, 'products');
      expect(await readLanded(lake, 'shop_mongo', 'products', 'select count(*)::int as n, count(distinct _id)::int as ids from {table}')).toEqual([{ n: 251, ids: 251 }]);
    });

    it('BSON types land as JSON exactly: Decimal128 and big Longs as text, dates as ISO, binary as base64', async () => {
      const name = collection();
      const id = oid(1);
      await target.insert(name, [
        {
          _id: id,
          int: new Int32(7),
          double: new Double(2.5),
          long: Long.fromString('42'),
          bigLong: Long.fromString('9223372036854775807'),
          decimal: Decimal128.fromString('12345678901234567890.123456789'),
          date: new Date('2026-11-25T08:30:00.123Z'),
          binary: new Binary(Buffer.from([0, 1, 2, 254, 255])),
          timestamp: new Timestamp({ t: 1700000000, i: 3 }),
          ref: oid(2),
          flag: true,
          nothing: null,
          list: [new Int32(1), 'two', { three: Decimal128.fromString('3.000') }],
        },
      ]);
      const lake = newLake();
      const [manifest] = await extractTable(lake, mongoSource(target, { types: { collection: name } }), 'types');
      const [line] = await landedLines(lake, manifest);
      expect(line).toEqual({
        _id: id.toHexString(),
        int: 7,
        double: 2.5,
        long: 42,
        bigLong: '9223372036854775807',
        decimal: '12345678901234567890.123456789',
        date: '2026-11-25T08:30:00.123Z',
        binary: 'AAEC/v8=',
        timestamp: { t: 1700000000, i: 3 },
        ref: oid(2).toHexString(),
        flag: true,
        nothing: null,
        list: [1, 'two', { three: '3.000' }],
        _strata_load_id: manifest.load_id,
        _strata_loaded_at: manifest.loaded_at,
      });
      // What the warehouse reads: exact text for decimals and big integers, an instant for the date.
      const [row] = await readLanded(lake, 'shop_mongo', 'types', `select decimal::decimal(38,9)::varchar as decimal, bigLong::hugeint::varchar as big, date::timestamptz = '2026-11-25T08:30:00.123Z'::timestamptz as same_instant, hex(from_base64("binary")) as bytes from {table}`);
      expect(row).toEqual({ decimal: '12345678901234567890.123456789', big: '9223372036854775807', same_instant: true, bytes: '000102FEFF' });
    });

    it('format parquet lands the same documents, nested fields as JSON columns', async () => {
      const name = collection();
      await target.insert(name, [{ _id: oid(1), price: Decimal128.fromString('1.10'), variants: [{ sku: 'a' }], n: 5 }, { _id: oid(2), variants: [], n: 2.5, flag: true }]);
      const lake = newLake();
      const [load] = await extractTable(lake, mongoSource(target, { p: { collection: name, format: 'parquet' } }), 'p');
      expect(load.format).toBe('parquet');
      expect(load.schema).toEqual([{ name: '_id', type: 'VARCHAR' }, { name: 'price', type: 'VARCHAR' }, { name: 'variants', type: 'JSON' }, { name: 'n', type: 'DOUBLE' }, { name: 'flag', type: 'BOOLEAN' }]);
      const relation = landedRelation(lake, 'shop_mongo', 'p', undefined, undefined, 'parquet');
      expect(await queryDuckDB(`select _id, price, variants->>'$[0].sku' as sku, n, flag from ${relation} order by _id`)).toEqual([
        { _id: oid(1).toHexString(), price: '1.10', sku: 'a', n: 5, flag: null },
        { _id: oid(2).toHexString(), price: null, sku: null, n: 2.5, flag: true },
      ]);
    });

    it('incremental by updatedAt with merge lands only new and changed documents, each once, and keeps the max cursor as state', async () => {
      const name = collection();
      await target.insert(name, [1, 2, 3, 4, 5].map((n) => product(n, n)));
      const lake = newLake();
      const source = mongoSource(target, { products: { collection: name, cursor_field: 'updatedAt', primary_key: '_id' } });
      const [first] = await extractTable(lake, source, 'products');
      expect(first).toMatchObject({ rows: 5, disposition: 'merge', state: { cursor_field: 'updatedAt', cursor: { type: 'date', value: at(5).toISOString() } } });
      expect(first.cursor).toEqual({ field: 'updatedAt', min: at(1).toISOString(), max: at(5).toISOString() });

      await target.replace(name, product(2, 6, 99));
      await target.insert(name, [product(6, 7)]);
      // The changed and the new document, and the one at the state's cursor, read again (merge reads >= the state).
      const [second] = await extractTable(lake, source, 'products');
      expect((await landedLines(lake, second)).map((r) => r._id).sort()).toEqual([oid(2), oid(5), oid(6)].map((id) => id.toHexString()));
      expect(second.state).toEqual({ cursor_field: 'updatedAt', cursor: { type: 'date', value: at(7).toISOString() } });

      const [third] = await extractTable(lake, source, 'products');
      expect((await landedLines(lake, third)).map((r) => r._id)).toEqual([oid(6).toHexString()]);
      expect(third.state).toEqual(second.state);

      const merged = await readLanded(lake, 'shop_mongo', 'products', 'select _id, price from {table} order by _id', ['_id']);
      expect(merged).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ _id: oid(n).toHexString(), price: n === 2 ? '99.90' : `${10 + n}.90` })));
      // Every load once: five, three, one.
      expect(await readLanded(lake, 'shop_mongo', 'products', 'select count(*)::int as n from {table}')).toEqual([{ n: 9 }]);

      // A full refresh reads everything again and replaces what was landed.
      const [full] = await extractTable(lake, source, 'products', { fullRefresh: true });
      expect(full).toMatchObject({ rows: 6, disposition: 'replace' });
      expect(await readLanded(lake, 'shop_mongo', 'products', 'select count(*)::int as n from {table}')).toEqual([{ n: 6 }]);
    });

    it('a first merge run lands documents whose cursor is missing or of another type; the state is the largest date', async () => {
      const name = collection();
      await target.insert(name, [{ _id: oid(1), updatedAt: at(1) }, { _id: oid(2), updatedAt: '2026-11-01 dirty' }, { _id: oid(3) }, { _id: oid(4), updatedAt: at(4) }]);
      const lake = newLake();
      const [first] = await extractTable(lake, mongoSource(target, { t: { collection: name, cursor_field: 'updatedAt', primary_key: '_id' } }), 't');
      expect(first.rows).toBe(4);
      expect(first.state).toEqual({ cursor_field: 'updatedAt', cursor: { type: 'date', value: at(4).toISOString() } });
    });

    it('a nested cursor field works like a top-level one and is also landed as a column of its dotted name', async () => {
      const name = collection();
      await target.insert(name, [1, 2].map((n) => ({ _id: oid(n), meta: { updatedAt: at(n) } })));
      const lake = newLake();
      const source = mongoSource(target, { orders: { collection: name, cursor_field: 'meta.updatedAt', primary_key: '_id' } });
      const [first] = await extractTable(lake, source, 'orders');
      expect(first.cursor).toEqual({ field: 'meta.updatedAt', min: at(1).toISOString(), max: at(2).toISOString() });
      await target.replace(name, { _id: oid(1), meta: { updatedAt: at(9) }, note: 'changed' });
      const [second] = await extractTable(lake, source, 'orders');
      expect((await landedLines(lake, second)).map((r) => [r._id, r['meta.updatedAt'], r.note ?? null]).sort()).toEqual([
        [oid(1).toHexString(), at(9).toISOString(), 'changed'],
        [oid(2).toHexString(), at(2).toISOString(), null],
      ]);
      expect(await readLanded(lake, 'shop_mongo', 'orders', 'select _id, note from {table} order by _id', ['_id'])).toEqual([
        { _id: oid(1).toHexString(), note: 'changed' },
        { _id: oid(2).toHexString(), note: null },
      ]);
    });

    it('a lookback makes a merge run read again what changed shortly before the state, for dates and ObjectIds', async () => {
      const name = collection();
      const created = (minute: number) => ObjectId.createFromTime(Math.floor(at(minute).getTime() / 1000));
      await target.insert(name, [1, 2, 3].map((n) => ({ _id: created(n * 10), updatedAt: at(n * 10) })));
      const lake = newLake();
      const byDate = mongoSource(target, { t: { collection: name, cursor_field: 'updatedAt', primary_key: '_id', lookback: '15 minutes' } });
      await extractTable(lake, byDate, 't');
      const [again] = await extractTable(lake, byDate, 't');
      // From minute 30 - 15: the documents of minutes 20 and 30.
      expect(again.rows).toBe(2);
      const other = newLake();
      const byId = mongoSource(target, { t: { collection: name, cursor_field: '_id', primary_key: '_id', lookback: 900 } });
      await extractTable(other, byId, 't');
      const [idAgain] = await extractTable(other, byId, 't');
      // ObjectIds created from minute 30 - 15 on: those of minutes 20 and 30.
      expect((await landedLines(other, idAgain)).map((r) => r._id).sort()).toEqual([created(20), created(30)].map((id) => id.toHexString()));
    });

    it('incremental by _id appends only documents inserted since the last run', async () => {
      const name = collection();
      await target.insert(name, [1, 2, 3].map((n) => ({ _id: oid(n), kind: 'view' })));
      const lake = newLake();
      const source = mongoSource(target, { events: { collection: name, cursor_field: '_id' } });
      const [first] = await extractTable(lake, source, 'events');
      expect(first).toMatchObject({ rows: 3, disposition: 'append', state: { cursor_field: '_id', cursor: { type: 'objectId', value: oid(3).toHexString() } } });
      await target.insert(name, [4, 5].map((n) => ({ _id: oid(n), kind: 'click' })));
      const [second] = await extractTable(lake, source, 'events');
      expect((await landedLines(lake, second)).map((r) => r._id)).toEqual([oid(4).toHexString(), oid(5).toHexString()].sort());
      expect(await readLanded(lake, 'shop_mongo', 'events', 'select count(*)::int as n, count(distinct _id)::int as ids from {table}')).toEqual([{ n: 5, ids: 5 }]);
    });

    it('arrays unnest into child tables with stable parent keys; a re-extract gives the same keys', async () => {
      const name = collection();
      await target.insert(name, [product(1, 1), { ...product(2, 2), variants: [] }, { _id: oid(3), name: 'No variants', updatedAt: at(3) }]);
      const lake = newLake();
      const source = mongoSource(target, {
        products: { collection: name, cursor_field: 'updatedAt', primary_key: '_id' },
        products__variants: { collection: name, unnest: 'variants', cursor_field: 'updatedAt', primary_key: '_strata_id' },
        products__variants__options: { collection: name, unnest: 'variants.options', cursor_field: 'updatedAt', primary_key: '_strata_id' },
      });
      const tables = ['products', 'products__variants', 'products__variants__options'];
      // The lake folder of a YAML table is its lake name: `products__variants` lands in raw/shop_mongo/products_variants.
      const loads = await extractTables(lake, source, tables);
      // Under merge, products 2 and 3 (no variants) land one marker row each in the child tables, as does
      // product 1's variant M (no options): the warehouse reads them as "this document has no rows".
      expect(loads.map(([m]) => [m.table, m.rows, m.disposition, m.group_key])).toEqual([
        ['products', 3, 'merge', undefined],
        ['products_variants', 4, 'merge', ['_strata_root_id']],
        ['products_variants_options', 3, 'merge', ['_strata_root_id']],
      ]);
      const children = ['_strata_id'];
      const group = ['_strata_root_id'];
      // Each child table keeps its own state: the cursor of the documents it read.
      expect(loads[1][0].state).toEqual({ cursor_field: 'updatedAt', cursor: { type: 'date', value: at(3).toISOString() } });
      const p1 = oid(1).toHexString();
      const variantKeys = [childRowId(p1, 'variants', 0), childRowId(p1, 'variants', 1)];
      expect(await readLanded(lake, 'shop_mongo', 'products_variants', 'select sku, size, _strata_parent_id, _strata_list_idx::int as idx, _strata_root_id, _strata_id from {table} order by sku desc', children, group)).toEqual([
        { sku: 'P1-S', size: 'S', _strata_parent_id: p1, idx: 0, _strata_root_id: p1, _strata_id: variantKeys[0] },
        { sku: 'P1-M', size: 'M', _strata_parent_id: p1, idx: 1, _strata_root_id: p1, _strata_id: variantKeys[1] },
      ]);
      // The option's parent is the variant row it came from; documents stay whole in the parent table.
      const options = () => readLanded(lake, 'shop_mongo', 'products_variants_options', 'select _strata_id, _strata_parent_id, _strata_root_id, name, value from {table}', children, group);
      const before = await options();
      expect(before).toEqual([{ _strata_id: childRowId(variantKeys[0], 'variants.options', 0), _strata_parent_id: variantKeys[0], _strata_root_id: p1, name: 'fit', value: 'slim' }]);
      expect(await readLanded(lake, 'shop_mongo', 'products', "select len(variants)::int as n from {table} where _id = '" + p1 + "'")).toEqual([{ n: 2 }]);
      await extractTables(lake, source, tables, { fullRefresh: true });
      expect(await options()).toEqual(before);
    });

    it('a changed document re-lands its child rows; merge keeps each child row once with its newest values', async () => {
      const name = collection();
      await target.insert(name, [1, 2].map((n) => product(n, n)));
      const lake = newLake();
      const source = mongoSource(target, { products__variants: { collection: name, unnest: 'variants', cursor_field: 'updatedAt', primary_key: '_strata_id' } });
      await extractTable(lake, source, 'products__variants');
      await target.replace(name, { ...product(1, 5), variants: [{ sku: 'P1-S', size: 'small' }, { sku: 'P1-M', size: 'medium' }] });
      const [second] = await extractTable(lake, source, 'products__variants');
      // Product 1 changed; product 2 is at the state's cursor, read again.
      expect(second.rows).toBe(4);
      expect(await readLanded(lake, 'shop_mongo', 'products_variants', 'select sku, size from {table} order by sku', ['_strata_id'])).toEqual([
        { sku: 'P1-M', size: 'medium' },
        { sku: 'P1-S', size: 'small' },
        { sku: 'P2-M', size: 'M' },
        { sku: 'P2-S', size: 'S' },
      ]);
    });

    it('when an array shrinks or empties, merge drops the removed elements: a document read again replaces its child rows', async () => {
      const name = collection();
      await target.insert(name, [product(1, 1), product(2, 1), product(3, 1)]);
      const lake = newLake();
      const source = mongoSource(target, {
        products__variants: { collection: name, unnest: 'variants', cursor_field: 'updatedAt', primary_key: '_strata_id' },
      });
      await extractTable(lake, source, 'products__variants');
      await target.replace(name, { ...product(1, 2), variants: [{ sku: 'P1-S', size: 'small' }] });
      await target.replace(name, { ...product(2, 2), variants: [] });
      const [second] = await extractTable(lake, source, 'products__variants');
      // Product 2's emptied array lands one marker row; the load records that rows are replaced per document.
      expect(second.group_key).toEqual(['_strata_root_id']);
      const variants = landedRelation(lake, 'shop_mongo', 'products_variants', ['_strata_id'], 'updatedAt', 'jsonl', second.group_key);
      expect(await queryDuckDB(`select sku, size from ${variants} order by sku`)).toEqual([
        { sku: 'P1-S', size: 'small' },
        { sku: 'P3-M', size: 'M' },
        { sku: 'P3-S', size: 'S' },
      ]);
      // Without the group key, the newest row per key alone would keep P1-M and both of P2's variants.
      const byKey = landedRelation(lake, 'shop_mongo', 'products_variants', ['_strata_id'], 'updatedAt');
      expect((await queryDuckDB(`select sku from ${byKey} where sku is not null order by sku`)).map((r) => r.sku)).toEqual(['P1-M', 'P1-S', 'P2-M', 'P2-S', 'P3-M', 'P3-S']);
    });

    it('a child table killed before its commit is rerun with every row exactly once; the parent table is not affected', async () => {
      const name = collection();
      await target.insert(name, [1, 2, 3].map((n) => product(n, n)));
      const lake = newLake();
      const source = mongoSource(target, {
        products: { collection: name, cursor_field: 'updatedAt', primary_key: '_id' },
        products__variants: { collection: name, unnest: 'variants', cursor_field: 'updatedAt', primary_key: '_strata_id' },
      });
      const tables = ['products', 'products__variants'];
      await extractTables(lake, source, tables);
      await target.replace(name, product(1, 10, 50));
      await target.insert(name, [product(4, 11)]);
      await expect(extractTables(lake, source, tables, { storage: new KilledAtManifest(lake.root, 'products_variants') })).rejects.toThrow('source shop_mongo, table products__variants: killed');
      // The parent's load committed; the child's did not, so its state still says minute 3.
      expect(await lake.writer.latestState('shop_mongo', 'products')).toMatchObject({ cursor: { value: at(11).toISOString() } });
      expect(await lake.writer.latestState('shop_mongo', 'products_variants')).toMatchObject({ cursor: { value: at(3).toISOString() } });
      expect(await lake.writer.uncommittedParts('shop_mongo', 'products_variants')).toHaveLength(1);
      const [parent, child] = await extractTables(lake, source, tables);
      // Products from the committed cursor (minute 11: product 4 again); variants from minute 3: products 3, 1 and 4.
      expect([parent[0].rows, child[0].rows]).toEqual([1, 6]);
      expect(await readLanded(lake, 'shop_mongo', 'products', 'select _id, price from {table} order by _id', ['_id'])).toEqual([
        { _id: oid(1).toHexString(), price: '50.90' },
        { _id: oid(2).toHexString(), price: '12.90' },
        { _id: oid(3).toHexString(), price: '13.90' },
        { _id: oid(4).toHexString(), price: '14.90' },
      ]);
      expect(await readLanded(lake, 'shop_mongo', 'products_variants', 'select count(*)::int as n, count(distinct _strata_id)::int as ids from {table}', ['_strata_id'])).toEqual([{ n: 8, ids: 8 }]);
    });

    it('a merge run killed before its commit is rerun with every changed document exactly once', async () => {
      const name = collection();
      await target.insert(name, [1, 2, 3].map((n) => product(n, n)));
      const lake = newLake();
      const source = mongoSource(target, { products: { collection: name, cursor_field: 'updatedAt', primary_key: '_id' } });
      await extractTable(lake, source, 'products');
      await target.replace(name, product(2, 10, 70));
      await expect(extractTable(lake, source, 'products', { storage: new KilledAtManifest(lake.root, 'products') })).rejects.toThrow('killed');
      const [rerun] = await extractTable(lake, source, 'products');
      expect(rerun.rows).toBe(2);
      expect(await readLanded(lake, 'shop_mongo', 'products', 'select _id, price from {table} order by _id', ['_id'])).toEqual([
        { _id: oid(1).toHexString(), price: '11.90' },
        { _id: oid(2).toHexString(), price: '70.90' },
        { _id: oid(3).toHexString(), price: '13.90' },
      ]);
      expect(await readLanded(lake, 'shop_mongo', 'products', 'select count(*)::int as n from {table}')).toEqual([{ n: 5 }]);
    });

    it('an append run killed before its commit is rerun without losing or duplicating a document', async () => {
      const name = collection();
      await target.insert(name, [1, 2].map((n) => ({ _id: oid(n) })));
      const lake = newLake();
      const source = mongoSource(target, { events: { collection: name, cursor_field: '_id', disposition: 'append' } });
      await extractTable(lake, source, 'events');
      await target.insert(name, [3, 4, 5].map((n) => ({ _id: oid(n) })));
      await expect(extractTable(lake, source, 'events', { storage: new KilledAtManifest(lake.root, 'events') })).rejects.toThrow('killed');
      await extractTable(lake, source, 'events');
      const rows = await readLanded(lake, 'shop_mongo', 'events', 'select _id from {table} order by _id');
      expect(rows.map((r) => r._id)).toEqual([1, 2, 3, 4, 5].map((n) => oid(n).toHexString()));
    });

    it('a missing collection fails with a message naming the source, table and database, with the likely name', async () => {
      const name = collection();
      await target.insert(name, [{ _id: oid(1) }]);
      const lake = newLake();
      const typo = name.replace(/^c/, 'x');
      const source = mongoSource(target, { products: { collection: typo } });
      await expect(extractTable(lake, source, 'products')).rejects.toThrow(
        `source shop_mongo, table products: collection '${typo}' does not exist in MongoDB database '${target.database}' (did you mean '${name}'?); set 'loader.collection' to its name`,
      );
      expect(await lake.writer.committedLoads('shop_mongo', 'products')).toEqual([]);
    });
  });
}
