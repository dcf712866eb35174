import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDB, withTempFile } from '../../e2e/duckdb-query.js';
import { DuckDBParquetAppender } from './duckdb-parquet-appender.js';

// Not UTC, so that an offset-less TIMESTAMPTZ read as the machine's zone would show (DuckDB takes its default zone from TZ).
process.env.TZ = 'America/New_York';

const encoder = new DuckDBParquetAppender();
afterAll(async () => {
  await encoder.close();
});

function readBack(bytes: Uint8Array, sql: string): Promise<Record<string, unknown>[]> {
  return withTempFile(bytes, (file) => queryDuckDB(sql.replace('$file', `'${file}'`)));
}

describe('DuckDBParquetAppender.encodeText', () => {
  // Values at the edges of each type the CSV reader parses itself (no VARCHAR and cast in between).
  const columns = [
    { name: 'id', type: 'UBIGINT' },
    { name: 'big', type: 'DECIMAL(38,10)' },
    { name: 'amount', type: 'DECIMAL(12,2)' },
    { name: 'ratio', type: 'DOUBLE' },
    { name: 'at', type: 'TIMESTAMPTZ' },
    { name: 'local', type: 'TIMESTAMP' },
    { name: 'day', type: 'DATE' },
    { name: 'flag', type: 'BOOLEAN' },
    { name: 'doc', type: 'JSON' },
    { name: 'raw', type: 'BLOB' },
    { name: 'note', type: 'VARCHAR' },
  ];
  const text =
    '18446744073709551615\t1234567890123456789012345678.0123456789\t-9999999999.99\t0.1\t2026-07-01 12:00:00.000001\t2026-07-01 12:00:00.5\t2024-02-29\ttrue\t{"a":[1,2]}\tAP8=\t"say ""hi""\tthere"\n' +
    '0\t-0.0000000001\t1e2\t-2.2250738585072014e-308\t2026-07-01 12:00:00 Europe/Berlin\t\t1000-01-01\tfalse\t\t""\t""\n' +
    '1\t\t\t\t2026-07-01 12:00:00+02\t\t\t\t\t\t\n';

  it('keeps exact values; a TIMESTAMPTZ without an offset is UTC, one with a zone or offset is that instant', async () => {
    const bytes = await encoder.encodeText(Buffer.from(text), columns, [{ column: { name: 'load_id', type: 'VARCHAR' }, value: 'L1' }], 200);
    const rows = await readBack(
      bytes,
      `select id::varchar id, big::varchar big, amount::varchar amount, ratio, epoch_us("at")::varchar at_us, "local"::varchar "local", "day"::varchar "day", flag, doc::varchar doc,
         to_hex(raw) raw, note, load_id, typeof(big) big_type, typeof(doc) doc_type from read_parquet($file) order by id::hugeint`,
    );
    expect(rows).toEqual([
      { id: '0', big: '-0.0000000001', amount: '100.00', ratio: -2.2250738585072014e-308, at_us: String(Date.UTC(2026, 6, 1, 10) * 1000), local: null, day: '1000-01-01', flag: false, doc: null, raw: '', note: '', load_id: 'L1', big_type: 'DECIMAL(38,10)', doc_type: 'JSON' },
      { id: '1', big: null, amount: null, ratio: null, at_us: String(Date.UTC(2026, 6, 1, 10) * 1000), local: null, day: null, flag: null, doc: null, raw: null, note: null, load_id: 'L1', big_type: 'DECIMAL(38,10)', doc_type: 'JSON' },
      {
        id: '18446744073709551615', big: '1234567890123456789012345678.0123456789', amount: '-9999999999.99', ratio: 0.1, at_us: String(Date.UTC(2026, 6, 1, 12) * 1000 + 1),
        local: '2026-07-01 12:00:00.5', day: '2024-02-29', flag: true, doc: '{"a":[1,2]}', raw: '00FF', note: 'say "hi"\tthere', load_id: 'L1', big_type: 'DECIMAL(38,10)', doc_type: 'JSON',
      },
    ]);
  });

  it('a value its column type cannot hold is an error naming it, not a null', async () => {
    await expect(encoder.encodeText(Buffer.from('12.345.6\n'), [{ name: 'amount', type: 'DECIMAL(12,2)' }], [], 20)).rejects.toThrow(/12\.345\.6/);
  });
});

describe('DuckDBParquetAppender.encodeColumns', () => {
  /** 16-byte inline string views (length, then the bytes) of `values`, as a ColumnBatch text piece. */
  const views = (values: string[]): ArrayBuffer => {
    const out = Buffer.alloc(values.length * 16);
    values.forEach((v, r) => {
      out.writeUInt32LE(Buffer.byteLength(v), r * 16);
      out.write(v, r * 16 + 4);
    });
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.length) as ArrayBuffer;
  };
  const ids = new BigInt64Array([1n, -2n, 9007199254740993n]);

  it('lands fixed values, text pieces joined, values held whole and nulls as laid out', async () => {
    const heap = Buffer.from('whole value, longer than the pieces');
    const validity = new Int32Array(64).fill(-1);
    validity[0] &= ~(1 << 2);
    const block = {
      rows: 3,
      data: [ids.buffer as ArrayBuffer, [views(['hello', 'a', '']), views([' world', '', ''])], new Int32Array([0, -1, 19000]).buffer as ArrayBuffer],
      validity: [null, validity, null],
      long: [null, [1, 0, heap.length], null],
      heap,
    };
    const bytes = await encoder.encodeColumns(
      { columns: [{ kind: 'fixed', bytes: 8 }, { kind: 'text', pieces: 2 }, { kind: 'fixed', bytes: 4 }], blocks: [block], rows: 3 },
      [{ name: 'id', type: 'BIGINT' }, { name: 'note', type: 'VARCHAR' }, { name: 'day', type: 'DATE' }],
      [{ column: { name: 'load_id', type: 'VARCHAR' }, value: 'L1' }],
    );
    const rows = await readBack(bytes, `select id::varchar id, note, "day"::varchar "day", load_id from read_parquet($file)`);
    expect(rows).toEqual([
      { id: '1', note: 'hello world', day: '1970-01-01', load_id: 'L1' },
      { id: '-2', note: 'whole value, longer than the pieces', day: '1969-12-31', load_id: 'L1' },
      { id: '9007199254740993', note: null, day: '2022-01-08', load_id: 'L1' },
    ]);
  });

  it('refuses a layout that does not fit the column type, and a block shorter than its rows', async () => {
    const block = { rows: 3, data: [ids.buffer as ArrayBuffer], validity: [null], long: [null], heap: new Uint8Array(0) };
    await expect(encoder.encodeColumns({ columns: [{ kind: 'fixed', bytes: 4 }], blocks: [block], rows: 3 }, [{ name: 'id', type: 'BIGINT' }], [])).rejects.toThrow(/no 4-byte layout for BIGINT/);
    const short = { ...block, data: [new ArrayBuffer(16)] };
    await expect(encoder.encodeColumns({ columns: [{ kind: 'fixed', bytes: 8 }], blocks: [short], rows: 3 }, [{ name: 'id', type: 'BIGINT' }], [])).rejects.toThrow(/holds 16 bytes for 3 rows/);
  });
});
