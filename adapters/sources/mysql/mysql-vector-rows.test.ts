import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBParquetAppender } from '../../duckdb/duckdb-parquet-appender.js';
import { queryDuckDB, withTempFile } from '../../../e2e/duckdb-query.js';
import type { ColumnBatch } from '../../../core/lake/column-batch.js';
import { MySqlTextRows } from './mysql-text-rows.js';
import { packet } from './mysql-test-packets.js';
import { MySqlVectorRows, vectorKinds } from './mysql-vector-rows.js';
import { mapMySqlColumn, type MySqlColumnInfo } from './mysql-types.js';

// Not UTC, so that a timestamp computed in the machine's zone would show.
process.env.TZ = 'America/New_York';

const info = (name: string, dataType: string, columnType = dataType, precision: number | null = null, scale: number | null = null): MySqlColumnInfo => ({
  name,
  dataType,
  columnType,
  precision,
  scale,
  isJson: dataType === 'json',
});

const encoder = new DuckDBParquetAppender();
afterAll(async () => {
  await encoder.close();
});

const constants = [
  { column: { name: '_strata_load_id', type: 'VARCHAR' }, value: 'L1' },
  { column: { name: '_strata_loaded_at', type: 'TIMESTAMPTZ' }, value: '2026-12-01T11:32:08.719Z' },
];

function readParquet(bytes: Uint8Array, columns: string[]): Promise<{ schema: Record<string, unknown>[]; rows: Record<string, unknown>[] }> {
  return withTempFile(bytes, async (file) => {
    const schema = await queryDuckDB(`select name, type, converted_type, scale, precision, logical_type::varchar logical from parquet_schema('${file}')`);
    // Every value as text (exact), in file order; instants in UTC.
    const rows = await queryDuckDB(`select ${columns.map((c) => `"${c}"::varchar "${c}"`).join(', ')}, _strata_load_id, _strata_loaded_at::varchar loaded from read_parquet('${file}')`, { setup: ["set TimeZone = 'UTC'"] });
    return { schema, rows };
  });
}

/** A small deterministic generator (no Math.random: a failure must be reproducible). */
function generator(start: number) {
  let seed = start;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // The high bits: an LCG's low bits repeat with a short period (some picks would never come up).
    return Math.floor((seed / 2147483648) * n);
  };
  return { next, pick: <T,>(list: T[]): T => list[next(list.length)] };
}

