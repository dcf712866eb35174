import { describe, expect, it } from 'vitest';
import { InputCallError, parseInputCall } from './parse-input-call.js';

describe('parseInputCall', () => {
  it('reads refs with either quote, with a package, and sources, into one canonical key', () => {
    expect(parseInputCall("ref('stg_orders')")).toEqual({ kind: 'ref', name: 'stg_orders', key: "ref('stg_orders')" });
    expect(parseInputCall(' ref ( "stg_orders" ) ')).toEqual({ kind: 'ref', name: 'stg_orders', key: "ref('stg_orders')" });
    expect(parseInputCall("ref('shop', 'stg_orders')")).toMatchObject({ kind: 'ref', name: 'stg_orders' });
    expect(parseInputCall('source("shop","orders")')).toEqual({ kind: 'source', source: 'shop', table: 'orders', key: "source('shop', 'orders')" });
    expect(parseInputCall('this')).toEqual({ kind: 'this', key: 'this' });
  });

  const bad: [string, RegExp][] = [
    ['stg_orders', /is not a ref or source call/],
    ['ref(stg_orders)', /must be quoted names/],
    ["ref('')", /must be quoted names/],
    ["ref('a', 'b', 'c')", /ref takes a model name/],
    ["ref('a', v=2)", /versioned refs are not supported/],
    ["source('shop')", /source takes a source name and a table name/],
    ["seed('x')", /is not a ref or source call/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${text}`, () => {
      expect(() => parseInputCall(text)).toThrow(InputCallError);
      expect(() => parseInputCall(text)).toThrow(message);
    });
  }
});
