import { Decimal128, Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { compareCursor, decodeCursor, encodeCursor, fieldValue } from './mongodb-cursor.js';

describe('MongoDB cursor state', () => {
  it('round-trips each cursor type through the state with its BSON type', () => {
    const id = new ObjectId();
    expect(decodeCursor(encodeCursor(id))).toEqual(id);
    expect(decodeCursor(encodeCursor(new Date('2026-11-25T08:30:00.001Z')))).toEqual(new Date('2026-11-25T08:30:00.001Z'));
    expect(String(decodeCursor(encodeCursor(9223372036854775807n)))).toBe('9223372036854775807');
    expect(decodeCursor(encodeCursor(9223372036854775807n))).toBeInstanceOf(Long);
    expect(String(decodeCursor(encodeCursor(Decimal128.fromString('0.10'))))).toBe('0.10');
    expect(decodeCursor(encodeCursor(17))).toBe(17);
    expect(encodeCursor(null)).toBeUndefined();
    expect(encodeCursor({ a: 1 })).toBeUndefined();
    expect(() => decodeCursor({ type: 'weird', value: 'x' })).toThrow(/unreadable MongoDB cursor state/);
  });

  it('compares as MongoDB sorts: numbers exactly across int, long and decimal; dates as instants', () => {
    const c = (v: unknown) => encodeCursor(v)!;
    expect(compareCursor(c(9007199254740993n), c(9007199254740992))).toBeGreaterThan(0);
    expect(compareCursor(c(Decimal128.fromString('10.5')), c(9))).toBeGreaterThan(0);
    expect(compareCursor(c(Decimal128.fromString('1e3')), c(999))).toBeGreaterThan(0);
    expect(compareCursor(c(new Date('2026-01-02')), c(new Date('2026-01-01')))).toBeGreaterThan(0);
    expect(compareCursor(c('b'), c('a'))).toBeGreaterThan(0);
    // A date sorts after any number or string, as in MongoDB.
    expect(compareCursor(c(new Date(0)), c('z'))).toBeGreaterThan(0);
  });

  it('reads dotted fields without looking into arrays', () => {
    expect(fieldValue({ meta: { updatedAt: 5 } }, 'meta.updatedAt')).toBe(5);
    expect(fieldValue({ meta: [{ updatedAt: 5 }] }, 'meta.updatedAt')).toBeUndefined();
  });
});
