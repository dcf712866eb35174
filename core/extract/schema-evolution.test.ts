import { describe, expect, it } from 'vitest';
import { combinedSchema, findSchemaProblem, typeChangeProblem, typeFamily } from './schema-evolution.js';

describe('schema evolution across loads', () => {
  it('widening within a family and anything to text are taken', () => {
    for (const [from, to] of [['INTEGER', 'BIGINT'], ['BIGINT', 'DOUBLE'], ['DECIMAL(10,2)', 'DECIMAL(12,4)'], ['BIGINT', 'VARCHAR'], ['VARCHAR', 'BIGINT'], ['DATE', 'TIMESTAMP'], ['TIMESTAMP', 'TIMESTAMPTZ'], ['VARCHAR', 'JSON']]) {
      expect(typeChangeProblem(from, to), `${from} -> ${to}`).toBeUndefined();
    }
  });

  it('a change across families is refused: number to boolean, number to struct, timestamp to number, blob to number', () => {
    expect(typeChangeProblem('BIGINT', 'BOOLEAN')).toBe('BIGINT cannot become BOOLEAN');
    expect(typeChangeProblem('BIGINT', 'STRUCT(a INTEGER)')).toBe('BIGINT cannot become STRUCT(a INTEGER)');
    expect(typeChangeProblem('VARCHAR', 'INTEGER[]')).toBe('VARCHAR cannot become INTEGER[]');
    expect(typeChangeProblem('TIMESTAMPTZ', 'BIGINT')).toBeDefined();
    expect(typeChangeProblem('BLOB', 'UBIGINT')).toBeDefined();
    expect(typeFamily('MAP(VARCHAR, INTEGER)')).toBe('nested');
  });

  it('names the first column whose change the earlier loads cannot take; new and removed columns are fine', () => {
    const before = [{ name: 'id', type: 'BIGINT' }, { name: 'gift', type: 'BIGINT' }, { name: 'gone', type: 'VARCHAR' }];
    expect(findSchemaProblem(before, [{ name: 'id', type: 'HUGEINT' }, { name: 'added', type: 'BOOLEAN' }])).toBeUndefined();
    expect(findSchemaProblem(before, [{ name: 'id', type: 'BIGINT' }, { name: 'gift', type: 'BOOLEAN' }])).toMatchObject({ column: 'gift', from: 'BIGINT', to: 'BOOLEAN' });
  });

  it('the combined schema of loads keeps every column once and a real type over a later all-null VARCHAR', () => {
    expect(combinedSchema([[{ name: 'a', type: 'BIGINT' }], [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'DATE' }], [{ name: 'b', type: 'TIMESTAMP' }]])).toEqual([
      { name: 'a', type: 'BIGINT' },
      { name: 'b', type: 'TIMESTAMP' },
    ]);
  });
});
