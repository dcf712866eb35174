import { describe, expect, it } from 'vitest';
import { FixtureError, fixtureTableSql, readFixtureTable } from './fixture-table.js';

describe('readFixtureTable', () => {
  it('dict rows: columns in order of first appearance, missing values null, YAML types kept', () => {
    const table = readFixtureTable([{ id: 1, status: "it's" }, { ID: 2, paid: true }, { amount: 2.5 }], 'dict', { role: 'input' });
    expect(table).toEqual({
      columns: ['id', 'status', 'paid', 'amount'],
      types: [null, null, null, null],
      rows: [
        ['1', "'it''s'", 'null', 'null'],
        ['2', 'null', 'true', 'null'],
        ['null', 'null', 'null', '2.5'],
      ],
    });
  });

  it('dict rows: text that reads as dates or timestamps in every row is typed so', () => {
    const table = readFixtureTable([{ d: '2024-01-05', ts: '2024-01-05 10:00:00', code: '2024-01-05' }, { d: null, ts: '2024-02-01', code: 'n/a' }], 'dict', { role: 'input' });
    expect(table.types).toEqual(['date', 'timestamp', null]);
  });

  it('known columns: declared types win, and columns left out of the rows are null', () => {
    const known = [
      { name: 'ID', type: 'bigint' },
      { name: 'note', type: null },
      { name: 'amount', type: 'decimal(10,2)' },
    ];
    const table = readFixtureTable([{ id: 1, d: '2024-01-05' }], 'dict', { role: 'input', known });
    expect(table).toEqual({ columns: ['id', 'd', 'note', 'amount'], types: ['bigint', 'date', null, 'decimal(10,2)'], rows: [['1', "'2024-01-05'", 'null', 'null']] });
  });

  it('expected rows are text, to be cast to the model types later', () => {
    const table = readFixtureTable([{ id: 1, ok: true, d: '2024-01-05', x: null }], 'dict', { role: 'expect' });
    expect(table).toEqual({ columns: ['id', 'ok', 'd', 'x'], types: [null, null, null, null], rows: [["'1'", "'true'", "'2024-01-05'", 'null']] });
  });

  it('csv text: trimmed, empty values null, quoted values kept, typed like a seed', () => {
    const table = readFixtureTable('id, name ,amount,flag,day\n1, Ann ,10.5,true,2024-01-05\n2,"Bob, Jr",,false,\n', 'csv', { role: 'input' });
    expect(table).toEqual({
      columns: ['id', 'name', 'amount', 'flag', 'day'],
      types: ['integer', 'varchar', 'double precision', 'boolean', 'date'],
      rows: [
        ["'1'", "'Ann'", "'10.5'", "'true'", "'2024-01-05'"],
        ["'2'", "'Bob, Jr'", 'null', "'false'", 'null'],
      ],
    });
  });

  it('csv text with another delimiter (a seed setting)', () => {
    expect(readFixtureTable('a;b\n1;x\n', 'csv', { role: 'expect', delimiter: ';' }).columns).toEqual(['a', 'b']);
  });

  const failures: [string, unknown, 'dict' | 'csv', Partial<FixtureError>][] = [
    ['rows that are not a list', { id: 1 }, 'dict', { message: "'rows' must be a list of mappings" }],
    ['a row that is not a mapping', [{ id: 1 }, 'x'], 'dict', { message: 'row 2 is not a mapping of column to value', row: 1 }],
    ['a nested value', [{ id: { a: 1 } }], 'dict', { row: 0 }],
    ['rows naming no column and no known columns', [], 'dict', { message: 'the rows name no column, and the columns of this input are not known' }],
    ['csv that is not text', [{ id: 1 }], 'csv', { message: "with format: csv, 'rows' must be a CSV text" }],
    ['an empty csv', '\n', 'csv', { message: 'the CSV rows have no header' }],
    ['a csv row of the wrong length', 'a,b\n1,2\n\n3\n', 'csv', { message: 'a CSV row has 1 values for 2 columns', line: 4 }],
    ['a csv header naming a column twice', 'a,A\n', 'csv', { message: "the CSV header names column 'A' twice", line: 1 }],
    ['an unclosed quote', 'a\n"x\n', 'csv', { line: 2 }],
  ];
  for (const [what, rows, format, expected] of failures) {
    it(`rejects ${what}`, () => {
      let caught: unknown;
      try {
        readFixtureTable(rows, format, { role: 'input' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FixtureError);
      expect(caught).toMatchObject(expected);
    });
  }
});

describe('fixtureTableSql', () => {
  it('one select per row, cast outside the union when types are known', () => {
    const sql = fixtureTableSql({ columns: ['id', 'my "day"'], types: [null, 'date'], rows: [['1', "'2024-01-05'"], ['2', 'null']] });
    expect(sql).toBe(
      'select "id", cast("my ""day""" as date) as "my ""day"""\nfrom (\n' +
        `select 1 as "id", '2024-01-05' as "my ""day"""\nunion all\nselect 2 as "id", null as "my ""day"""\n) as __strata_rows`,
    );
  });

  it('no cast and no wrapping when no type is known', () => {
    expect(fixtureTableSql({ columns: ['a'], types: [null], rows: [['1']] })).toBe('select 1 as "a"');
  });

  it('no rows: typed nulls that select nothing', () => {
    expect(fixtureTableSql({ columns: ['a', 'b'], types: ['integer', null], rows: [] })).toBe('select cast(null as integer) as "a", null as "b"\nwhere 1 = 0');
  });
});
