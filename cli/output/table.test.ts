import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns columns, right-aligns numbers and prints NULL', () => {
    expect(formatTable(['id', 'name'], [[1, 'a'], [22, null]])).toBe('| id | name |\n| -- | ---- |\n|  1 | a    |\n| 22 | NULL |');
  });

  it('keeps each row on one line: line breaks and tabs in a value are shown escaped', () => {
    const table = formatTable(['note'], [['two\nlines'], ['a\ttab\r']]);
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain('| two\\nlines |');
    expect(table).toContain('| a\\ttab\\r   |');
  });
});
