// Differential test: every template renders exactly as the real `handlebars` package renders
// it (compiled with `noEscape: true`), with the same helpers, partials and context.
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { renderTemplate, type Helper } from './render-template.js';
import { parseTemplate } from './template-parser.js';

interface Case {
  name: string;
  src: string;
  ctx?: unknown;
  partials?: Record<string, string>;
}

/** Written against Handlebars' helper API only, so both engines run them unchanged. */
const helpers: Record<string, Helper> = {
  upper: (s: unknown) => String(s).toUpperCase(),
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  typeof: (value: unknown) => (value === null ? 'null' : typeof value),
  quote: (s: unknown) => `'${String(s).replace(/'/g, "''")}'`,
  hashjson: (options: { hash: unknown }) => JSON.stringify(options.hash),
  argc: (...args: unknown[]) => String(args.length - 1),
  name: (options: { name: string }) => options.name,
  loc: (...args: unknown[]) => {
    const { loc } = args[args.length - 1] as { loc: { start: { line: number; column: number }; end: { line: number; column: number } } };
    return `${loc.start.line}:${loc.start.column}-${loc.end.line}:${loc.end.column}`;
  },
  ctxname: function (this: { name?: string }) {
    return this.name;
  },
  wrap: function (this: unknown, options: { fn: (c: unknown) => string; inverse: (c: unknown) => string }) {
    return `(${options.fn(this)}|${options.inverse(this)})`;
  },
  ifeq: function (this: unknown, a: unknown, b: unknown, options: { fn: (c: unknown) => string; inverse: (c: unknown) => string }) {
    return a === b ? options.fn(this) : options.inverse(this);
  },
  list: function (...args: unknown[]) {
    const options = args.pop() as { fn: (c: unknown) => string; hash: { sep?: string } };
    return args.map((a) => options.fn(a)).join(options.hash.sep ?? ', ');
  },
  times: function (this: unknown, n: number, options: { fn: (c: unknown, o: unknown) => string; data: object }) {
    let out = '';
    for (let i = 0; i < n; i++) out += options.fn(this, { data: { ...options.data, index: i, _parent: options.data }, blockParams: [i * 10] });
    return out;
  },
  ref: (name: string) => `"analytics"."${name}"`,
  source: (source: string, table: string) => `"raw_${source}"."${table}"`,
  config: () => '',
  is_incremental: () => true,
  should_full_refresh: () => false,
  cents_to_dollars: (column: string, scale: unknown) => `round(${column} / 100.0, ${typeof scale === 'number' ? scale : 2})`,
  safe: (s: string) => new Handlebars.SafeString(`<${s}>`),
  ownkeys: function (this: object) {
    return Reflect.ownKeys(this).map(String).join(',');
  },
};

/** Inherited, symbol-keyed, non-enumerable and getter properties: what a partial's hash copy keeps of each. */
const keyedContext = Object.defineProperties(Object.assign(Object.create({ inherited: 'I' }), { a: 'A', b: 'B', [Symbol('s')]: 'S' }), {
  hidden: { value: 'H', enumerable: false },
  got: { get: () => 'G', enumerable: true },
});

const sqlContext = Object.assign(Object.create({ toString: () => '"analytics"."fct_orders"' }), {
  name: 'fct_orders',
  columns: ['order_id', 'customer_id', 'amount'],
  keys: ['order_id'],
  model: { config: { materialized: 'incremental', unique_key: 'order_id' } },
  target: { name: 'dev', schema: 'analytics' },
});

const people = { people: [{ name: 'Ann', age: 31, tags: ['a', 'b'] }, { name: 'Bob', age: 0, tags: [] }], title: 'People' };

