import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import type { BlockStatement, MustacheStatement, PartialStatement, Statement, SubExpression } from './template-ast.js';
import { parseTemplate } from './template-parser.js';

const parse = (source: string) => parseTemplate(source, 'models/m.sql');

function parseError(source: string): UserError {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error in ${JSON.stringify(source)}`);
}

function only<T extends Statement>(source: string): T {
  const { body } = parse(source);
  expect(body).toHaveLength(1);
  return body[0] as T;
}

describe('parseTemplate', () => {
  it('keeps file and source, and splits content from tags', () => {
    const template = parse('select {{a}} from t');
    expect(template.file).toBe('models/m.sql');
    expect(template.source).toBe('select {{a}} from t');
    expect(template.body.map((n) => n.type)).toEqual(['content', 'mustache', 'content']);
  });

  it('gives every node its line', () => {
    const { body } = parse('a\n{{x}}\n{{#if y}}\n  {{z (sub 1)}}\n{{/if}}\n{{> p}}\n');
    const lines = body.filter((n) => n.type !== 'content').map((n) => [n.type, n.line]);
    expect(lines).toEqual([
      ['mustache', 2],
      ['block', 3],
      ['partial', 6],
    ]);
    const block = body.find((n) => n.type === 'block') as BlockStatement;
    const inner = block.program!.body.find((n) => n.type === 'mustache') as MustacheStatement;
    expect(inner.line).toBe(4);
    expect(inner.params[0].line).toBe(4);
    expect((inner.params[0] as SubExpression).params[0]).toEqual({ type: 'number', value: 1, line: 4 });
  });

  it('counts lines inside multi-line tags and strings', () => {
    const { body } = parse('{{foo\n  "a\nb"\n  c=1}}\n{{bar}}');
    const [foo, , bar] = body as MustacheStatement[];
    expect(foo.hash!.pairs[0].line).toBe(4);
    expect([foo.line, foo.endLine, bar.line]).toEqual([1, 4, 5]);
  });

  it('records where calls start and end (0-based columns)', () => {
    const node = parse('ab {{x 1}} cd').body[1] as MustacheStatement;
    expect([node.line, node.column, node.endLine, node.endColumn]).toEqual([1, 3, 1, 10]);
  });

  it('parses paths', () => {
    const path = (src: string) => only<MustacheStatement>(`{{${src}}}`).path;
    expect(path('a.b/c')).toMatchObject({ parts: ['a', 'b', 'c'], depth: 0, data: false, scoped: false, original: 'a.b/c' });
    expect(path('../../x')).toMatchObject({ parts: ['x'], depth: 2 });
    expect(path('this')).toMatchObject({ parts: [], scoped: true });
    expect(path('.')).toMatchObject({ parts: [], scoped: true });
    expect(path('this.name')).toMatchObject({ parts: ['name'], scoped: true });
    expect(path('./name')).toMatchObject({ parts: ['name'], scoped: true });
    expect(path('@index')).toMatchObject({ parts: ['index'], data: true, original: '@index' });
    expect(path('@root.a')).toMatchObject({ parts: ['root', 'a'], data: true });
    expect(path('[a b].[c d]')).toMatchObject({ parts: ['a b', 'c d'], scoped: false });
    // Handlebars tests `original` for /this\b/, so even a bracketed [this] counts as scoped.
    expect(path('a.[this]')).toMatchObject({ parts: ['a', 'this'], scoped: true });
  });

  it('parses literals', () => {
    const params = only<MustacheStatement>(`{{f "a\\"b" 'c' 1 -2.5 true false null undefined}}`).params;
    expect(params.map((p) => ('value' in p ? p.value : p.type))).toEqual(['a"b', 'c', 1, -2.5, true, false, null, undefined]);
  });

  it('keeps backslashes other than an escaped quote, as Handlebars does', () => {
    const params = only<MustacheStatement>(String.raw`{{f "a\nb" 'c\\d'}}`).params;
    expect(params.map((p) => ('value' in p ? p.value : undefined))).toEqual(['a\\nb', 'c\\\\d']);
  });

  it('parses hashes and subexpressions', () => {
    const node = only<MustacheStatement>('{{f a (g b k=1) x=y z=(h)}}');
    expect(node.params.map((p) => p.type)).toEqual(['path', 'subexpression']);
    expect(node.hash!.pairs.map((p) => [p.key, p.value.type])).toEqual([
      ['x', 'path'],
      ['z', 'subexpression'],
    ]);
    const sub = node.params[1] as SubExpression;
    expect(sub.path.original).toBe('g');
    expect(sub.hash!.pairs[0]).toMatchObject({ key: 'k', value: { type: 'number', value: 1 } });
  });

  it('classifies calls like Handlebars', () => {
    const kinds = parse('{{a}}{{a 1}}{{a.b}}{{this}}{{@index}}{{if}}{{#each x as |v|}}{{v}}{{v 1}}{{/each}}')
      .body.flatMap((n) => (n.type === 'block' ? [n, ...n.program!.body] : [n]))
      .map((n) => (n as MustacheStatement).kind);
    expect(kinds).toEqual(['ambiguous', 'helper', 'simple', 'simple', 'ambiguous', 'helper', 'helper', 'simple', 'simple']);
  });

  it('marks block params in scope, in the block program only', () => {
    const block = parse('{{#each xs as |x i|}}{{x}}{{else}}{{x}}{{/each}}{{x}}').body[0] as BlockStatement;
    expect(block.program!.blockParams).toEqual(['x', 'i']);
    expect((block.program!.body[0] as MustacheStatement).path.blockParam).toBe(true);
    expect((block.inverse!.body[0] as MustacheStatement).path.blockParam).toBe(false);
  });

  it('parses blocks, else and inverted sections', () => {
    const block = only<BlockStatement>('{{#if a}}x{{else}}y{{/if}}');
    expect(block.program!.body).toMatchObject([{ type: 'content', value: 'x' }]);
    expect(block.inverse!.body).toMatchObject([{ type: 'content', value: 'y' }]);
    const inverted = only<BlockStatement>('{{^a}}none{{/a}}');
    expect(inverted.program).toBeUndefined();
    expect(inverted.inverse!.body).toMatchObject([{ value: 'none' }]);
    expect(only<BlockStatement>('{{#if a}}x{{^}}y{{/if}}').inverse!.body).toMatchObject([{ value: 'y' }]);
  });

  it('parses else-if chains into nested blocks', () => {
    const block = only<BlockStatement>('{{#if a}}A{{else if b}}B{{else unless c}}C{{else}}D{{/if}}');
    const second = block.inverse!.body[0] as BlockStatement;
    expect(block.inverse!.chained).toBe(true);
    expect(second.path.original).toBe('if');
    const third = second.inverse!.body[0] as BlockStatement;
    expect(third.path.original).toBe('unless');
    expect(third.inverse!.body).toMatchObject([{ value: 'D' }]);
  });

  it('parses partials', () => {
    const partial = only<PartialStatement>('{{> order_is_paid status="o.status"}}');
    expect(partial.name).toMatchObject({ type: 'path', original: 'order_is_paid' });
    expect(partial.hash!.pairs[0].key).toBe('status');
    expect(only<PartialStatement>('{{> "a b" ctx}}').name).toMatchObject({ type: 'string', value: 'a b' });
    expect(only<PartialStatement>('{{> (which)}}').name.type).toBe('subexpression');
  });

  it('applies the standalone line rule and indents standalone partials', () => {
    expect(parse('a\n  {{#if x}}\n  b\n  {{/if}}\nc').body.filter((n) => n.type === 'content').map((n) => (n as { value: string }).value)).toEqual(['a\n', 'c']);
    const partial = parse('x\n    {{> p}}\ny').body[1] as PartialStatement;
    expect(partial.indent).toBe('    ');
  });

  it('strips whitespace at ~', () => {
    expect(parse('a \n {{~x~}} \n b').body.map((n) => (n.type === 'content' ? n.value : '#'))).toEqual(['a', '#', 'b']);
  });

  it('keeps escaped mustaches as text', () => {
    expect(parse('\\{{x}} {{y}}').body.map((n) => n.type)).toEqual(['content', 'mustache']);
    expect((parse('\\{{x}} {{y}}').body[0] as { value: string }).value).toBe('{{x}} ');
  });

  it('keeps comments as nodes', () => {
    expect(only<Statement>('{{!-- note }} --}}')).toMatchObject({ type: 'comment', value: ' note }} ' });
  });

  it('shares identical paths and keyword literals on the same line between templates, frozen', () => {
    const a = parse('{{ref "x" true}}').body[0] as MustacheStatement;
    const b = parse('{{ref "x" true}}\n{{ref "x" true}}').body as MustacheStatement[];
    expect(a.path).toBe(b[0].path);
    expect(a.params[1]).toBe(b[0].params[1]);
    expect(a.params[0]).not.toBe(b[0].params[0]);
    expect(b[2].path).not.toBe(a.path);
    expect(b[2].path.line).toBe(2);
    expect(Object.isFrozen(a.path) && Object.isFrozen(a.path.parts) && Object.isFrozen(a.params[1])).toBe(true);
  });

  it('does not share paths naming block params', () => {
    const block = parse('{{#each xs as |x|}}{{x}}{{/each}}{{x}}').body as Statement[];
    const inner = (block[0] as BlockStatement).program!.body[0] as MustacheStatement;
    expect(inner.path.blockParam).toBe(true);
    expect((block[1] as MustacheStatement).path.blockParam).toBe(false);
  });
});

