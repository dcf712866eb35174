import { describe, expect, it } from 'vitest';
import { thousands } from './extract.js';

describe('extract progress counts', () => {
  it('writes row counts with thousands separators, as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 100000, 999999, 5000000, 1234567890, Number.MAX_SAFE_INTEGER]) {
      expect(thousands(n)).toBe(n.toLocaleString('en-US'));
    }
    expect(thousands(5000000)).toBe('5,000,000');
  });
});