const cases: Case[] = [
  // Plain values and paths
  { name: 'text only', src: 'select 1 as one\nfrom dual\n' },
  { name: 'simple mustache', src: 'hello {{name}}!', ctx: { name: 'world' } },
  { name: 'triple and ampersand are unescaped too', src: '{{a}} {{{a}}} {{&a}}', ctx: { a: `<b> & "c" 'd'` } },
  { name: 'falsy and odd values', src: '[{{f}}][{{z}}][{{n}}][{{u}}][{{e}}][{{arr}}][{{obj}}][{{nested}}]', ctx: { f: false, z: 0, n: null, e: '', arr: [1, null, 'x'], obj: {}, nested: [[1, 2], [3]] } },
  { name: 'nested paths and missing parts', src: '{{a.b.c}}|{{a.x.c}}|{{missing.deep}}|{{a/b/c}}', ctx: { a: { b: { c: 'deep' } } } },
  { name: 'this and dot', src: '{{#each items}}[{{this}}|{{.}}|{{this.length}}|{{./length}}]{{/each}}', ctx: { items: ['ab', 'cde'] } },
  { name: 'bracketed segments', src: '{{[a b]}} {{obj.[0]}} {{obj.[this]}} {{[@x]}}', ctx: { 'a b': 'spaced', obj: { 0: 'zero', this: 'literal this' }, '@x': 'at' } },
  { name: 'literal callees are looked up by name', src: '{{"x y"}}|{{5}}|{{true}}|{{null}}', ctx: { 'x y': 'A', 5: 'five', true: 'T', null: 'N' } },
  { name: 'ids with dashes, colons and dollars', src: '{{foo-bar}} {{a:b}} {{$c}} {{d?}}', ctx: { 'foo-bar': 1, 'a:b': 2, $c: 3, 'd?': 4 } },
  { name: 'whitespace inside tags', src: '{{  name  }}|{{\nname\n}}|{{ upper   name }}', ctx: { name: 'x' } },
  { name: 'inherited properties are hidden', src: '[{{inherited}}][{{own}}][{{m.size}}]', ctx: Object.assign(Object.create({ inherited: 'no' }), { own: 'yes', m: new Map([[1, 2]]) }) },
  { name: 'context functions (lambdas)', src: '{{fn}}|{{obj.fn}}|{{withArgs 1 2}}', ctx: { fn: () => 'called', obj: { v: 'V', fn(this: { v: string }) { return this.v; } }, withArgs: (a: number, b: number) => a + b } },
  // Literals and arguments
  { name: 'literal argument types', src: '{{typeof "s"}} {{typeof 1}} {{typeof -2.5}} {{typeof true}} {{typeof false}} {{typeof null}} {{typeof undefined}} {{typeof missing}}' },
  { name: 'numbers', src: '{{concat 1 -2 3.25 -0.5 007}}' },
  { name: 'string escapes', src: `{{concat "a\\"b" 'c\\'d' "e\\nf" 'g"h' "i'j"}}` },
  { name: 'hash arguments', src: '{{hashjson a=1 b="two" c=true d=null e=name f=(upper "x")}}', ctx: { name: 'N' } },
  { name: 'duplicate hash keys: first wins', src: '{{hashjson a=1 b=2 a=3}}' },
  { name: 'hash keys that look like keywords', src: '{{hashjson true=1 null=2 as=3}}' },
  { name: 'argument count', src: '{{argc}} {{argc 1}} {{argc 1 "2" x k=1}}' },
  { name: 'subexpressions', src: '{{upper (concat "a" (upper "b") name)}}', ctx: { name: 'c' } },
  { name: 'subexpression with hash', src: '{{concat (hashjson k="v") "!"}}' },
  { name: 'options.name', src: '{{name}} {{name 1}} {{#name}}{{/name}}' },
  { name: 'options.loc', src: 'x {{loc}}\n  {{loc 1 k=2}} {{#loc}}\n{{/loc}}' },
  { name: 'this inside helpers', src: '{{ctxname}} {{#with person}}{{ctxname}}{{/with}}', ctx: { name: 'outer', person: { name: 'inner' } } },
  { name: 'SafeString results', src: '{{safe "b"}}' },
  { name: 'log renders nothing', src: 'a{{log "message" level="debug"}}b' },
  // Built-in block helpers
  { name: 'if / else', src: '{{#if a}}A{{else}}not A{{/if}} {{#if b}}B{{else}}not B{{/if}}', ctx: { a: 1, b: 0 } },
  { name: 'if on empty array, string and object', src: '{{#if e}}y{{else}}n{{/if}}{{#if s}}y{{else}}n{{/if}}{{#if o}}y{{else}}n{{/if}}', ctx: { e: [], s: '', o: {} } },
  { name: 'if includeZero', src: '{{#if z includeZero=true}}zero counts{{/if}}', ctx: { z: 0 } },
  { name: 'if with a function', src: '{{#if fn}}yes{{/if}}', ctx: { fn: () => true } },
  { name: 'else if chain', src: '{{#if a}}A{{else if b}}B{{else if c}}C{{else}}none{{/if}}', ctx: { c: true } },
  { name: 'else if chain, first branch', src: '{{#if a}}A{{else if b}}B{{else}}none{{/if}}', ctx: { a: true } },
  { name: 'unless', src: '{{#unless a}}no a{{else}}a{{/unless}}|{{#unless b}}no b{{/unless}}', ctx: { a: true } },
  { name: 'else as {{^}}', src: '{{#if a}}yes{{^}}no{{/if}}', ctx: {} },
  { name: 'each over an array with @data', src: '{{#each items}}{{@index}}:{{this}}{{#if @first}} first{{/if}}{{#if @last}} last{{/if}};{{/each}}', ctx: { items: ['a', 'b', 'c'] } },
  { name: 'each over an object with @key', src: '{{#each o}}{{@key}}={{this}}{{#unless @last}}, {{/unless}}{{/each}}', ctx: { o: { x: 1, y: 2, z: 3 } } },
  { name: 'each with else', src: '{{#each items}}{{this}}{{else}}empty{{/each}}|{{#each o}}x{{else}}no keys{{/each}}', ctx: { items: [], o: {} } },
  { name: 'each with block params', src: '{{#each items as |item i|}}{{i}}={{item.name}} {{/each}}', ctx: { items: [{ name: 'a' }, { name: 'b' }] } },
  { name: 'each over an object with block params', src: '{{#each o as |value key|}}{{key}}:{{value}} {{/each}}', ctx: { o: { a: 1, b: 2 } } },
  { name: 'nested each with ../ and @../index', src: '{{#each rows}}{{#each cells}}[{{../id}}.{{@../index}}.{{@index}}={{this}}]{{/each}}{{/each}}', ctx: { rows: [{ id: 'r0', cells: [1, 2] }, { id: 'r1', cells: [3] }] } },
  { name: 'nested block params shadow', src: '{{#each a as |x|}}{{#each x.b as |x|}}{{x}}{{/each}}{{/each}}', ctx: { a: [{ b: [1, 2] }, { b: [3] }] } },
  { name: 'each over a Map and a Set', src: '{{#each m}}{{this.[0]}}>{{this.[1]}} {{/each}}|{{#each s}}{{@index}}{{this}}{{/each}}', ctx: { m: new Map([['k', 'v'], ['k2', 'v2']]), s: new Set(['x', 'y']) } },
  { name: 'each over a sparse array', src: '{{#each a}}{{@index}}{{/each}}', ctx: { a: [1, , 3] } }, // eslint-disable-line no-sparse-arrays
  { name: 'with, else and block params', src: '{{#with p}}{{name}}/{{../title}}{{/with}}|{{#with none}}x{{else}}no p{{/with}}|{{#with p as |q|}}{{q.name}}{{/with}}', ctx: { p: { name: 'Ann' }, title: 'T' } },
  { name: '@root inside blocks', src: '{{#each people}}{{name}} of {{@root.title}}; {{/each}}', ctx: people },
  { name: 'lookup', src: '{{lookup o "k"}} {{lookup a 1}} {{#each a}}{{lookup ../o this}}{{/each}} {{lookup missing "x"}}', ctx: { o: { k: 'K', x: 'X', y: 'Y' }, a: ['x', 'y'] } },
  // Sections over plain values (blockHelperMissing)
  { name: 'section over an object', src: '{{#person}}{{name}} is {{age}}{{/person}}', ctx: { person: { name: 'Ann', age: 31 } } },
  { name: 'section over an array', src: '{{#items}}<{{.}}:{{@index}}>{{/items}}', ctx: { items: ['a', 'b'] } },
  { name: 'section over booleans and zero', src: '{{#t}}T{{/t}}{{#f}}F{{else}}notF{{/f}}{{#z}}Z{{this}}{{/z}}{{#e}}E{{else}}empty{{/e}}', ctx: { t: true, f: false, z: 0, e: [] } },
  { name: 'inverted sections', src: '{{^items}}none{{/items}}|{{^full}}none{{else}}some{{/full}}|{{^if x}}no x{{/if}}', ctx: { items: [], full: [1] } },
  { name: 'section with a path', src: '{{#a.b}}{{c}}{{/a.b}}', ctx: { a: { b: { c: 'deep' } } } },
  // Custom block helpers
  { name: 'block helper with fn and inverse', src: '{{#wrap}}inside{{else}}other{{/wrap}}', ctx: {} },
  { name: 'block helper with arguments', src: '{{#ifeq kind "table"}}T{{else}}not T{{/ifeq}} {{#ifeq kind "view"}}V{{else}}not V{{/ifeq}}', ctx: { kind: 'table' } },
  { name: 'block helper changing the context', src: '{{#list a b c sep=" | "}}<{{name}}>{{/list}}', ctx: { a: { name: 1 }, b: { name: 2 }, c: { name: 3 } } },
  { name: 'block helper passing data and block params', src: '{{#times 3 as |n|}}{{@index}}:{{n}} {{/times}}', ctx: {} },
  { name: 'helper missing arg is undefined', src: '{{#ifeq missing undefined}}both undefined{{/ifeq}}' },
  // Whitespace control
  { name: 'tilde on mustaches', src: 'a  {{~name~}}  \n b {{~ name}} c {{name ~}}\n d', ctx: { name: 'X' } },
  { name: 'tilde on blocks', src: '<\n  {{~#if a~}}\n  yes\n  {{~else~}}\n  no\n  {{~/if~}}\n>', ctx: { a: false } },
  { name: 'tilde on else-if chains', src: '{{#if a~}}\n  x\n{{~else if b~}}\n  y  \n{{~else~}}\n  z\n{{~/if}}!', ctx: { b: 1 } },
  { name: 'tilde on comments and partials', src: 'a \n {{~!-- note --~}} \n b {{~> p ~}} \n c', partials: { p: 'P' } },
  { name: 'tilde on triple mustaches', src: 'a {{~{name}~}} b', ctx: { name: 'N' } },
  // Standalone lines
  { name: 'standalone block lines', src: 'select\n{{#if a}}\n  a,\n{{/if}}\n  b\nfrom t\n', ctx: { a: true } },
  { name: 'standalone else lines', src: '{{#if a}}\n  yes\n{{else}}\n  no\n{{/if}}\n', ctx: {} },
  { name: 'standalone else-if chain', src: 'x\n{{#if a}}\n  a\n{{else if b}}\n  b\n{{else}}\n  c\n{{/if}}\ny\n', ctx: { b: true } },
  { name: 'standalone else-if chain, last branch', src: 'x\n  {{#if a}}\n  a\n  {{else if b}}\n  b\n  {{else}}\n  c\n  {{/if}}\ny\n', ctx: {} },
  { name: 'standalone with indentation and tabs', src: 'a\n\t {{#each items}}\n\t  {{this}}\n\t {{/each}}\nb', ctx: { items: [1, 2] } },
  { name: 'standalone comments', src: 'a\n  {{! a comment }}\nb\n{{!-- long\n comment --}}\nc\n' },
  { name: 'standalone at the start and end', src: '{{#if a}}\nbody\n{{/if}}', ctx: { a: true } },
  { name: 'standalone with CRLF', src: 'a\r\n{{#if a}}\r\n  x\r\n{{/if}}\r\nb\r\n', ctx: { a: true } },
  { name: 'not standalone: text on the line', src: 'a {{#if x}}\nb\n{{/if}} c\n', ctx: { x: true } },
  { name: 'not standalone: two tags on a line', src: '{{#if a}}{{#if b}}\nx\n{{/if}}{{/if}}\n', ctx: { a: 1, b: 1 } },
  { name: 'standalone mustache is kept', src: 'a\n  {{name}}\nb', ctx: { name: 'N' } },
  { name: 'nested standalone blocks', src: '{{#each rows}}\n  {{#if this}}\n    {{this}}\n  {{else}}\n    none\n  {{/if}}\n{{/each}}\n', ctx: { rows: [1, 0, 2] } },
  // Partials
  { name: 'partial with the current context', src: 'x {{> p}} y', ctx: { name: 'N' }, partials: { p: '[{{name}}]' } },
  { name: 'partial with a context argument', src: '{{#each people}}{{> person this}}{{/each}}', ctx: people, partials: { person: '<{{name}}:{{age}}>' } },
  { name: 'partial with hash', src: '{{> cond column="o.status" values=list}}', ctx: { list: "'a', 'b'" }, partials: { cond: '{{column}} in ({{values}})' } },
  { name: 'partial with context and hash', src: '{{> p person extra="E"}}', ctx: { person: { name: 'Ann' } }, partials: { p: '{{name}}/{{extra}}/{{@root.person.name}}' } },
  { name: 'partial names: quoted and with slashes', src: '{{> "my partial"}} {{> dir/p}} {{> \'single\'}}', partials: { 'my partial': 'A', 'dir/p': 'B', single: 'C' } },
  { name: 'standalone partial is indented', src: 'select\n    {{> cols}}\nfrom t\n', partials: { cols: 'a,\nb,\nc\n' } },
  { name: 'standalone partial without trailing newline', src: 'x\n  {{> p}}\ny', partials: { p: 'l1\nl2' } },
  { name: 'nested partials keep @data', src: '{{#each a}}{{> outer}}{{/each}}', ctx: { a: ['x', 'y'] }, partials: { outer: '({{@index}}{{> inner}})', inner: '[{{this}}{{@first}}]' } },
  { name: 'partial with standalone blocks inside', src: 'start\n  {{> p}}\nend', ctx: { a: true }, partials: { p: '{{#if a}}\nyes\n{{/if}}\n' } },
  { name: 'partial with a hash copies own enumerable string keys in order, then the hash (first of a repeated key wins)', src: '{{> p b="b2" c="C" c="c2"}}|{{ownkeys}}', ctx: keyedContext, partials: { p: '{{ownkeys}}|{{a}}{{b}}{{c}}{{got}}{{inherited}}{{hidden}}' } },
  { name: 'partial with a hash loses the prototype', src: '[{{this}}][{{> p}}][{{> p x=1}}]', ctx: sqlContext, partials: { p: '{{this}}' } },
  // Escapes and comments
  { name: 'escaped mustaches', src: '\\{{name}} {{name}} \\\\{{name}} \\{{#if}} \\{{', ctx: { name: 'N' } },
  { name: 'escaped then real', src: 'a \\{{x}} b {{x}} c \\{{y}}\\{{z}}', ctx: { x: 'X', y: 'Y' } },
  { name: 'comments', src: 'a{{! short }}b{{!-- has }} inside --}}c{{!--}}d' },
  // SQL-looking templates
  {
    name: 'incremental model',
    src: [
      '{{config materialized="incremental" unique_key="order_id"}}',
      'select',
      '    o.order_id,',
      "    {{cents_to_dollars 'o.amount_cents' 4}} as amount,",
      "    o.status in ('shipped', 'completed') as is_paid",
      'from {{ref "stg_orders"}} as o',
      '{{#if (is_incremental)}}',
      'where o.updated_at > (select max(updated_at) from {{this}})',
      '{{/if}}',
      '',
    ].join('\n'),
    ctx: sqlContext,
  },
  {
    name: 'column lists with commas',
    src: 'select\n{{#each columns}}\n    {{this}}{{#unless @last}},{{/unless}}\n{{/each}}\nfrom {{source "shop" "orders"}}\n',
    ctx: sqlContext,
  },
  {
    name: 'merge statement',
    src: [
      'merge into {{this}} as t',
      'using ({{> body}}) as s',
      'on {{#each keys}}t.{{this}} = s.{{this}}{{#unless @last}} and {{/unless}}{{/each}}',
      'when matched then update set',
      '  {{#each columns as |c|}}',
      '  {{c}} = s.{{c}}{{#unless @last}},{{/unless}}',
      '  {{/each}}',
      "-- {{model.config.materialized}} on {{target.schema}}: {{quote \"it's\"}}",
      '',
    ].join('\n'),
    ctx: sqlContext,
    partials: { body: 'select * from {{ref "stg"}}' },
  },
  { name: 'quotes and newlines in SQL', src: "select '{{name}}' as n, \"{{name}}\" as q,\n  '{{{name}}}'\n-- {{name}}\n", ctx: { name: "o'brien" } },
  { name: 'unicode', src: 'sélect {{naïve}} — «{{upper "ß"}}»', ctx: { naïve: 'ünïcödé' } },
  { name: 'dynamic partial names', src: '{{#each kinds}}{{> (concat "p_" this)}}{{/each}}', ctx: { kinds: ['a', 'b'] }, partials: { p_a: 'A', p_b: 'B' } },
  { name: 'inverted block with else', src: '{{^a}}no a{{else}}a={{a}}{{/a}}|{{^b}}no b{{else}}b{{/b}}', ctx: { a: 'x' } },
  { name: 'empty branches', src: '[{{#if a}}{{else}}{{/if}}][{{#wrap}}{{/wrap}}][{{#each e}}{{/each}}]', ctx: { e: [1] } },
  { name: 'standalone partial inside a loop', src: '{{#each cols}}\n  {{> col}}\n{{/each}}\n', ctx: { cols: ['a', 'b'] }, partials: { col: '{{@index}}: {{this}},\n' } },
  { name: 'outer block params from inner blocks', src: '{{#each rows as |row r|}}{{#each row as |cell c|}}{{r}}.{{c}}={{cell}} {{/each}}{{/each}}', ctx: { rows: [['a', 'b'], ['c']] } },
  { name: 'else with keyword boundary', src: '{{#if a}}x{{else-x}}y{{/if}}', ctx: { a: false, '-x': true } },
];