describe('parseTemplate errors', () => {
  it.each([
    ['{{{{raw}}}}x{{{{/raw}}}}', /raw blocks/],
    ['{{#> layout}}x{{/layout}}', /partial blocks/],
    ['{{#*inline "x"}}y{{/inline}}', /inline partials/],
    ['{{* deco}}', /decorators/],
    ['{{> @partial-block}}', /partial blocks/],
  ])('rejects the unsupported %s', (source, message) => {
    const error = parseError(`line one\n${source}`);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/not supported/);
    expect(error.line).toBe(2);
    expect(error.file).toBe('models/m.sql');
  });

  it('names the open tag of an unclosed block', () => {
    const error = parseError('a\n{{#each xs}}\n{{#if y}}\n{{/if}}\n');
    expect(error.message).toBe('{{#each xs}} is never closed');
    expect(error.line).toBe(2);
    expect(error.hint).toMatch(/\{\{\/each\}\}/);
  });

  it('names the close tag of a mismatched block, and the open line', () => {
    const error = parseError('{{#if a}}\n\n{{/each}}');
    expect(error.message).toBe('{{/each}} does not match {{#if a}} on line 1');
    expect(error.line).toBe(3);
  });

  it('reports an unclosed tag at its start', () => {
    expect(parseError('a\n{{ref "x"\nselect 1\n{{y}}').line).toBe(2);
  });

  it('reports an unterminated string', () => {
    const error = parseError('a\n\n{{ref "x}}');
    expect(error.message).toMatch(/unterminated string/);
    expect(error.line).toBe(3);
  });

  it('rejects a partial with two context arguments', () => {
    expect(parseError('{{> p a b}}').message).toMatch(/at most one context argument/);
  });

  it('rejects a literal partial name that is not a string or number', () => {
    expect(parseError('{{> true}}').message).toMatch(/not a partial name/);
  });
});
