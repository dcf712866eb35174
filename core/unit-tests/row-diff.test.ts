import { describe, expect, it } from 'vitest';
import { diffRows, formatRowDiff } from './row-diff.js';

describe('diffRows', () => {
  it('ignores row order', () => {
    expect(diffRows([[1, 'a'], [2, 'b']], [[2, 'b'], [1, 'a']])).toEqual({ missing: [], extra: [] });
  });

  it('counts duplicates on each side', () => {
    expect(diffRows([[1], [1], [2]], [[1], [2], [2], [3]])).toEqual({ missing: [[1]], extra: [[2], [3]] });
  });

  it('tells null from the text null and numbers from their text', () => {
    expect(diffRows([[null], [1]], [['null'], ['1']])).toEqual({ missing: [[null], [1]], extra: [['null'], ['1']] });
  });
});

describe('formatRowDiff', () => {
  it('lines up a table, the expected version of a row before the actual one', () => {
    const text = formatRowDiff(['order_id', 'status'], { missing: [[2, 'shipped'], [10, null]], extra: [[2, 'placed'], [1, '']] });
    expect(text).toBe(
      [
        'actual differs from expected: 2 expected rows missing (-), 2 unexpected rows (+)',
        '  order_id | status',
        "+ 1        | ''",
        '- 2        | shipped',
        '+ 2        | placed',
        '- 10       | null',
      ].join('\n'),
    );
  });

  it('shows at most `limit` rows and says how many more differ', () => {
    const missing = Array.from({ length: 30 }, (_, i) => [i]);
    const lines = formatRowDiff(['id'], { missing, extra: [] }).split('\n');
    expect(lines).toHaveLength(2 + 20 + 1);
    expect(lines[0]).toBe('actual differs from expected: 30 expected rows missing (-)');
    expect(lines.at(-2)).toBe('- 19');
    expect(lines.at(-1)).toBe('  ... and 10 more');
  });

  it('cuts long values and keeps each row on one line', () => {
    const text = formatRowDiff(['note'], { missing: [], extra: [['x'.repeat(50)], ['two\nlines']] });
    expect(text.split('\n').slice(2)).toEqual(['+ two\\nlines', `+ ${'x'.repeat(39)}…`]);
  });
});