function renderWithHandlebars(test: Case): string {
  const hb = Handlebars.create();
  for (const [name, source] of Object.entries(test.partials ?? {})) hb.registerPartial(name, source);
  const template = hb.compile(test.src, { noEscape: true });
  // Explicit defaults silence Handlebars' console warning about prototype access.
  return template(test.ctx ?? {}, { helpers, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

function renderWithStrata(test: Case): string {
  const partials = Object.fromEntries(Object.entries(test.partials ?? {}).map(([name, source]) => [name, parseTemplate(source, `macros/${name}.sql`)]));
  return renderTemplate(parseTemplate(test.src, 'models/test.sql'), test.ctx ?? {}, { helpers, partials });
}

describe('renders like Handlebars (noEscape)', () => {
  it('has a corpus of at least 60 templates', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const test of cases) {
    it(test.name, () => {
      expect(renderWithStrata(test)).toBe(renderWithHandlebars(test));
    });
  }
});

describe('where we knowingly differ from Handlebars', () => {
  it('concatenates adjacent numbers, where Handlebars with noEscape adds them', () => {
    // Handlebars compiles `{{a}}{{b}}` at the start of a program to `a + b`: with numbers
    // (or booleans) and noEscape, that is an addition. We always build a string.
    const test = { name: 'adjacent numbers', src: '{{a}}{{b}} {{a}}{{b}}', ctx: { a: 1, b: 2 } };
    expect(renderWithHandlebars(test)).toBe('3 12');
    expect(renderWithStrata(test)).toBe('12 12');
  });

  it('throws for a subexpression calling a missing helper, where Handlebars yields undefined', () => {
    const test = { name: 'missing helper', src: '{{#if (is_incremantal)}}x{{else}}y{{/if}}' };
    expect(renderWithHandlebars(test)).toBe('y');
    expect(() => renderWithStrata(test)).toThrow(/unknown helper 'is_incremantal'/);
  });
});

/** Syntax errors: ours names the line; Handlebars rejects the template too. */
const syntaxErrors: [name: string, src: string, line: number, message: RegExp][] = [
  ['unclosed tag', 'select\n  {{ref "a"\nfrom x', 2, /unclosed tag/],
  ['unclosed tag at the end', 'a\n\nb {{name', 3, /unclosed tag/],
  ['unterminated string', 'a\nb {{ref "abc}}\n', 2, /unterminated string/],
  ['unclosed block', 'a\n{{#if x}}\nb\n', 2, /never closed/],
  ['unclosed block inside another', '{{#each a}}\n{{#if x}}\n{{/each}}', 3, /does not match \{\{#if x\}\} on line 2/],
  ['mismatched close', '{{#if a}}\n\n{{/unless}}', 3, /does not match/],
  ['close without open', 'a\n\n{{/if}}', 3, /never opened/],
  ['else outside a block', 'a\n{{else}}\n', 2, /outside of a block/],
  ['two elses', '{{#if a}}\nx\n{{else}}\ny\n{{else}}\nz\n{{/if}}', 5, /only one \{\{else\}\}/],
  ['positional after hash', '\n{{foo a=1 b}}', 2, /before key=value/],
  ['hash without value', '\n\n{{foo a=}}', 3, /after a=/],
  ['empty tag', 'x\n{{}}', 2, /empty tag/],
  ['invalid character', 'x\n{{foo bar%}}', 2, /unexpected/],
  ['this in the middle of a path', '\n{{a.this.b}}', 2, /invalid path/],
  ['triple closed by double', '\n{{{a}}', 2, /closes with \}\}\}/],
  ['unclosed comment', 'x\n{{!-- note\n\n', 2, /unclosed comment/],
  ['block params on a mustache', '{{foo as |x|}}', 1, /only allowed on \{\{#block\}\}/],
  ['unclosed subexpression', '\n{{foo (bar 1}}', 2, /subexpression/],
  ['partial with two arguments', '\n{{> p a b}}', 2, /at most one context argument/],
];

describe('syntax errors name the right line', () => {
  for (const [name, src, line, message] of syntaxErrors) {
    it(name, () => {
      let error: unknown;
      try {
        parseTemplate(src, 'models/bad.sql');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(message);
      expect({ file: (error as UserError).file, line: (error as UserError).line }).toEqual({ file: 'models/bad.sql', line });
      expect(() => Handlebars.create().compile(src, { noEscape: true })({}, { partials: { p: 'x' } })).toThrow();
    });
  }
});
