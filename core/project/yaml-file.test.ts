import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { lineOf, loadYaml, YamlFile } from './yaml-file.js';

describe('yaml files', () => {
  it('a syntax error names the file and line', () => {
    const text = 'models:\n  - name: a\n    description: "unterminated\n  - name: b\n';
    let caught: unknown;
    try {
      loadYaml(text, 'models/schema.yml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).file).toBe('models/schema.yml');
    expect((caught as UserError).line).toBeGreaterThanOrEqual(3);
  });

  it('lineOf finds the line of a nested key', () => {
    const text = 'version: 2\nmodels:\n  - name: a\n  - name: b\n    columns:\n      - name: id\n        tests: [uniq]\n';
    expect(lineOf(text, ['models', 1, 'columns', 0, 'tests'])).toBe(7);
    expect(lineOf(text, ['models', 1])).toBe(4);
    expect(lineOf(text, ['models', 1, 'missing'])).toBe(4);
  });

  it('errors point at the path they are about', () => {
    const f = new YamlFile('p.yml', 'a:\n  b:\n    c: 1\n');
    const error = f.error(['a', 'b', 'c'], 'bad c');
    expect(error.line).toBe(3);
    expect(error.format()).toBe('p.yml:3: bad c');
  });

  it('dates stay strings so seeds and vars keep what was written', () => {
    expect(loadYaml('d: 2024-01-01', 'x.yml')).toEqual({ d: '2024-01-01' });
  });
});