describe('MySQL row packets as DuckDB vectors', () => {
  const infos = [
    info('id', 'bigint'),
    info('small', 'smallint'),
    info('tiny', 'tinyint', 'tinyint(3) unsigned'),
    info('count', 'int', 'int(10) unsigned'),
    info('big', 'bigint', 'bigint(20) unsigned'),
    info('amount', 'decimal', 'decimal(12,2)', 12, 2),
    info('rate', 'decimal', 'decimal(4,1)', 4, 1),
    info('huge', 'decimal', 'decimal(18,4)', 18, 4),
    info('wider', 'decimal', 'decimal(30,5)', 30, 5),
    info('ratio', 'double'),
    info('name', 'varchar'),
    info('note', 'text'),
    info('doc', 'json'),
    info('paid_at', 'timestamp'),
    info('local', 'datetime'),
    info('born', 'date'),
    info('dur', 'time'),
  ];
  const columns = infos.map((c) => mapMySqlColumn(c, undefined));
  const names = columns.map((c) => c.column.name);
  const kinds = vectorKinds(columns)!;

  it('every column here takes the vector path; BIT, binary and zoned DATETIME columns do not', () => {
    expect(kinds).toHaveLength(columns.length);
    for (const other of [info('flag', 'bit', 'bit(1)'), info('flags', 'bit', 'bit(8)'), info('raw', 'varbinary'), info('blob', 'blob')]) {
      expect(vectorKinds([mapMySqlColumn(other, undefined)])).toBeUndefined();
    }
    expect(vectorKinds([mapMySqlColumn(info('local', 'datetime'), 'Europe/Berlin')])).toBeUndefined();
    expect(vectorKinds([mapMySqlColumn(info('local', 'datetime'), undefined)])).toHaveLength(1);
  });

  it('lands the same Parquet schema and values as the text path, for seeded random rows over several blocks and reused memory', async () => {
    const { next, pick } = generator(7);
    const texts = ['', 'a', 'plain', 'twelve bytes', 'thirteen byte', 'tab\there', 'say "hi"', 'line\nbreak', 'cr\rhere', 'é ü 日本', '\\N', 'NULL', ' padded ',
      'a26942c0-ed7a-11f1-bda3-02fc00000001', 'x'.repeat(72), 'y'.repeat(73), 'z'.repeat(251), 'é'.repeat(40), 'w'.repeat(70000)];
    const dates = ['2026-11-01', '0000-00-00', '2026-00-10', '2026-11-00', '1000-01-01', '9999-12-31', '1969-12-31', '1970-01-01', '2024-02-29', '1900-03-01'];
    const times = ['00:00:00', '23:59:59', '12:30:05'];
    const fractions = ['', '.5', '.123456', '.000001', '.12', '.999999'];
    const signed = (digits: number) => `${next(2) ? '-' : ''}${String(next(10 ** Math.min(digits, 9))).padStart(1, '0')}${digits > 9 ? String(next(10 ** (digits - 9))).padStart(digits - 9, '0') : ''}`;
    const field = (name: string): string | Buffer | null => {
      if (name !== 'id' && next(7) === 0) return null;
      switch (name) {
        case 'small':
          return pick(['-32768', '32767', '0', String(next(30000) - 15000)]);
        case 'tiny':
          return pick(['0', '255', String(next(256))]);
        case 'count':
          return pick(['0', '4294967295', '2147483648', String(next(2147483647))]);
        case 'big':
          return pick(['0', '18446744073709551615', '9223372036854775808', '9007199254740993', '999999999999999', '1000000000000000', String(next(2147483647))]);
        case 'amount':
          return pick(['0.00', '-9999999999.99', '9999999999.99', '0.01', '-0.01', `${signed(8)}.${String(next(100)).padStart(2, '0')}`]);
        case 'rate':
          return pick(['0.0', '-999.9', '999.9', `${next(1000)}.${next(10)}`]);
        case 'huge':
          return pick(['99999999999999.9999', '-99999999999999.9999', '9007199254.7409', '900719925474.0993', '0.0001', `${signed(13)}.${String(next(10000)).padStart(4, '0')}`]);
        case 'wider':
          return pick(['1234567890123456789012345.12345', '-0.00001', '0.00000']);
        case 'ratio':
          return pick(['0', '-0', '1.5', '0.1', '1e300', '-2.2250738585072014e-308', '5e-324', '1.7976931348623157e308', '3.141592653589793']);
        case 'name':
        case 'note':
        case 'dur':
          return name === 'dur' ? pick(['-838:59:59', '838:59:59', '00:00:00', '12:30:00.5']) : pick(texts);
        case 'doc':
          return pick(['{"a": [1, 2], "b": "x"}', '[]', '"line\\nbreak"', '{"s": "a\\tb"}', 'null', '3.5', '{"é": "日本"}']);
        case 'born':
          return pick(dates);
        default:
          return `${pick(dates)} ${pick(times)}${pick(fractions)}`;
      }
    };
    // The last packets of a socket read end at the buffer's end: some rows have no bytes after them.
    const packets = Array.from({ length: 5000 }, (_, i) => packet([String(i * 3 - 7000), ...names.slice(1).map(field)], next(3) === 0 ? 0 : 16));
    const textColumns = columns.map((c) => c.column);
    let reuse: ColumnBatch | undefined;
    for (const range of [[0, 4500], [4500, 5000], [0, 2049]]) {
      const text = new MySqlTextRows(columns, { primaryKey: ['id'], cursor: 'paid_at' });
      const vector = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'], cursor: 'paid_at', ...(reuse ? { reuse } : {}) });
      for (const p of packets.slice(range[0], range[1])) {
        text.row(p);
        vector.row(p);
      }
      expect(vector.lastKey).toEqual(text.lastKey);
      const textBatch = text.take();
      const vectorBatch = vector.take();
      expect(vectorBatch.rows).toBe(range[1] - range[0]);
      expect(vectorBatch.blocks).toHaveLength(Math.ceil((range[1] - range[0]) / 2048));
      expect(vectorBatch.cursor).toEqual(textBatch.cursor);
      const viaText = await readParquet(await encoder.encodeText(textBatch.text, textColumns, constants, textBatch.longestLine), names);
      const viaVectors = await readParquet(await encoder.encodeColumns(vectorBatch, textColumns, constants), names);
      expect(viaVectors.schema).toEqual(viaText.schema);
      expect(viaVectors.rows).toHaveLength(range[1] - range[0]);
      expect(viaVectors.rows).toEqual(viaText.rows);
      reuse = vectorBatch;
    }
  });

  it('values as DuckDB reads them: exact past 2^53, before 1970 and after 2255, nulls and zero dates', async () => {
    const rows = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'], cursor: 'id' });
    const values = ['-5', '255', '4294967295', '18446744073709551615', '-0.05', '-0.5', '99999999999999.9999', '1.00000', '1e2', '', '{}', '{"a":1}', '1969-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999', '1000-01-01', '-01:00:00'];
    rows.row(packet(['9007199254740993', ...values]));
    rows.row(packet(['-9007199254740993', null, null, null, null, null, null, null, null, null, null, null, null, '0000-00-00 00:00:00', '2026-11-01 00:00:00', '2026-00-01', null]));
    expect(rows.lastKey).toEqual(['-9007199254740993']);
    const batch = rows.take();
    expect(batch.cursor).toEqual({ min: -9007199254740993n, max: 9007199254740993n });
    const read = await readParquet(await encoder.encodeColumns(batch, columns.map((c) => c.column), constants), names);
    expect(read.rows[0]).toEqual({
      id: '9007199254740993', small: '-5', tiny: '255', count: '4294967295', big: '18446744073709551615', amount: '-0.05', rate: '-0.5', huge: '99999999999999.9999', wider: '1.00000',
      ratio: '100.0', name: '', note: '{}', doc: '{"a":1}', paid_at: '1969-12-31 23:59:59.999999+00', local: '9999-12-31 23:59:59.999999', born: '1000-01-01', dur: '-01:00:00', _strata_load_id: 'L1', loaded: '2026-12-01 11:32:08.719+00',
    });
    expect(read.rows[1]).toMatchObject({ id: '-9007199254740993', small: null, name: null, paid_at: null, local: '2026-11-01 00:00:00', born: null, dur: null });
  });

  it('a value that is not UTF-8 text, or a date that does not exist, fails the chunk naming the column', () => {
    const rows = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'] });
    const fields = (at: number, value: string | Buffer) => names.map((_n, i) => (i === 0 ? '1' : i === at ? value : null));
    expect(() => rows.row(packet(fields(names.indexOf('name'), Buffer.from([0x61, 0xff, 0x62]))))).toThrow(/column name: a value that is not UTF-8/);
    expect(() => rows.row(packet(fields(names.indexOf('born'), '2026-02-30')))).toThrow(/column born: MySQL sent '2026-02-30', which is not a valid date/);
    expect(() => rows.row(packet(fields(names.indexOf('paid_at'), '2026-02-01 24:00:00')))).toThrow(/column paid_at/);
    // On the date of the timestamp before (the parser's inline path): a bad hour or digit is still an error.
    rows.row(packet(fields(names.indexOf('paid_at'), '2026-02-01 10:00:00.000000')));
    for (const bad of ['2026-02-01 24:00:00.000000', '2026-02-01 10:60:00.000000', '2026-02-01 10:0x:00.000000', '2026-02-01 10:00:00.00000x', '2026-02-01 10:00:00-000000']) {
      expect(() => rows.row(packet(fields(names.indexOf('paid_at'), bad)))).toThrow(/column paid_at/);
    }
    expect(() => rows.row(packet(fields(names.indexOf('amount'), '1.234')))).toThrow(/column amount: MySQL sent '1.234', which is not a valid DECIMAL with scale 2/);
    expect(() => rows.row(packet(fields(names.indexOf('count'), '12x')))).toThrow(/column count/);
  });
});
