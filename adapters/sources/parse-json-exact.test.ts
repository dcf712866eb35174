import { describe, expect, it } from 'vitest';
import { parseJsonExact } from './parse-json-exact.js';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 as their exact digits; everything else as JSON.parse does', () => {
    expect(parseJsonExact('{"id": 9007199254740993, "small": 9007199254740991, "neg": -12345678901234567890, "f": 1.5e300, "s": "12345678901234567890 \\" 99999999999999999"}')).toEqual({
      id: '9007199254740993',
      small: 9007199254740991,
      neg: '-12345678901234567890',
      f: 1.5e300,
      s: '12345678901234567890 " 99999999999999999',
    });
    expect(parseJsonExact('[1, 2, {"a": [18446744073709551615]}]')).toEqual([1, 2, { a: ['18446744073709551615'] }]);
    expect(parseJsonExact('{"x": 1}')).toEqual({ x: 1 });
    expect(() => parseJsonExact('{"id": 12345678901234567890,')).toThrow(SyntaxError);
  });
});
