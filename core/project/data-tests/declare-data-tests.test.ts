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

describe("generic tests get dbt's names and unique_ids", () => {
  it("gives a jaffle_shop-shaped project's tests the unique_ids dbt-core gives them", async () => {
    // The YAML of dbt-labs' jaffle_shop, as far as the tests go; the ids are those dbt-core writes for it.
    const project = await loadTestProject({
      'project.yml': 'name: jaffle_shop\n',
      'models/customers.sql': 'select 1 as customer_id',
      'models/orders.sql': "select 1 as order_id, 1 as customer_id, 'placed' as status",
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: customers',
        '    columns:',
        '      - name: customer_id',
        '        data_tests: [unique, not_null]',
        '  - name: orders',
        '    columns:',
        '      - name: order_id',
        '        tests: [unique, not_null]',
        '      - name: customer_id',
        '        tests:',
        '          - relationships:',
        "              to: ref('customers')",
        '              field: customer_id',
        '      - name: status',
        '        tests:',
        '          - accepted_values:',
        '              arguments:',
        "                values: ['placed', 'shipped', 'completed', 'return_pending', 'returned']",
        '',
      ].join('\n'),
    });
    const tests = [...project.nodes.values()].filter((n) => n.resource_type === 'test');
    expect(tests.map((t) => t.unique_id).sort()).toEqual([
      'test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
      'test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d',
      'test.jaffle_shop.not_null_orders_order_id.cf6c17daed',
      'test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2',
      'test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1',
      'test.jaffle_shop.unique_orders_order_id.fed79b3a6e',
    ]);
    const accepted = tests.find((t) => t.name.startsWith('accepted_values'))!;
    expect(accepted.alias).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758');
    expect(accepted.path).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758.sql');
    expect(accepted.test_metadata).toEqual({
      name: 'accepted_values',
      namespace: null,
      kwargs: { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'], column_name: 'status', model: "{{ get_where_subquery(ref('orders')) }}" },
    });
  });

  it("names a source's tests source_<test>, reads dbt's configs written beside the arguments, and keeps a test's description", async () => {
    const project = await loadTestProject({
      'project.yml': 'name: jaffle_shop\n',
      'models/stg.sql': "select * from {{source 'jaffle_shop' 'customers'}}",
      'models/sources.yml': [
        'version: 2',
        'sources:',
        '  - name: jaffle_shop',
        '    tables:',
        '      - name: customers',
        '        columns:',
        '          - name: id',
        '            tests:',
        '              - unique',
        '              - not_null:',
        '                  meta: {owner: ops}',
        '                  alias: nn_customers',
        '                  description: Every customer has an id',
        '',
      ].join('\n'),
    });
    const tests = [...project.nodes.values()].filter((n) => n.resource_type === 'test');
    expect(tests.map((t) => t.unique_id)).toEqual(['test.jaffle_shop.source_unique_jaffle_shop_customers_id.2777a7933e', expect.stringMatching(/^test\.jaffle_shop\.source_not_null_jaffle_shop_customers_id\.[0-9a-f]{10}$/)]);
    expect(tests[0].test_metadata?.kwargs.model).toBe("{{ get_where_subquery(source('jaffle_shop', 'customers')) }}");
    const notNull = tests[1];
    expect(notNull.config.meta).toEqual({ owner: 'ops' });
    expect(notNull.alias).toBe('nn_customers');
    expect(notNull.description).toBe('Every customer has an id');
    expect(Object.keys(notNull.test_metadata!.kwargs)).toEqual(['column_name', 'model']);
  });
});
