import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { labels, shopProject } from './__fixtures__/shop-project.js';
import { parseSelectorsFile } from './parse-selectors-file.js';
import { resolveSelection } from './resolve-selection.js';

const project = shopProject();

/** Parses a selectors.yml made of the given lines and resolves the named selector. */
function selectWith(lines: string[], selector: string): string[] {
  const selectors = parseSelectorsFile(lines.join('\n'), 'selectors.yml');
  return labels(resolveSelection({ ...project, selector, selectors }), project.nodes);
}

/** The UserError parsing the given lines throws. */
function errorFor(lines: string[]): UserError {
  try {
    parseSelectorsFile(lines.join('\n'), 'selectors.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).file).toBe('selectors.yml');
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('selectors.yml definitions', () => {
  it('a string definition uses the CLI syntax, graph operators included', () => {
    expect(selectWith(['selectors:', '  - name: s', '    definition: "+orders"'], 's')).toEqual(['orders', 'shop.orders', 'shop.payments', 'stg_orders', 'stg_payments']);
    expect(selectWith(['selectors:', '  - name: s', '    definition: tag:nightly,config.materialized:table'], 's')).toEqual(['customers', 'orders']);
  });

  it('a method/value mapping selects like the CLI atom', () => {
    expect(selectWith(['selectors:', '  - name: s', '    definition:', '      method: config.materialized', '      value: incremental'], 's')).toEqual([
      'audit_log',
      'daily_revenue',
    ]);
  });

  it('parents, children and their depths are the graph operators', () => {
    const lines = (extra: string[]) => ['selectors:', '  - name: s', '    definition:', '      method: fqn', '      value: orders', ...extra.map((line) => `      ${line}`)];
    expect(selectWith(lines(['parents: true']), 's')).toEqual(['orders', 'shop.orders', 'shop.payments', 'stg_orders', 'stg_payments']);
    expect(selectWith(lines(['parents: true', 'parents_depth: 1']), 's')).toEqual(['orders', 'stg_orders', 'stg_payments']);
    expect(selectWith(lines(['children: true', 'children_depth: 1']), 's')).toEqual(['customers', 'daily_revenue', 'orders']);
    expect(selectWith(lines(['children: true', 'parents: true', 'parents_depth: 1']), 's')).toEqual([
      'customer_ltv',
      'customers',
      'daily_revenue',
      'orders',
      'stg_orders',
      'stg_payments',
    ]);
  });

  it('childrens_parents is the @ operator', () => {
    const lines = ['selectors:', '  - name: s', '    definition:', '      method: fqn', '      value: stg_charges', '      childrens_parents: true'];
    expect(selectWith(lines, 's')).toEqual(labels(resolveSelection({ ...project, select: ['@stg_charges'] }), project.nodes));
  });

  it('a one-key mapping is shorthand for method and value', () => {
    expect(selectWith(['selectors:', '  - name: s', '    definition:', '      tag: finance'], 's')).toEqual(['daily_revenue', 'orders']);
  });

  it('non-string values are compared as text', () => {
    expect(selectWith(['selectors:', '  - name: s', '    definition:', '      method: config.full_refresh', '      value: true'], 's')).toEqual(['daily_revenue']);
    expect(selectWith(['selectors:', '  - name: s', '    definition:', '      method: config.meta.tier', '      value: 1'], 's')).toEqual(['daily_revenue']);
  });

  it('union and intersection combine their items', () => {
    const union = ['selectors:', '  - name: s', '    definition:', '      union:', '        - stg_orders', '        - method: tag', '          value: raw'];
    expect(selectWith(union, 's')).toEqual(['raw_customers', 'stg_orders']);
    const intersection = ['selectors:', '  - name: s', '    definition:', '      intersection:', '        - tag:nightly', '        - {method: resource_type, value: model}', '        - path:models/marts'];
    expect(selectWith(intersection, 's')).toEqual(['customers', 'orders']);
  });

  it('an exclude item removes its selection from the union or intersection', () => {
    const lines = [
      'selectors:',
      '  - name: s',
      '    definition:',
      '      union:',
      '        - tag:nightly',
      '        - tag:finance',
      '        - exclude:',
      '            - customers',
      '            - method: resource_type',
      '              value: seed',
      '            - stg_orders',
    ];
    expect(selectWith(lines, 's')).toEqual(['daily_revenue', 'orders', 'stg_customers']);
    const inIntersection = ['selectors:', '  - name: s', '    definition:', '      intersection:', '        - tag:nightly', '        - resource_type:model', '        - exclude: [path:models/staging]'];
    expect(selectWith(inIntersection, 's')).toEqual(['customers', 'orders']);
  });

  it('exclude beside method and value removes from that selection', () => {
    const lines = ['selectors:', '  - name: s', '    definition:', '      method: tag', '      value: nightly', '      exclude:', '        - resource_type:model,path:models/marts'];
    expect(selectWith(lines, 's')).toEqual(['stg_customers', 'stg_orders']);
  });

  it('set operations nest arbitrarily', () => {
    const lines = [
      'selectors:',
      '  - name: s',
      '    definition:',
      '      union:',
      '        - intersection:',
      '            - tag:staging',
      '            - union:',
      '                - tag:nightly',
      '                - path:models/staging/stripe',
      '            - exclude:',
      '                - intersection: [stg_orders, tag:nightly]',
      '        - audit_log',
    ];
    expect(selectWith(lines, 's')).toEqual(['audit_log', 'stg_charges', 'stg_customers']);
  });

  it('method: selector reuses another selector, defined before or after', () => {
    const lines = [
      'selectors:',
      '  - name: marts_nightly',
      '    definition:',
      '      intersection:',
      '        - method: selector',
      '          value: nightly',
      '        - path:models/marts',
      '  - name: nightly',
      '    definition: tag:nightly',
    ];
    expect(selectWith(lines, 'marts_nightly')).toEqual(['customers', 'orders']);
  });

  it('YAML anchors reuse a definition', () => {
    const lines = [
      'selectors:',
      '  - name: nightly',
      '    definition: &nightly',
      '      method: tag',
      '      value: nightly',
      '  - name: nightly_tables',
      '    definition:',
      '      intersection:',
      '        - *nightly',
      '        - config.materialized:table',
    ];
    expect(selectWith(lines, 'nightly_tables')).toEqual(['customers', 'orders']);
  });

  it('name, description and default are read', () => {
    const text = ['selectors:', '  - name: nightly', '    description: runs every night', '    default: true', '    definition: tag:nightly', '  - name: other', '    definition: orders'];
    const selectors = parseSelectorsFile(text.join('\n'), 'selectors.yml');
    expect(selectors.get('nightly')).toMatchObject({ name: 'nightly', description: 'runs every night', default: true, file: 'selectors.yml', line: 2 });
    expect(selectors.get('other')).toMatchObject({ description: '', default: false, line: 6 });
  });

  it('an empty file defines no selectors', () => {
    expect(parseSelectorsFile('', 'selectors.yml').size).toBe(0);
    expect(parseSelectorsFile('# nothing yet\n', 'selectors.yml').size).toBe(0);
  });
});

describe('selectors.yml errors', () => {
  it('a YAML syntax error names the line', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition: [tag:x', '  - name: t']);
    expect(error.message).toMatch(/^invalid YAML/);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it('an unknown top-level key is refused with a did-you-mean', () => {
    const error = errorFor(['selector:', '  - name: s', '    definition: x']);
    expect(error.message).toBe("unknown key 'selector'");
    expect(error.hint).toBe("did you mean 'selectors'?");
    expect(error.line).toBe(1);
  });

  it('an unknown selector key is refused with a did-you-mean at its line', () => {
    const error = errorFor(['selectors:', '  - name: s', '    defintion: tag:x']);
    expect(error.message).toBe("unknown key 'defintion'");
    expect(error.hint).toBe("did you mean 'definition'?");
    expect(error.line).toBe(3);
  });

  it('an unknown key in a method mapping is refused with a did-you-mean at its line', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      method: tag', '      value: x', '      parent: true']);
    expect(error.message).toBe("unknown key 'parent'");
    expect(error.hint).toBe("did you mean 'parents'?");
    expect(error.line).toBe(6);
  });

  it('a missing definition is refused at the selector', () => {
    const error = errorFor(['selectors:', '  - name: ok', '    definition: x', '  - name: s', '    description: no definition']);
    expect(error.message).toBe("selector 's' has no definition:");
    expect(error.line).toBe(4);
  });

  it('a missing name is refused', () => {
    expect(errorFor(['selectors:', '  - definition: x']).message).toBe('a selector needs a name:');
  });

  it('an unknown method in a mapping is refused with a did-you-mean at its line', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      union:', '        - method: tags', '          value: x']);
    expect(error.message).toBe("invalid selector 'tags:x': unknown method 'tags'");
    expect(error.hint).toBe("did you mean 'tag'?");
    expect(error.line).toBe(5);
  });

  it('a malformed string definition is refused at its line', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      union:', '        - tag:x', '        - "@x+"']);
    expect(error.message).toBe("invalid selector '@x+': '@' and a '+' suffix cannot be combined");
    expect(error.line).toBe(6);
  });

  it('a reference to an unknown selector is refused with a did-you-mean at its line', () => {
    const error = errorFor(['selectors:', '  - name: nightly', '    definition: tag:nightly', '  - name: s', '    definition:', '      method: selector', '      value: nighlty']);
    expect(error.message).toBe("unknown selector 'nighlty'");
    expect(error.hint).toBe("did you mean 'nightly'?");
    expect(error.line).toBe(7);
  });

  it('selectors that refer to each other in a cycle are refused', () => {
    const error = errorFor(['selectors:', '  - name: a', '    definition: {method: selector, value: b}', '  - name: b', '    definition: {method: selector, value: a}']);
    expect(error.message).toBe('selectors refer to each other in a cycle: a -> b -> a');
  });

  it('two default selectors are refused', () => {
    const error = errorFor(['selectors:', '  - name: a', '    default: true', '    definition: x', '  - name: b', '    default: true', '    definition: y']);
    expect(error.message).toBe("selectors 'a' and 'b' both have default: true");
    expect(error.line).toBe(6);
  });

  it('a selector defined twice is refused', () => {
    const error = errorFor(['selectors:', '  - name: a', '    definition: x', '  - name: a', '    definition: y']);
    expect(error.message).toBe("selector 'a' is defined twice");
    expect(error.line).toBe(4);
  });

  it('two excludes in one list are refused', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      union:', '        - x', '        - exclude: [y]', '        - exclude: [z]']);
    expect(error.message).toBe('only one exclude: is allowed in a union: list');
    expect(error.line).toBe(7);
  });

  it('a root definition with union and another key is refused', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      union: [x]', '      exclude: [y]']);
    expect(error.message).toBe("'exclude' is not allowed at the root of a definition");
    expect(error.line).toBe(5);
  });

  it('an exclude on its own is refused', () => {
    expect(errorFor(['selectors:', '  - name: s', '    definition:', '      exclude: [y]']).message).toMatch(/^exclude: must be an item of a union/);
  });

  it('a plain list definition is refused', () => {
    expect(errorFor(['selectors:', '  - name: s', '    definition: [x, y]']).hint).toBe('wrap the list in union: or intersection:');
  });

  it('a depth without its operator is refused', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      method: fqn', '      value: x', '      parents_depth: 2']);
    expect(error.message).toBe('parents_depth has no effect without parents: true');
    expect(error.line).toBe(6);
  });

  it('a depth that is not a whole number is refused', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      method: fqn', '      value: x', '      children: true', '      children_depth: two']);
    expect(error.message).toBe('children_depth must be a whole number, 0 or more');
  });

  it('childrens_parents with children is refused', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      method: fqn', '      value: x', '      children: true', '      childrens_parents: true']);
    expect(error.message).toBe('childrens_parents and children cannot both be true');
  });

  it('a mapping without a value is refused', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      method: tag']);
    expect(error.message).toBe("method 'tag' needs a value:");
    expect(error.line).toBe(4);
  });

  it('a YAML key with no value (`- tag:`) is refused as a method without a value', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      union:', '        - tag:']);
    expect(error.message).toBe("method 'tag' needs a value:");
    expect(error.line).toBe(5);
  });

  it('a bad indirect_selection is refused with a did-you-mean', () => {
    const error = errorFor(['selectors:', '  - name: s', '    definition:', '      method: tag', '      value: x', '      indirect_selection: cautios']);
    expect(error.hint).toBe("did you mean 'cautious'?");
  });
});
