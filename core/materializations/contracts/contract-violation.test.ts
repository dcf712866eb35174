import { describe, expect, it } from 'vitest';
import { compareWithContract, contractViolation, formatMismatches, type ContractMismatch } from './contract-violation.js';

// A stand-in for a dialect's sameType: case-insensitive, with one synonym.
const sameType = (a: string, b: string) => {
  const canon = (t: string) => (t.toLowerCase() === 'int' ? 'integer' : t.toLowerCase());
  return canon(a) === canon(b);
};
const col = (name: string, dataType: string) => ({ name, dataType });

describe('compareWithContract', () => {
  it('finds nothing when names match case-insensitively and types are the same, in any order', () => {
    expect(compareWithContract([col('id', 'int'), col('Note', 'varchar')], [col('NOTE', 'VARCHAR'), col('ID', 'INTEGER')], sameType)).toEqual([]);
  });

  it('lists missing columns, then extra ones, then type mismatches', () => {
    const declared = [col('id', 'int'), col('amount', 'decimal(10,2)'), col('placed_at', 'timestamp'), col('note', 'varchar')];
    const actual = [col('id', 'BIGINT'), col('note', 'VARCHAR'), col('is_gift', 'BOOLEAN'), col('amount', 'DOUBLE')];
    expect(compareWithContract(declared, actual, sameType)).toEqual([
      { problem: 'missing', column: 'placed_at', declared: 'timestamp' },
      { problem: 'extra', column: 'is_gift', actual: 'BOOLEAN' },
      { problem: 'type', column: 'id', declared: 'int', actual: 'BIGINT' },
      { problem: 'type', column: 'amount', declared: 'decimal(10,2)', actual: 'DOUBLE' },
    ]);
  });

  it('reports every column as extra against an empty contract and as missing against no columns', () => {
    expect(compareWithContract([], [col('a', 'INTEGER')], sameType)).toEqual([{ problem: 'extra', column: 'a', actual: 'INTEGER' }]);
    expect(compareWithContract([col('a', 'int')], [], sameType)).toEqual([{ problem: 'missing', column: 'a', declared: 'int' }]);
  });
});

describe('contract violation message', () => {
  const mismatches: ContractMismatch[] = [
    { problem: 'missing', column: 'placed_at', declared: 'timestamp' },
    { problem: 'extra', column: 'is_gift', actual: 'BOOLEAN' },
    { problem: 'type', column: 'id', declared: 'int', actual: 'BIGINT' },
  ];

  it('is an aligned table of column, contract type, model type and problem', () => {
    expect(formatMismatches(mismatches)).toBe(
      [
        '| column    | contract  | model   | problem                |',
        '|-----------|-----------|---------|------------------------|',
        '| placed_at | timestamp |         | missing from the model |',
        '| is_gift   |           | BOOLEAN | not in the contract    |',
        '| id        | int       | BIGINT  | data type mismatch     |',
      ].join('\n'),
    );
  });

  it('counts each kind, points at the YAML and says the existing relation was kept', () => {
    const error = contractViolation('orders', mismatches, { file: 'models/orders.yml', line: 3 }, 'table "main"."orders"');
    expect(error.message.split('\n')[0]).toBe("the columns of model 'orders' do not match its enforced contract (1 missing, 1 extra, 1 with another data type):");
    expect(error.message).toContain(formatMismatches(mismatches));
    expect(error.file).toBe('models/orders.yml');
    expect(error.line).toBe(3);
    expect(error.hint).toMatch(/; the existing table "main"\."orders" was left as it was$/);
    expect(contractViolation('orders', mismatches.slice(2), {}, undefined).message.split('\n')[0]).toContain('(1 with another data type)');
    expect(contractViolation('orders', mismatches.slice(2), {}, undefined).hint).not.toContain('left as it was');
  });
});
