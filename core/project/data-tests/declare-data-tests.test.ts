import { describe, expect, it } from 'vitest';
import { loadTestProject } from '../test-project.js';

const yml = (name: string) => `version: 2\nmodels:\n  - name: ${name}\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n`;

describe('declareDataTests', () => {
  it('applies folder configs, a test-level config and the test’s own config, in that order, to fresh objects per test', async () => {
    const project = await loadTestProject({
      'project.yml': 'name: shop\ndata_tests:\n  shop:\n    +severity: warn\n    +tags: [checked]\n    staging:\n      unique_a_id:\n        +severity: error\n',
      'models/staging/a.sql': '{{config tags="daily"}}select 1 as id',
      'models/staging/b.sql': 'select 1 as id',
      'models/staging/_a.yml': yml('a'),
      'models/staging/_b.yml': yml('b').replace('[unique, not_null]', "[unique, {not_null: {config: {where: 'id > 0'}}}]"),
    });
    const test = (name: string) => [...project.nodes.values()].find((n) => n.name === name)!;
    expect(test('unique_a_id').config.severity).toBe('ERROR');
    expect(test('not_null_a_id').config.severity).toBe('WARN');
    expect(test('not_null_b_id').config.where).toBe('id > 0');
    expect(test('unique_b_id').config.where).toBeNull();
    // The attached model's tags first, then the test's own.
    expect(test('unique_a_id').tags).toEqual(['daily', 'checked']);
    expect(test('unique_a_id').config.tags).toBe(test('unique_a_id').tags);
    expect(test('unique_b_id').tags).toEqual(['checked']);
    // Tests of one folder share no mutable objects.
    expect(test('unique_b_id').config).not.toBe(test('not_null_b_id').config);
    expect(test('unique_b_id').config.tags).not.toBe(test('not_null_b_id').config.tags);
    expect(test('unique_b_id').config.meta).not.toBe(test('not_null_b_id').config.meta);
    test('unique_b_id').config.tags.push('x');
    expect(test('not_null_b_id').config.tags).toEqual(['checked']);
  });

  it("gives test nodes a model node's keys in the same order, then the test's own, and says where each was declared", async () => {
    const project = await loadTestProject({ 'project.yml': 'name: shop\n', 'models/a.sql': 'select 1 as id', 'models/_a.yml': yml('a') });
    const model = project.nodes.get('model.shop.a')!;
    const tests = [...project.nodes.values()].filter((n) => n.resource_type === 'test');
    expect(tests.map((t) => t.name)).toEqual(['unique_a_id', 'not_null_a_id']);
    for (const t of tests) {
      expect(Object.keys(t)).toEqual([...Object.keys(model), 'test_metadata', 'column_name', 'attached_node']);
      expect(Object.keys(t.config).slice(0, 6)).toEqual(Object.keys(model.config).slice(0, 6));
      expect(t.fqn).toEqual(['shop', t.name]);
      expect(t.path).toBe(`${t.name}.sql`);
      expect(t.original_file_path).toBe('models/_a.yml');
      expect(t.depends_on).toEqual({ nodes: ['model.shop.a'], macros: [] });
      expect(t.unique_id).toMatch(new RegExp(`^test\\.shop\\.${t.name}\\.[0-9a-f]{10}$`));
      expect(t.declared_at?.file).toBe('models/_a.yml');
      expect(JSON.stringify(t)).not.toContain('declared_at');
    }
    expect(tests[0].declared_at?.line()).toBe(6);
  });
});
