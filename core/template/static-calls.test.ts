import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { findHelperCalls, findReferencedNames } from './static-calls.js';
import { parseTemplate } from './template-parser.js';

const STATIC = new Set(['ref', 'source', 'config']);
const calls = (source: string) => findHelperCalls(parseTemplate(source, 'models/m.sql'), STATIC);

function callError(source: string): UserError {
  try {
    calls(source);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('findHelperCalls', () => {
  it('finds calls with literal arguments and hashes, in source order', () => {
    const found = calls('{{config materialized="table" tags="a,b" enabled=true limit=3 x=null}}\nselect * from {{ref "a"}} join {{ref "pkg" "b" v=2}}\n{{source "shop" "orders"}}');
    expect(found).toEqual([
      { name: 'config', args: [], hash: { materialized: 'table', tags: 'a,b', enabled: true, limit: 3, x: null }, line: 1 },
      { name: 'ref', args: ['a'], hash: {}, line: 2 },
      { name: 'ref', args: ['pkg', 'b'], hash: { v: 2 }, line: 2 },
      { name: 'source', args: ['shop', 'orders'], hash: {}, line: 3 },
    ]);
  });

  it('finds calls inside both branches of blocks, chains and nested blocks', () => {
    const found = calls('{{#if a}}\n{{ref "x"}}\n{{else if b}}\n{{#each c}}{{ref "y"}}{{/each}}\n{{else}}\n{{ref "z"}}\n{{/if}}\n{{^q}}{{ref "w"}}{{/q}}');
    expect(found.map((c) => [c.args[0], c.line])).toEqual([
      ['x', 2],
      ['y', 4],
      ['z', 6],
      ['w', 8],
    ]);
  });

  it('finds calls in subexpressions, hash values, block helpers and partial arguments', () => {
    const found = calls('{{#if (eq (ref "a") x)}}{{/if}}{{upper k=(source "s" "t")}}{{#ref "b"}}{{/ref}}{{> p (ref "c") k=(ref "d")}}');
    expect(found.map((c) => c.args.join('.'))).toEqual(['a', 's.t', 'b', 'c', 'd']);
  });

  it('finds bare calls without arguments', () => {
    expect(calls('{{config}}')).toEqual([{ name: 'config', args: [], hash: {}, line: 1 }]);
  });

  it('ignores paths, block params and other names that only look like the helpers', () => {
    expect(calls('{{this.ref}}{{a.ref}}{{../ref}}{{@ref}}{{#each xs as |ref|}}{{ref}}{{/each}}{{refs "x"}}')).toEqual([]);
  });

  it('keeps the first of duplicate hash keys', () => {
    expect(calls('{{config a=1 a=2}}')[0].hash).toEqual({ a: 1 });
  });

  it('rejects a variable argument with file and line', () => {
    const error = callError('select\n{{ref model_name}}');
    expect(error.message).toBe('`ref` takes literal values: found a variable `model_name`');
    expect(error.file).toBe('models/m.sql');
    expect(error.line).toBe(2);
    expect(error.hint).toMatch(/without rendering/);
  });

  it('rejects subexpressions and paths in hashes', () => {
    expect(callError('{{ref (concat "a" "b")}}').message).toMatch(/found a subexpression `\(concat ...\)`/);
    expect(callError('\n\n{{config materialized=var.x}}').line).toBe(3);
    expect(callError('{{source "s" undefined}}').message).toMatch(/found undefined/);
  });
});

describe('findReferencedNames', () => {
  it('lists callee names and static partial names', () => {
    const names = findReferencedNames(
      parseTemplate('{{cents_to_dollars "a"}} {{#if (is_incremental)}}{{> order_is_paid x=(fmt y)}}{{/if}} {{> "quoted"}} {{> (dynamic)}} {{a.b}} {{#each xs as |v|}}{{v}}{{/each}} {{bare}}', 'm.sql'),
    );
    expect([...names.helpers].sort()).toEqual(['bare', 'cents_to_dollars', 'dynamic', 'each', 'fmt', 'if', 'is_incremental']);
    expect([...names.partials].sort()).toEqual(['order_is_paid', 'quoted']);
  });
});
