import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { parseSelectionArgs, parseSelectionAtom } from './parse-selection-args.js';

describe('parseSelectionArgs', () => {
  it('splits values on whitespace into a union and on commas into an intersection', () => {
    const spec = parseSelectionArgs(['a  tag:x,b', 'c']);
    expect(spec.kind).toBe('union');
    if (spec.kind !== 'union') return;
    expect(spec.specs.map((part) => part.kind)).toEqual(['criteria', 'intersection', 'criteria']);
    const intersection = spec.specs[1];
    if (intersection.kind !== 'intersection') return;
    expect(intersection.specs.map((part) => (part.kind === 'criteria' ? `${part.method}:${part.value}` : part.kind))).toEqual(['tag:x', 'fqn:b']);
  });

  it('an empty list is an empty union', () => {
    expect(parseSelectionArgs([])).toEqual({ kind: 'union', specs: [] });
  });
});

describe('parseSelectionAtom', () => {
  it('parses method, dotted arguments and value', () => {
    expect(parseSelectionAtom('config.meta.owner:finance')).toMatchObject({ method: 'config', args: ['meta', 'owner'], value: 'finance' });
  });

  it('picks the default method from the value: path, file or fqn', () => {
    expect(parseSelectionAtom('models/staging').method).toBe('path');
    expect(parseSelectionAtom('stg_orders.sql').method).toBe('file');
    expect(parseSelectionAtom('raw_customers.CSV').method).toBe('file');
    expect(parseSelectionAtom('staging.stg_orders').method).toBe('fqn');
  });

  it('parses graph operators with and without depths', () => {
    expect(parseSelectionAtom('+x')).toMatchObject({ value: 'x', parents: true, parentsDepth: null, children: false });
    expect(parseSelectionAtom('2+tag:x+3')).toMatchObject({ method: 'tag', value: 'x', parents: true, parentsDepth: 2, children: true, childrenDepth: 3 });
    expect(parseSelectionAtom('@x')).toMatchObject({ value: 'x', childrensParents: true, parents: false, children: false });
    expect(parseSelectionAtom('x+')).toMatchObject({ value: 'x', children: true, childrenDepth: null });
  });

  it('keeps a + that is not an operator in the value', () => {
    expect(parseSelectionAtom('a+b')).toMatchObject({ value: 'a+b', children: false });
  });
});

describe('malformed selectors', () => {
  it('a method without a value is refused, naming the argument', () => {
    const error = catchError(() => parseSelectionArgs(['tag:']));
    expect(error.message).toBe("invalid selector 'tag:': no value after 'tag:'");
    expect(error.file).toBeUndefined();
  });

  it('operators without a node name are refused', () => {
    expect(catchError(() => parseSelectionArgs(['+'])).message).toBe("invalid selector '+': no node name");
  });

  it('@ with a + suffix is refused', () => {
    const error = catchError(() => parseSelectionArgs(['@x+']));
    expect(error.message).toBe("invalid selector '@x+': '@' and a '+' suffix cannot be combined");
    expect(error.hint).toMatch(/'@x' or 'x\+'/);
  });

  it('an unknown method is refused with a did-you-mean', () => {
    const error = catchError(() => parseSelectionArgs(['tags:x']));
    expect(error.message).toBe("invalid selector 'tags:x': unknown method 'tags'");
    expect(error.hint).toBe("did you mean 'tag'?");
    expect(catchError(() => parseSelectionArgs(['confg.materialized:table'])).hint).toBe("did you mean 'config'?");
    expect(catchError(() => parseSelectionArgs(['resource-type:seed'])).hint).toBe("did you mean 'resource_type'?");
  });

  it('an unknown method with no close match lists the methods', () => {
    const error = catchError(() => parseSelectionArgs(['materialized:table']));
    expect(error.hint).toMatch(/^methods: fqn, tag, path, file, package, source, resource_type, config/);
  });

  it('the error names the bad atom inside a union or intersection', () => {
    expect(catchError(() => parseSelectionArgs(['stg_orders tag:nightly,tags:x'])).message).toMatch(/^invalid selector 'tags:x'/);
  });

  it('config without a key is refused', () => {
    const error = catchError(() => parseSelectionArgs(['config:table']));
    expect(error.message).toBe("invalid selector 'config:table': method 'config' needs a key");
    expect(error.hint).toBe("write e.g. 'config.materialized:table'");
  });

  it('arguments on a method that takes none are refused', () => {
    expect(catchError(() => parseSelectionArgs(['tag.x:y'])).message).toBe("invalid selector 'tag.x:y': method 'tag' takes no '.x'");
  });

  it('an unknown resource type is refused with a did-you-mean', () => {
    const error = catchError(() => parseSelectionArgs(['resource_type:modle']));
    expect(error.message).toBe("invalid selector 'resource_type:modle': 'modle' is not a resource type");
    expect(error.hint).toBe("did you mean 'model'?");
  });

  it('a source selector with too many parts is refused', () => {
    expect(catchError(() => parseSelectionArgs(['source:a.b.c.d'])).message).toMatch(/'a\.b\.c\.d' is not a source selector/);
  });

  it('an absolute path is refused', () => {
    expect(catchError(() => parseSelectionArgs(['path:/home/me/models'])).message).toMatch(/is absolute/);
  });

  it('empty parts around commas are refused', () => {
    expect(catchError(() => parseSelectionArgs(['a,,b'])).message).toBe("invalid selector 'a,,b': empty part around ','");
    expect(catchError(() => parseSelectionArgs(['tag:x,'])).message).toMatch(/empty part/);
  });

  it('a value with nothing in it is refused', () => {
    expect(catchError(() => parseSelectionArgs(['  '])).message).toBe('empty selector');
  });
});

function catchError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}
