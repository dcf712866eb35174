import { describe, expect, it } from 'vitest';
import { formatUtcMicros, secondsBetween, toUtcMicros } from './utc-timestamp.js';

const micros = (iso: string, extra = 0) => BigInt(Date.parse(iso)) * 1000n + BigInt(extra);

describe('utc timestamps', () => {
  it('a timestamp without a zone is read as UTC', () => {
    expect(toUtcMicros('2024-05-01 10:00:00')).toBe(micros('2024-05-01T10:00:00Z'));
    expect(toUtcMicros('2024-05-01T10:00:00')).toBe(micros('2024-05-01T10:00:00Z'));
  });

  it('a zone offset is applied, with or without minutes and colons', () => {
    expect(toUtcMicros('2024-05-01 10:00:00+00')).toBe(micros('2024-05-01T10:00:00Z'));
    expect(toUtcMicros('2024-05-01 15:30:00+05:30')).toBe(micros('2024-05-01T10:00:00Z'));
    expect(toUtcMicros('2024-05-01 15:30:00+0530')).toBe(micros('2024-05-01T10:00:00Z'));
    expect(toUtcMicros('2024-05-01 02:00:00-08')).toBe(micros('2024-05-01T10:00:00Z'));
    expect(toUtcMicros('2024-05-01T10:00:00Z')).toBe(micros('2024-05-01T10:00:00Z'));
  });

  it('fractions are kept to the microsecond', () => {
    expect(toUtcMicros('2024-05-01 10:00:00.5')).toBe(micros('2024-05-01T10:00:00Z', 500_000));
    expect(toUtcMicros('2024-05-01 10:00:00.123456')).toBe(micros('2024-05-01T10:00:00Z', 123_456));
    expect(toUtcMicros('2024-05-01 10:00:00.123456789')).toBe(micros('2024-05-01T10:00:00Z', 123_456));
  });

  it('dates are midnight UTC and Date objects are taken as they are', () => {
    expect(toUtcMicros('2024-05-01')).toBe(micros('2024-05-01T00:00:00Z'));
    expect(toUtcMicros(new Date('2024-05-01T10:00:00.250Z'))).toBe(micros('2024-05-01T10:00:00.250Z'));
  });

  it('anything else is not a timestamp', () => {
    for (const value of ['yesterday', '2024-13-01', '2024-02-30 10:00:00', '2024-05-01 25:00:00', 'infinity', 42, null, undefined, new Date('x')]) {
      expect(toUtcMicros(value), String(value)).toBeUndefined();
    }
  });

  it('formats ISO 8601 in UTC to the microsecond, before 1970 too', () => {
    expect(formatUtcMicros(micros('2024-05-01T10:00:00Z', 123_456))).toBe('2024-05-01T10:00:00.123456Z');
    expect(formatUtcMicros(micros('1969-12-31T23:59:59Z', 999_999))).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatUtcMicros(toUtcMicros('0001-01-01 00:00:00')!)).toBe('0001-01-01T00:00:00.000000Z');
  });

  it('measures seconds between two instants', () => {
    expect(secondsBetween(toUtcMicros('2024-05-01 08:00:00')!, toUtcMicros('2024-05-01 10:00:00.5+00')!)).toBe(7200.5);
  });
});
