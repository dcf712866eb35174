import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { createFrame } from './builtin-helpers.js';
import { renderTemplate, type BlockHelperOptions, type Helper, type HelperOptions, type RenderEnv } from './render-template.js';
import { parseTemplate } from './template-parser.js';

function render(source: string, context: unknown = {}, env: Partial<RenderEnv> = {}): string {
  return renderTemplate(parseTemplate(source, 'models/m.sql'), context, { helpers: env.helpers ?? {}, partials: env.partials ?? {} });
}

function renderError(source: string, context: unknown = {}, env: Partial<RenderEnv> = {}): UserError {
  try {
    render(source, context, env);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const partial = (name: string, source: string) => parseTemplate(source, `macros/${name}.sql`);

describe('renderTemplate', () => {
  it('renders values as Handlebars does without escaping', () => {
    const context = { n: null, u: undefined, f: false, z: 0, a: [1, 'b', null], o: { toString: () => 'custom' }, s: '<&>' };
    expect(render('[{{n}}][{{u}}][{{f}}][{{z}}][{{a}}][{{o}}][{{s}}][{{missing}}]', context)).toBe('[][][false][0][1,b,][custom][<&>][]');
  });

  it('renders SafeString-like results through toString', () => {
    const helpers = { safe: () => ({ toHTML: () => 'html', toString: () => 'text' }) };
    expect(render('{{safe}}', {}, { helpers })).toBe('text');
  });

  it('renders {{this}} through the context’s toString, as the compiler uses it', () => {
    const context = Object.assign(Object.create({ toString: () => '"db"."main"."orders"' }), { name: 'orders' });
    expect(render('select * from {{this}} -- {{name}}', context)).toBe('select * from "db"."main"."orders" -- orders');
  });

  it('reads own properties only', () => {
    class Model {
      own = 'own';
      get inherited() {
        return 'inherited';
      }
    }
    expect(render('[{{own}}][{{inherited}}][{{constructor}}][{{toString}}]', new Model())).toBe('[own][][][]');
  });

  it('calls a registered helper for a bare name, else reads the context', () => {
    const helpers = { is_incremental: () => true };
    expect(render('{{is_incremental}} {{name}}', { name: 'n', is_incremental: 'ignored' }, { helpers })).toBe('true n');
  });

  it('lets registered helpers override built-ins', () => {
    const helpers = { if: () => 'mine' };
    expect(render('{{#if true}}x{{/if}}', {}, { helpers })).toBe('mine');
  });

  it('passes a Handlebars-style options object', () => {
    let seen: HelperOptions | undefined;
    const helpers = {
      spy: function (this: unknown, ...args: unknown[]) {
        seen = args[args.length - 1] as HelperOptions;
        return [this === context, args.length].join(',');
      },
    };
    const context = { x: 1 };
    expect(render('\n  {{spy 1 "two" k=x}}', context, { helpers })).toBe('\n  true,3');
    expect(Object.keys(seen!)).toEqual(['name', 'hash', 'data', 'loc', 'lookupProperty']);
    expect(seen!.name).toBe('spy');
    expect(seen!.hash).toEqual({ k: 1 });
    expect(seen!.data.root).toBe(context);
    expect(seen!.loc).toEqual({ start: { line: 2, column: 2 }, end: { line: 2, column: 21 } });
    expect(seen!.lookupProperty({ a: 1 }, 'a')).toBe(1);
    expect(seen!.lookupProperty(Object.create({ a: 1 }), 'a')).toBeUndefined();
  });

  it('gives block helpers fn and inverse, with context, data and block params', () => {
    const helpers: Record<string, Helper> = {
      pairs: function (this: unknown, list: string[], options: BlockHelperOptions) {
        if (list.length === 0) return options.inverse(this);
        return list.map((item, i) => options.fn({ item }, { data: { ...createFrame(options.data), index: i }, blockParams: [item.toUpperCase()] })).join(' ');
      },
    };
    const source = '{{#pairs list as |up|}}{{@index}}:{{item}}/{{up}}/{{@root.title}}{{else}}none{{/pairs}}';
    expect(render(source, { list: ['a', 'b'], title: 'T' }, { helpers })).toBe('0:a/A/T 1:b/B/T');
    expect(render(source, { list: [] }, { helpers })).toBe('none');
  });

  it('uses a sealed empty object as this when the context is null', () => {
    const helpers = { self: function (this: object) { return `${JSON.stringify(this)} ${Object.isSealed(this)}`; } };
    expect(render('{{self}}', null, { helpers })).toBe('{} true');
  });

  it('renders partials with the current context, a context argument and hash', () => {
    const partials = { p: partial('p', '{{name}}{{#if suffix}}-{{suffix}}{{/if}}') };
    expect(render('{{> p}} {{> p other}} {{> p other suffix="s"}}', { name: 'a', other: { name: 'b' } }, { partials })).toBe('a b b-s');
  });

  it('indents every line of a standalone partial', () => {
    const partials = { cols: partial('cols', 'a,\nb\n') };
    expect(render('select\n    {{> cols}}\nfrom t', {}, { partials })).toBe('select\n    a,\n    b\nfrom t');
  });
});

describe('renderTemplate errors', () => {
  const helpers = { cents_to_dollars: () => 'x', ref: () => 'r' };

  it('rejects an unknown helper called with arguments, with a suggestion', () => {
    const error = renderError('select\n  {{cents_to_dolars "amount"}}', {}, { helpers });
    expect(error.message).toBe("unknown helper 'cents_to_dolars'");
    expect(error.file).toBe('models/m.sql');
    expect(error.line).toBe(2);
    expect(error.hint).toBe("did you mean 'cents_to_dollars'?");
  });

  it('rejects unknown block helpers and subexpressions', () => {
    expect(renderError('{{#iff x}}{{/iff}}').hint).toBe("did you mean 'if'?");
    expect(renderError('\n{{#if (is_incremental)}}{{/if}}').line).toBe(2);
  });

  it('points at the partial when a helper name is really a partial', () => {
    const error = renderError('{{order_is_paid "x"}}', {}, { partials: { order_is_paid: partial('order_is_paid', '') } });
    expect(error.hint).toBe("'order_is_paid' is a partial: write {{> order_is_paid}}");
  });

  it('rethrows helper errors as UserErrors at the call, keeping the message and cause', () => {
    const cause = new TypeError('boom');
    const error = renderError('a\nb {{explode 1}}', {}, { helpers: { explode: () => { throw cause; } } });
    expect(error.message).toBe('boom');
    expect([error.file, error.line]).toEqual(['models/m.sql', 2]);
    expect(error.hint).toMatch(/explode/);
    expect(error.cause).toBe(cause);
  });

  it('fills in file and line of a UserError thrown by a helper, keeping message and hint', () => {
    const helpers = { need: () => { throw new UserError('required var x is not set', { hint: 'set it' }); } };
    const error = renderError('\n\n{{need}}', {}, { helpers });
    expect([error.message, error.hint, error.file, error.line]).toEqual(['required var x is not set', 'set it', 'models/m.sql', 3]);
  });

  it('keeps a UserError that already says where it happened', () => {
    const original = new UserError('elsewhere', { file: 'other.sql', line: 9 });
    expect(renderError('{{bad}}', {}, { helpers: { bad: () => { throw original; } } })).toBe(original);
  });

  it('reports errors inside blocks at the innermost call', () => {
    const helpers = { explode: () => { throw new Error('inner'); } };
    const error = renderError('{{#each xs}}\n{{#if this}}\n  {{explode}}\n{{/if}}\n{{/each}}', { xs: [1] }, { helpers });
    expect([error.message, error.line]).toEqual(['inner', 3]);
  });

  it('reports errors inside partials in the partial’s file', () => {
    const partials = { p: partial('p', 'ok\n{{nope 1}}') };
    const error = renderError('{{> p}}', {}, { partials });
    expect([error.message, error.file, error.line]).toEqual(["unknown helper 'nope'", 'macros/p.sql', 2]);
  });

  it('rejects a missing partial, with a suggestion', () => {
    const error = renderError('\n{{> order_is_payd}}', {}, { partials: { order_is_paid: partial('order_is_paid', '') } });
    expect([error.message, error.line, error.hint]).toEqual(["partial 'order_is_payd' not found", 2, "did you mean 'order_is_paid'?"]);
  });

  it('stops a partial that includes itself', () => {
    const partials = { loop: partial('loop', 'x{{> loop}}') };
    expect(renderError('{{> loop}}', {}, { partials }).message).toMatch(/nested more than/);
  });

  it('reports misuse of built-in block helpers', () => {
    expect(renderError('{{#if}}x{{/if}}').message).toBe('#if requires exactly one argument');
    expect(renderError('{{#each}}x{{/each}}').message).toBe('Must pass iterator to #each');
    expect(renderError('{{if x}}').message).toMatch(/block helper/);
  });
});
