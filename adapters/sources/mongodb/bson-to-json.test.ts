import { Binary, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { bsonToJson, documentToJson, idToText } from './bson-to-json.js';

describe('bsonToJson', () => {
  it('maps every BSON type to JSON without losing a digit, a byte or an instant', () => {
    const id = ObjectId.createFromHexString('6650a1b2c3d4e5f6a7b8c9d0');
    expect(
      documentToJson({
        id,
        int: new Int32(7),
        double: new Double(2.5),
        wholeDouble: 3,
        promotedLong: 42n,
        bigLong: 9007199254740993n,
        negLong: Long.fromString('-9223372036854775808'),
        decimal: Decimal128.fromString('12345678901234567890.123456789'),
        date: new Date('2026-11-25T08:30:00.123Z'),
        binary: new Binary(Buffer.from([0, 1, 2, 254, 255])),
        uuid: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'),
        timestamp: new Timestamp({ t: 1700000000, i: 3 }),
        regex: new BSONRegExp('^a.c$', 'im'),
        jsRegex: /x+/g,
        symbol: new BSONSymbol('sym'),
        code: new Code('function () {}'),
        ref: new DBRef('customers', id, 'crm'),
        min: new MinKey(),
        max: new MaxKey(),
        nan: Number.NaN,
        inf: new Double(Number.POSITIVE_INFINITY),
        nothing: null,
        undef: undefined,
        nested: { tags: ['a', new Int32(1), { at: new Date(0) }] },
      }),
    ).toEqual({
      id: '6650a1b2c3d4e5f6a7b8c9d0',
      int: 7,
      double: 2.5,
      wholeDouble: 3,
      promotedLong: 42,
      bigLong: '9007199254740993',
      negLong: '-9223372036854775808',
      decimal: '12345678901234567890.123456789',
      date: '2026-11-25T08:30:00.123Z',
      binary: 'AAEC/v8=',
      uuid: 'D4+tW9nLRp+hZXCGdyiVDg==',
      timestamp: { t: 1700000000, i: 3 },
      regex: '/^a.c$/im',
      jsRegex: '/x+/g',
      symbol: 'sym',
      code: 'function () {}',
      ref: { $ref: 'customers', $id: '6650a1b2c3d4e5f6a7b8c9d0', $db: 'crm' },
      min: { $minKey: 1 },
      max: { $maxKey: 1 },
      nan: 'NaN',
      inf: 'Infinity',
      nothing: null,
      undef: null,
      nested: { tags: ['a', 1, { at: '1970-01-01T00:00:00.000Z' }] },
    });
  });

  it('keeps the largest exact integer a number and the next one text', () => {
    expect(bsonToJson(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(bsonToJson(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBe('9007199254740992');
    expect(bsonToJson(Long.fromNumber(-5))).toBe(-5);
  });

  it('an _id is text: ObjectId hex, strings as they are, other values as JSON text', () => {
    expect(idToText(ObjectId.createFromHexString('0123456789abcdef01234567'))).toBe('0123456789abcdef01234567');
    expect(idToText('sku-1')).toBe('sku-1');
    expect(idToText(new Int32(5))).toBe('5');
    expect(idToText({ shop: 1, n: 2n })).toBe('{"shop":1,"n":2}');
  });
});
