import { describe, expect, it } from 'vitest';
import { ColumnTypeInference, fits, inferColumnType } from './infer-column-type.js';

describe('inferColumnType', () => {
  it.each([
    [['true', 'FALSE', 'True'], 'boolean'],
    [['1', '-42', '+7', '2147483647', '-2147483648'], 'integer'],
    [['1', '2147483648'], 'bigint'],
    [['-9223372036854775808', '9223372036854775807'], 'bigint'],
    [['9223372036854775808'], 'text'],
    [['1', '2.5'], 'double'],
    [['1e3', '-2.5E-4', '.5', '0.25', '3.'], 'double'],
    [['2024-01-05', '2024-02-29'], 'date'],
    [['2024-01-05', '2024-01-05 10:30:00'], 'timestamp'],
    [['2024-01-05T10:30', '2024-01-05 10:30:00.123456', '2024-01-05T10:30:00Z', '2024-01-05T10:30:00+02:00', '2024-01-05 10:30:00-0530'], 'timestamp'],
    [['hello', '1'], 'text'],
  ] as const)('%j is %s', (values, expected) => {
    expect(inferColumnType(values)).toBe(expected);
  });

  it('ignores nulls, and a column of nulls only is text', () => {
    expect(inferColumnType([null, '3', null])).toBe('integer');
    expect(inferColumnType([null, null])).toBe('text');
    expect(inferColumnType([])).toBe('text');
  });

  it('keeps values with leading zeros as text, like zip codes and account numbers', () => {
    expect(inferColumnType(['00123', '123'])).toBe('text');
    expect(inferColumnType(['02134', '90210'])).toBe('text');
    expect(inferColumnType(['12345-6789'])).toBe('text');
    expect(inferColumnType(['007.5'])).toBe('text');
    expect(inferColumnType(['0', '0.5'])).toBe('double');
  });

  it('does not take near misses for booleans, dates or timestamps', () => {
    expect(inferColumnType(['yes', 'no'])).toBe('text');
    expect(inferColumnType(['1', '0', 'true'])).toBe('text');
    expect(inferColumnType(['2024-02-30'])).toBe('text');
    expect(inferColumnType(['2023-02-29'])).toBe('text');
    expect(inferColumnType(['2024-13-01'])).toBe('text');
    expect(inferColumnType(['2024-1-5'])).toBe('text');
    expect(inferColumnType(['2024-01-05T25:00:00'])).toBe('text');
    expect(inferColumnType(['2024-01-05T10'])).toBe('text');
    expect(inferColumnType(['2024-01-05t10:00:00'])).toBe('text');
    expect(inferColumnType(['NaN', 'Infinity'])).toBe('text');
  });

  it('narrows as values stream in', () => {
    const inference = new ColumnTypeInference();
    inference.add('1');
    expect(inference.type).toBe('integer');
    inference.add('5000000000');
    expect(inference.type).toBe('bigint');
    inference.add('1.5');
    expect(inference.type).toBe('double');
    inference.add('n/a');
    expect(inference.type).toBe('text');
    inference.add('2');
    expect(inference.type).toBe('text');
  });

  it('fits tells whether one value can be loaded as a kind', () => {
    expect(fits('42', 'double')).toBe(true);
    expect(fits('2024-01-05', 'timestamp')).toBe(true);
    expect(fits('anything', 'text')).toBe(true);
  });
});
