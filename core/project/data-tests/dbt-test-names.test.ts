import { describe, expect, it } from 'vitest';
import { genericTestHash, modelArgument, pythonRepr, pythonStr, synthesizeTestNames } from './dbt-test-names.js';

/** A test's name and unique_id hash, from what its YAML declares. */
function dbtTest(test: string, namespace: string | null, target: { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string }, args: Record<string, unknown>) {
  const prefixed = `${namespace ? `${namespace}_` : ''}${target.kind === 'source' ? 'source_' : ''}${test}`;
  const label = target.kind === 'ref' ? target.name : `${target.source}_${target.table}`;
  const names = synthesizeTestNames(prefixed, label, args);
  return { ...names, hash: genericTestHash(names.name, { name: test, namespace, kwargs: { ...args, model: modelArgument(target) } }) };
}

describe("dbt's generic test names and ids", () => {
  // unique_ids as dbt-core writes them for dbt-labs' jaffle_shop (project jaffle_shop).
  it("gives jaffle_shop's tests the names and unique_ids dbt gives them", () => {
    const orders = { kind: 'ref', name: 'orders' } as const;
    expect(dbtTest('unique', null, { kind: 'ref', name: 'customers' }, { column_name: 'customer_id' })).toEqual({ name: 'unique_customers_customer_id', shortName: 'unique_customers_customer_id', hash: 'c5af1ff4b1' });
    expect(dbtTest('unique', null, orders, { column_name: 'order_id' }).hash).toBe('fed79b3a6e');
    expect(dbtTest('not_null', null, orders, { column_name: 'order_id' }).hash).toBe('cf6c17daed');
    expect(dbtTest('not_null', null, { kind: 'ref', name: 'stg_customers' }, { column_name: 'customer_id' }).hash).toBe('e2cfb1f9aa');
    expect(dbtTest('unique', null, { kind: 'ref', name: 'stg_payments' }, { column_name: 'payment_id' }).hash).toBe('3744510712');
    // Arguments in sorted order (column_name, field, to), whatever order the YAML has.
    expect(dbtTest('relationships', null, orders, { to: "ref('customers')", field: 'customer_id', column_name: 'customer_id' })).toEqual({
      name: 'relationships_orders_customer_id__customer_id__ref_customers_',
      shortName: 'relationships_orders_customer_id__customer_id__ref_customers_',
      hash: 'c6ec7f58f2',
    });
    // A long name keeps its whole text; the file and the relation get the short name.
    expect(dbtTest('accepted_values', null, orders, { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'], column_name: 'status' })).toEqual({
      name: 'accepted_values_orders_status__placed__shipped__completed__return_pending__returned',
      shortName: 'accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758',
      hash: 'be6b5b5ec3',
    });
    // A source's test: source_ before the test's name, and source('a', 'b') as its model.
    expect(dbtTest('unique', null, { kind: 'source', source: 'jaffle_shop', table: 'customers' }, { column_name: 'id' })).toEqual({
      name: 'source_unique_jaffle_shop_customers_id',
      shortName: 'source_unique_jaffle_shop_customers_id',
      hash: '2777a7933e',
    });
  });

  it('names a namespaced test and a test without arguments as dbt does', () => {
    expect(dbtTest('expression_is_true', 'dbt_utils', { kind: 'ref', name: 'orders' }, { expression: 'amount >= 0' }).name).toBe('dbt_utils_expression_is_true_orders_amount_0');
    expect(dbtTest('at_least_one', null, { kind: 'ref', name: 'orders' }, {}).name).toBe('at_least_one_orders_');
    // A mapping argument contributes its values; a value that is itself a list, Python's str() of it.
    expect(synthesizeTestNames('t', 'm', { b: { x: 1, y: [1, 'a'] }, a: true }).name).toBe('t_m_True__1___1_a_');
  });

  it("writes values as Python's str() and repr() do", () => {
    expect(pythonStr(true)).toBe('True');
    expect(pythonStr(null)).toBe('None');
    expect(pythonStr(5)).toBe('5');
    expect(pythonStr(0.95)).toBe('0.95');
    expect(pythonStr(0.0001)).toBe('0.0001');
    expect(pythonStr(0.00001)).toBe('1e-05');
    expect(pythonStr(1.5e16)).toBe('1.5e+16');
    expect(pythonStr(['a', 1, null])).toBe("['a', 1, None]");
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr('say "hi"')).toBe(`'say "hi"'`);
    expect(pythonRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pythonRepr('a\\b\nc\td\u0001')).toBe("'a\\\\b\\nc\\td\\x01'");
    expect(pythonRepr('café ✓')).toBe("'café ✓'");
  });
});
