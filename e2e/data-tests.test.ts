import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects } from './harness.js';

const project = tempProjects();
const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, 'target', file), 'utf8'));
const statuses = (dir: string) =>
  Object.fromEntries((json(dir, 'run_results.json').results as { unique_id: string; status: string; failures: number | null }[]).map((r) => [r.unique_id.split('.')[2], [r.status, r.failures]]));

// orders has a duplicate id (2), a null id, and a status outside the accepted list.
const seeds = {
  'seeds/customers.csv': 'id,name\n1,Ada\n2,Ben\n',
  'seeds/orders.csv': 'id,customer_id,status,amount\n1,1,placed,10\n2,1,shipped,20\n2,2,shipped,5\n,2,lost,7\n5,9,placed,1\n',
};

function schema(tests: string): string {
  return `version: 2\nseeds:\n  - name: orders\n    columns:\n${tests}`;
}

describe('data tests', () => {
  it('built-in generic tests count failing rows and show samples', async () => {
    const dir = project({
      ...seeds,
      'seeds/schema.yml': schema(
        "      - name: id\n        data_tests: [unique, not_null]\n      - name: status\n        data_tests:\n          - accepted_values:\n              arguments: {values: [placed, shipped]}\n      - name: customer_id\n        data_tests:\n          - relationships:\n              arguments: {to: ref('customers'), field: id}\n      - name: amount\n        data_tests: [not_null]\n",
      ),
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    const { code, output } = await strata(dir, 'test');
    expect(code).toBe(1);
    const s = statuses(dir);
    expect(s.unique_orders_id).toEqual(['fail', 1]);
    expect(s.not_null_orders_id).toEqual(['fail', 1]);
    expect(s.accepted_values_orders_status__placed__shipped).toEqual(['fail', 1]);
    // dbt's names: the arguments in sorted order (column_name, field, to).
    expect(s.relationships_orders_customer_id__id__ref_customers_).toEqual(['fail', 1]);
    expect(s.not_null_orders_amount).toEqual(['pass', 0]);
    expect(output).toMatch(/FAIL 1 unique_orders_id/);
    expect(output).toContain('Got 1 result, configured to fail if != 0');
    expect(output).toContain('compiled SQL: ');
    expect(output).toContain('| unique_field | n_records |');
    expect(output).toContain('Done. PASS=1 WARN=0 ERROR=4 SKIP=0 TOTAL=5');
    const manifest = json(dir, 'manifest.json');
    const test = Object.values(manifest.nodes).find((n) => (n as { name: string }).name === 'unique_orders_id') as Record<string, unknown>;
    expect(test).toMatchObject({ resource_type: 'test', attached_node: 'seed.shop.orders', column_name: 'id', test_metadata: { name: 'unique' }, depends_on: { nodes: ['seed.shop.orders'] } });
  });

  it("dbt_utils' recency, sequential_values, equality and cardinality_equality are built in too", async () => {
    const t = (test: string, name: string, args: string) => `          - ${test}:\n              name: ${name}\n              arguments: ${args}\n`;
    const yaml = [
      'version: 2',
      'seeds:',
      '  - name: events',
      '    data_tests:',
      t('dbt_utils.recency', 'fresh_within_a_day', '{datepart: day, field: seen_at, interval: 1}').replace(/^ {4}/gm, ''),
      t('dbt_utils.recency', 'fresh_within_a_year_by_kind', '{datepart: year, field: seen_at, interval: 1, group_by_columns: [kind]}').replace(/^ {4}/gm, ''),
      t('dbt_utils.recency', 'dated_since_yesterday', '{datepart: day, field: seen_at, interval: 1, ignore_time_component: true}').replace(/^ {4}/gm, ''),
      t('dbt_utils.equality', 'same_as_copy', "{compare_model: ref('events_copy')}").replace(/^ {4}/gm, ''),
      t('dbt_utils.equality', 'same_as_other', "{compare_model: ref('events_other')}").replace(/^ {4}/gm, ''),
      t('dbt_utils.equality', 'same_ids_as_other', "{compare_model: ref('events_other'), compare_columns: [id]}").replace(/^ {4}/gm, ''),
      t('dbt_utils.equality', 'same_as_other_but_ids', "{compare_model: ref('events_other'), exclude_columns: [id]}").replace(/^ {4}/gm, ''),
      t('dbt_utils.equality', 'same_as_other_but_kinds', "{compare_model: ref('events_other'), exclude_columns: [kind]}").replace(/^ {4}/gm, ''),
      '    columns:',
      '      - name: id',
      '        data_tests:',
      t('dbt_utils.sequential_values', 'ids_in_sequence', '{}'),
      t('dbt_utils.sequential_values', 'ids_in_sequence_by_kind', '{group_by_columns: [kind]}'),
      t('dbt_utils.cardinality_equality', 'ids_as_often_as_in_copy', "{to: ref('events_copy'), field: id}"),
      t('dbt_utils.cardinality_equality', 'ids_as_often_as_in_other', "{to: ref('events_other'), field: id}"),
      '      - name: day',
      '        data_tests:',
      t('dbt_utils.sequential_values', 'days_in_sequence', '{datepart: day}'),
    ].join('\n');
    // events: ids 1, 2, 4 (a gap; in sequence within each kind), days 1, 2, 3 January, one recent event; events_other differs in one row.
    const now = new Date(Date.now() - 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    const dir = project({
      'seeds/events.csv': `id,kind,day,seen_at\n1,a,2024-01-01,2024-01-01 10:00:00\n2,a,2024-01-02,2024-01-02 10:00:00\n4,b,2024-01-03,${now}\n`,
      'seeds/events_copy.csv': `id,kind,day,seen_at\n4,b,2024-01-03,${now}\n1,a,2024-01-01,2024-01-01 10:00:00\n2,a,2024-01-02,2024-01-02 10:00:00\n`,
      'seeds/events_other.csv': `id,kind,day,seen_at\n1,a,2024-01-01,2024-01-01 10:00:00\n2,a,2024-01-02,2024-01-02 10:00:00\n2,b,2024-01-03,${now}\n`,
      'seeds/schema.yml': yaml,
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect((await strata(dir, 'test')).code).toBe(1);
    expect(statuses(dir)).toEqual({
      fresh_within_a_day: ['pass', 0],
      // Kind a's newest event is from 2024.
      fresh_within_a_year_by_kind: ['fail', 1],
      dated_since_yesterday: ['pass', 0],
      same_as_copy: ['pass', 0],
      // The third rows differ: one row each way.
      same_as_other: ['fail', 2],
      same_ids_as_other: ['fail', 1],
      // Only the ids differ: leaving them out passes, leaving out another column does not.
      same_as_other_but_ids: ['pass', 0],
      same_as_other_but_kinds: ['fail', 2],
      ids_in_sequence: ['fail', 1],
      ids_in_sequence_by_kind: ['pass', 0],
      ids_as_often_as_in_copy: ['pass', 0],
      // (2, 1) and (4, 1) are not in other, (2, 2) is only there.
      ids_as_often_as_in_other: ['fail', 3],
      days_in_sequence: ['pass', 0],
    });
  });

  it("dbt_utils' mutually_exclusive_ranges is built in, with its gaps and zero_length_range_allowed", async () => {
    const t = (name: string, args: string, config = '') =>
      `      - dbt_utils.mutually_exclusive_ranges:\n          name: ${name}\n          arguments: {lower_bound_column: lo, upper_bound_column: hi${args}}\n${config ? `          config: ${config}\n` : ''}`;
    const only_a = `{where: "kind = 'a'"}`;
    const yaml = [
      'version: 2',
      'seeds:',
      '  - name: ranges',
      '    data_tests:',
      t('ranges_allowed', ', partition_by: kind'),
      t('ranges_zero_length_ok', ', partition_by: kind, zero_length_range_allowed: true'),
      t('a_gaps_allowed', '', only_a),
      t('a_gaps_not_allowed', ', gaps: not_allowed', only_a),
      t('a_gaps_required', ', gaps: required', only_a),
    ].join('\n');
    // Kind a: [0,10) [10,20) then a gap to [25,30). Kind b: [0,5) overlaps [3,8), then [8,8) is empty.
    const dir = project({
      'seeds/ranges.csv': 'id,kind,lo,hi\n1,a,0,10\n2,a,10,20\n3,a,25,30\n4,b,0,5\n5,b,3,8\n6,b,8,8\n',
      'seeds/schema.yml': yaml,
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect((await strata(dir, 'test')).code).toBe(1);
    expect(statuses(dir)).toEqual({
      // [0,5) runs past 3, and [8,8) is empty.
      ranges_allowed: ['fail', 2],
      ranges_zero_length_ok: ['fail', 1],
      a_gaps_allowed: ['pass', 0],
      // [10,20) does not end where [25,30) starts.
      a_gaps_not_allowed: ['fail', 1],
      // [0,10) ends where [10,20) starts: no gap.
      a_gaps_required: ['fail', 1],
    });
    const bad = project({ 'seeds/ranges.csv': 'id,lo,hi\n1,0,1\n', 'seeds/schema.yml': ['version: 2', 'seeds:', '  - name: ranges', '    data_tests:', t('r', ', gaps: sometimes')].join('\n') });
    const { code, output } = await strata(bad, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("seeds/schema.yml:5: test 'mutually_exclusive_ranges': 'gaps' cannot be \"sometimes\"");
    expect(output).toContain('hint: one of: not_allowed, allowed, required');
  });

  it("refuses dbt_utils' arguments a built-in does not take, unless the project writes the test itself", async () => {
    const yaml = "version: 2\nseeds:\n  - name: orders\n    data_tests:\n      - dbt_utils.equality:\n          arguments: {compare_model: ref('customers'), precision: 2}\n";
    const dir = project({ ...seeds, 'seeds/schema.yml': yaml });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("seeds/schema.yml:5: test 'equality' here does not take dbt_utils' argument 'precision'");
    expect(output).toContain('hint: round the columns in the models compared, or write macros/test_equality.sql');
    const own = project({ ...seeds, 'seeds/schema.yml': yaml, 'macros/test_equality.sql': 'select * from {{model}} where false' });
    expect((await strata(own, 'parse')).code).toBe(0);
  });

  it("dbt_utils' generic tests are built in, declared as dbt_utils.<name> (or bare), with dbt_utils' defaults", async () => {
    const t = (test: string, name: string, args: string, config = '') => `          - ${test}:\n              name: ${name}\n              arguments: ${args}\n${config ? `              config: ${config}\n` : ''}`;
    const yaml = [
      'version: 2',
      'seeds:',
      '  - name: orders',
      '    data_tests:',
      t('dbt_utils.expression_is_true', 'positive_amounts', '{expression: "amount > 0"}').replace(/^ {4}/gm, ''),
      t('dbt_utils.equal_rowcount', 'as_many_as_customers', "{compare_model: ref('customers')}").replace(/^ {4}/gm, ''),
      t('dbt_utils.fewer_rows_than', 'fewer_than_customers', "{compare_model: ref('customers')}").replace(/^ {4}/gm, ''),
      '    columns:',
      '      - name: amount',
      '        data_tests:',
      t('dbt_utils.expression_is_true', 'amount_at_least_5', '{expression: ">= 5"}'),
      t('dbt_utils.accepted_range', 'amount_5_to_20', '{min_value: 5, max_value: 20}'),
      t('dbt_utils.accepted_range', 'amount_above_5', '{min_value: 5, inclusive: false}'),
      t('dbt_utils.accepted_range', 'amount_at_most_0', '{max_value: 0}'),
      t('accepted_range', 'amount_from_0', '{min_value: 0}'),
      '      - name: status',
      '        data_tests:',
      t('dbt_utils.not_accepted_values', 'never_lost', '{values: [lost]}'),
      t('dbt_utils.not_constant', 'status_varies', '{}'),
      t('dbt_utils.not_constant', 'shipped_status_varies', '{}', `{where: "status = 'shipped'"}`),
      t('dbt_utils.not_empty_string', 'status_not_blank', '{}'),
      '      - name: id',
      '        data_tests:',
      t('dbt_utils.at_least_one', 'some_id', '{}'),
      t('dbt_utils.at_least_one', 'some_null_id', '{}', '{where: "id is null"}'),
      t('dbt_utils.not_null_proportion', 'id_90_percent', '{at_least: 0.9}'),
      t('dbt_utils.not_null_proportion', 'id_80_percent', '{at_least: 0.8}'),
      '      - name: customer_id',
      '        data_tests:',
      t('dbt_utils.relationships_where', 'known_customers', "{to: ref('customers'), field: id}"),
      t('dbt_utils.relationships_where', 'known_customers_below_9', "{to: ref('customers'), field: id, from_condition: 'customer_id < 9'}"),
    ].join('\n');
    const dir = project({ ...seeds, 'seeds/schema.yml': yaml });
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect((await strata(dir, 'test')).code).toBe(1);
    expect(statuses(dir)).toEqual({
      positive_amounts: ['pass', 0],
      as_many_as_customers: ['fail', 1],
      fewer_than_customers: ['fail', 1],
      amount_at_least_5: ['fail', 1],
      amount_5_to_20: ['fail', 1],
      amount_above_5: ['fail', 2],
      amount_at_most_0: ['fail', 5],
      amount_from_0: ['pass', 0],
      never_lost: ['fail', 1],
      status_varies: ['pass', 0],
      shipped_status_varies: ['fail', 1],
      status_not_blank: ['pass', 0],
      some_id: ['pass', 0],
      some_null_id: ['fail', 1],
      id_90_percent: ['fail', 1],
      id_80_percent: ['pass', 0],
      known_customers: ['fail', 1],
      known_customers_below_9: ['pass', 0],
    });
    // As in dbt, a passing test has no message; a failing one says what it got.
    const results = json(dir, 'run_results.json').results as { unique_id: string; message: string | null }[];
    expect(results.find((r) => r.unique_id.startsWith('test.shop.positive_amounts.'))?.message).toBeNull();
    expect(results.find((r) => r.unique_id.startsWith('test.shop.amount_above_5.'))?.message).toMatch(/^Got 2 results, configured to fail if != 0/);
    const manifest = json(dir, 'manifest.json');
    const range = Object.values(manifest.nodes).find((n) => (n as { name: string }).name === 'amount_5_to_20') as Record<string, unknown>;
    expect(range).toMatchObject({ test_metadata: { name: 'accepted_range', namespace: 'dbt_utils' } });
    const equal = Object.values(manifest.nodes).find((n) => (n as { name: string }).name === 'as_many_as_customers') as { depends_on: { nodes: string[] } };
    expect(equal.depends_on.nodes.sort()).toEqual(['seed.shop.customers', 'seed.shop.orders']);
  });

  it("names a dbt package's test a project cannot have, and gives a package's test dbt's name", async () => {
    const missing = project({ ...seeds, 'seeds/schema.yml': schema('      - name: amount\n        data_tests:\n          - dbt_expectations.expect_column_values_to_be_between:\n              arguments: {min_value: 0}\n') });
    const { code, output } = await strata(missing, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("seeds/schema.yml:7: 'dbt_expectations.expect_column_values_to_be_between' is a test of the dbt package dbt_expectations, and Strata installs no packages");
    expect(output).toContain('for another, write macros/test_expect_column_values_to_be_between.sql');
    const own = project({
      ...seeds,
      'macros/test_expect_column_values_to_be_between.sql': 'select * from {{model}} where {{column_name}} < {{min_value}}',
      'seeds/schema.yml': schema('      - name: amount\n        data_tests:\n          - dbt_expectations.expect_column_values_to_be_between:\n              arguments: {min_value: 2}\n          - dbt_utils.not_constant\n'),
    });
    expect((await strata(own, 'seed')).code).toBe(0);
    await strata(own, 'test');
    // A name of 64 characters or more stays whole; as in dbt, its file and relation get a shorter
    // alias (the first 30 characters and an md5).
    const long = 'dbt_expectations_expect_column_values_to_be_between_orders_amount__2';
    expect(Object.entries(statuses(own)).sort()).toEqual([
      [long, ['fail', 1]],
      ['dbt_utils_not_constant_orders_amount', ['pass', 0]],
    ]);
    const node = Object.values(json(own, 'manifest.json').nodes).find((n) => (n as { name: string }).name === long) as { alias: string; path: string; config: { alias: string } };
    expect(node.alias).toMatch(/^dbt_expectations_expect_column_[0-9a-f]{32}$/);
    expect(node.config.alias).toBe(node.alias);
    expect(node.path).toBe(`${node.alias}.sql`);
    expect(existsSync(path.join(own, 'target/compiled/shop/seeds/schema.yml', node.path))).toBe(true);
  });

  it('custom generic tests are macros used from YAML like the built-ins; singular tests are SQL files', async () => {
    const dir = project({
      ...seeds,
      'macros/test_is_positive.sql': 'select * from {{model}} where {{column_name}} <= {{default minimum 0}}',
      'macros/default.js': 'export default function (value, fallback) { return value === undefined ? fallback : value; }',
      'tests/no_big_orders.sql': 'select * from {{ref "orders"}} where amount > 15',
      'seeds/schema.yml': schema('      - name: amount\n        data_tests:\n          - is_positive\n          - is_positive:\n              arguments: {minimum: 6}\n              name: amount_above_six\n'),
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    await strata(dir, 'test');
    expect(statuses(dir)).toEqual({ is_positive_orders_amount: ['pass', 0], amount_above_six: ['fail', 2], no_big_orders: ['fail', 1] });
    const generic = await strata(dir, 'ls', '--output', 'name', '-s', 'test_type:generic');
    expect(generic.output.trim().split('\n').sort()).toEqual(['amount_above_six', 'is_positive_orders_amount']);
    expect((await strata(dir, 'ls', '--output', 'name', '-s', 'test_type:singular')).output.trim()).toBe('no_big_orders');
    // dbt's test_name: the generic test's name, whatever the test node is called; wildcards allowed.
    const byName = await strata(dir, 'ls', '--output', 'name', '-s', 'test_name:is_positive');
    expect(byName.output.trim().split('\n').sort()).toEqual(['amount_above_six', 'is_positive_orders_amount']);
    expect((await strata(dir, 'ls', '--output', 'name', '-s', 'test_name:is_*')).output.trim().split('\n').sort()).toEqual(['amount_above_six', 'is_positive_orders_amount']);
    expect((await strata(dir, 'ls', '--output', 'name', '-s', 'test_name:is_pos*,amount_*')).output.trim()).toBe('amount_above_six');
  });

  it('severity, warn_if/error_if, where, limit and folder configs', async () => {
    const dir = project({
      ...seeds,
      'project.yml': projectYml('data_tests:\n  shop:\n    +severity: warn\n'),
      'tests/strict.sql': '{{config severity="error"}}\nselect * from {{ref "orders"}} where amount > 15',
      'seeds/schema.yml': schema(
        '      - name: id\n        data_tests:\n          - unique\n          - not_null:\n              config: {where: "status = \'placed\'", severity: error}\n      - name: amount\n        data_tests:\n          - accepted_values:\n              arguments: {values: [10, 20], quote: false}\n              config: {severity: error, warn_if: ">= 1", error_if: "> 3", limit: 10}\n',
      ),
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    const { code, output } = await strata(dir, 'test');
    const s = statuses(dir);
    expect(s.unique_orders_id).toEqual(['warn', 1]);
    expect(s.not_null_orders_id).toEqual(['pass', 0]);
    expect(s.accepted_values_orders_amount__False__10__20).toEqual(['warn', 3]);
    expect(s.strict).toEqual(['fail', 1]);
    expect(code).toBe(1);
    expect(output).toContain('Warning in test unique_orders_id');
  });

  it("data_tests: in project.yml is checked like the other folder configs: a misspelled key is refused, a path naming no test is warned of", async () => {
    const misspelled = project({ ...seeds, 'project.yml': projectYml('data_tests:\n  shop:\n    +severty: warn\n'), 'seeds/schema.yml': schema('      - name: id\n        data_tests: [unique]\n') });
    const refused = await strata(misspelled, 'parse');
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("project.yml:5: unknown config key 'severty' for a test");
    expect(refused.output).toContain("did you mean '+severity'?");
    const unused = project({ ...seeds, 'project.yml': projectYml('tests:\n  shop:\n    marts:\n      +severity: warn\n'), 'seeds/schema.yml': schema('      - name: id\n        data_tests: [unique]\n') });
    const warned = await strata(unused, 'parse');
    expect(warned.code, warned.output).toBe(0);
    expect(warned.output).toContain('- tests.shop.marts (project.yml:5)');
  });

  it('store_failures keeps the failing rows in an audit table and names it', async () => {
    const dir = project({ ...seeds, 'seeds/schema.yml': schema('      - name: id\n        data_tests:\n          - unique:\n              config: {store_failures: true}\n') });
    expect((await strata(dir, 'seed')).code).toBe(0);
    const { output } = await strata(dir, 'test');
    expect(output).toContain('failing rows stored in "shop"."main_strata_test__audit"."unique_orders_id"');
    expect(await queryProject(dir, 'select unique_field, n_records::int as n from main_strata_test__audit.unique_orders_id')).toEqual([{ unique_field: 2, n: 2 }]);
  });

  it('--store-failures keeps the failing rows of tests that do not set store_failures; a test\'s own store_failures: false wins', async () => {
    const dir = project({ ...seeds, 'seeds/schema.yml': schema('      - name: id\n        data_tests:\n          - unique\n          - not_null:\n              config: {store_failures: false}\n') });
    expect((await strata(dir, 'seed')).code).toBe(0);
    const audit = "select table_name from information_schema.tables where table_schema = 'main_strata_test__audit' order by 1";
    expect((await strata(dir, 'test')).code).toBe(1);
    expect(await queryProject(dir, audit)).toEqual([]);
    const { code, output } = await strata(dir, 'test', '--store-failures');
    expect(code).toBe(1);
    expect(output).toContain('failing rows stored in "shop"."main_strata_test__audit"."unique_orders_id"');
    expect(await queryProject(dir, audit)).toEqual([{ table_name: 'unique_orders_id' }]);
    expect(json(dir, 'run_results.json').args.store_failures).toBe(true);
  });

  it('build --resource-type and --exclude-resource-type narrow what build runs', async () => {
    const dir = project({ ...seeds, 'models/stg.sql': 'select * from {{ref "customers"}}', 'seeds/schema.yml': schema('      - name: status\n        data_tests: [not_null]\n') });
    expect((await strata(dir, 'build', '--exclude-resource-type', 'test')).code).toBe(0);
    expect(Object.keys(statuses(dir)).sort()).toEqual(['customers', 'orders', 'stg']);
    expect((await strata(dir, 'build', '--resource-type', 'test')).code).toBe(0);
    expect(Object.keys(statuses(dir))).toEqual(['not_null_orders_status']);
    expect((await strata(dir, 'build', '--resource-type', 'model', 'seed', '--exclude-resource-type', 'seed')).code).toBe(0);
    expect(Object.keys(statuses(dir))).toEqual(['stg']);
    const typo = await strata(dir, 'build', '--exclude-resource-type', 'tset');
    expect(typo.code).toBe(2);
    expect(typo.output).toContain("--exclude-resource-type: unknown resource type 'tset'");
  });

  it('selecting a model selects its tests; --indirect-selection empty does not; disabled tests do not run', async () => {
    const dir = project({
      ...seeds,
      'seeds/schema.yml': `version: 2\nseeds:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [not_null]\n      - name: amount\n        data_tests:\n          - unique:\n              config: {enabled: false}\n  - name: customers\n    columns:\n      - name: id\n        data_tests: [unique]\n`,
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    await strata(dir, 'test', '-s', 'customers');
    expect(Object.keys(statuses(dir))).toEqual(['unique_customers_id']);
    const empty = await strata(dir, 'test', '-s', 'customers', '--indirect-selection', 'empty');
    expect(empty.output).toContain('Nothing to do');
  });

  it('in build, a failing test skips the descendants of the model it tests; a warning does not', async () => {
    const dir = project({
      ...seeds,
      'models/stg_orders.sql': 'select * from {{ref "orders"}}',
      'models/order_report.sql': 'select count(*) as n from {{ref "stg_orders"}}',
      'models/stg_customers.sql': 'select * from {{ref "customers"}}',
      'models/customer_report.sql': 'select count(*) as n from {{ref "stg_customers"}}',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: id\n        data_tests: [unique]\n  - name: stg_customers\n    columns:\n      - name: name\n        data_tests:\n          - accepted_values:\n              arguments: {values: [Ada]}\n              config: {severity: warn}\n',
    });
    const { code, output } = await strata(dir, 'build');
    expect(code).toBe(1);
    const s = statuses(dir);
    expect(s.unique_stg_orders_id[0]).toBe('fail');
    expect(s.order_report[0]).toBe('skipped');
    expect(s.accepted_values_stg_customers_name__Ada[0]).toBe('warn');
    expect(s.customer_report[0]).toBe('success');
    expect(output).toMatch(/SKIP .*order_report/);
  });

  it('--warn-error: a test that would warn fails (and skips what is downstream), and any other warning ends the command with exit code 2', async () => {
    const dir = project({
      ...seeds,
      'models/stg_customers.sql': 'select * from {{ref "customers"}}',
      'models/customer_report.sql': 'select count(*) as n from {{ref "stg_customers"}}',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_customers\n    columns:\n      - name: name\n        data_tests:\n          - accepted_values:\n              arguments: {values: [Ada]}\n              config: {severity: warn}\n',
    });
    const { code, output } = await strata(dir, 'build', '--warn-error');
    expect(code).toBe(1);
    const s = statuses(dir);
    expect(s.accepted_values_stg_customers_name__Ada).toEqual(['fail', 1]);
    expect(s.customer_report[0]).toBe('skipped');
    expect(output).toContain('Got 1 result, configured to warn if != 0, a failure with --warn-error');
    // Without the flag the same build warns and succeeds.
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(statuses(dir).accepted_values_stg_customers_name__Ada[0]).toBe('warn');
    // A warning that is not a test's: a selection criterion that matches nothing.
    const unmatched = await strata(dir, 'run', '-s', 'stg_customers', 'stg_custmers', '--warn-error');
    expect(unmatched.code).toBe(2);
    expect(unmatched.output).toContain("The selection criterion 'stg_custmers' does not match any enabled nodes");
    expect(unmatched.output).toContain('--warn-error: 1 warning above, treated as error');
    expect((await strata(dir, 'run', '-s', 'stg_customers', 'stg_custmers')).code).toBe(0);
  });

  it('malformed declarations name the YAML file and line', async () => {
    const unknown = project({ ...seeds, 'seeds/schema.yml': schema('      - name: id\n        data_tests: [uniqe]\n') });
    let result = await strata(unknown, 'parse');
    expect(result.code).toBe(2);
    expect(result.output).toContain("seeds/schema.yml:6: no generic test named 'uniqe'");
    expect(result.output).toContain("did you mean 'unique'?");

    const missing = project({ ...seeds, 'seeds/schema.yml': schema('      - name: status\n        data_tests:\n          - accepted_values:\n              arguments: {quote: true}\n') });
    result = await strata(missing, 'parse');
    expect(result.code).toBe(2);
    expect(result.output).toContain("seeds/schema.yml:7: test 'accepted_values' needs the argument 'values'");

    const badRef = project({ ...seeds, 'seeds/schema.yml': schema("      - name: customer_id\n        data_tests:\n          - relationships:\n              arguments: {to: ref('custmers'), field: id}\n") });
    result = await strata(badRef, 'parse');
    expect(result.code).toBe(2);
    expect(result.output).toContain('seeds/schema.yml:7: ');

    const noColumn = project({ ...seeds, 'seeds/schema.yml': schema('      - name: idd\n        data_tests: [not_null]\n') });
    expect((await strata(noColumn, 'seed')).code).toBe(0);
    result = await strata(noColumn, 'test');
    expect(result.code).toBe(1);
    expect(result.output).toContain("column 'idd' does not exist in the tested relation (test declared at seeds/schema.yml:6)");
    expect(statuses(noColumn).not_null_orders_idd[0]).toBe('error');
  });
});

describe('data test options', () => {
  it('limit caps the failing rows counted; tags select tests; duckdb__test_<name> overrides a built-in', async () => {
    const dir = project({
      ...seeds,
      'macros/duckdb__test_not_null.sql': "select {{column_name}} from {{model}} where {{column_name}} is null or {{column_name}}::varchar = 'lost'",
      'seeds/schema.yml': schema(
        '      - name: amount\n        data_tests:\n          - accepted_values:\n              arguments: {values: [10], quote: false}\n              config: {limit: 2, tags: [nightly]}\n      - name: status\n        data_tests: [not_null]\n',
      ),
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    await strata(dir, 'test', '-s', 'tag:nightly');
    expect(statuses(dir)).toEqual({ accepted_values_orders_amount__False__10: ['fail', 2] });
    await strata(dir, 'test', '-s', 'test_type:generic', '--exclude', 'tag:nightly');
    // The DuckDB override also counts 'lost', which the built-in not_null would pass.
    expect(statuses(dir)).toEqual({ not_null_orders_status: ['fail', 1] });
  });
});

describe('data tests of a model that failed', () => {
  it('are skipped in build', async () => {
    const dir = project({
      'models/broken.sql': 'select * from no_such_table',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: broken\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    const { code, output } = await strata(dir, 'build');
    expect(code).toBe(1);
    expect(statuses(dir)).toEqual({ broken: ['error', null], not_null_broken_id: ['skipped', null] });
    expect(output).toContain('ERROR=1 SKIP=1');
  });
});

describe('compile', () => {
  it('renders tests too, generic ones under their YAML file as dbt lays them out', async () => {
    const dir = project({
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
      'tests/no_ids.sql': 'select * from {{ref "a"}} where id is null',
    });
    const { code, output } = await strata(dir, 'compile');
    expect(code, output).toBe(0);
    expect(output).toContain('Compiled 1 model and 2 tests');
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/schema.yml/not_null_a_id.sql'), 'utf8')).toBe('select id\nfrom "shop"."main"."a"\nwhere id is null');
    expect(readFileSync(path.join(dir, 'target/compiled/shop/tests/no_ids.sql'), 'utf8')).toBe('select * from "shop"."main"."a" where id is null');
    const manifest = json(dir, 'manifest.json');
    const test = Object.values(manifest.nodes).find((n) => (n as { name: string }).name === 'not_null_a_id') as { compiled_path: string };
    expect(test.compiled_path).toBe('target/compiled/shop/models/schema.yml/not_null_a_id.sql');
  });
});
