import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBParquetAppender } from '../../duckdb/duckdb-parquet-appender.js';
import { queryDuckDB, withTempFile } from '../../../e2e/duckdb-query.js';
import type { ColumnBatch } from '../../../core/lake/column-batch.js';
import { MySqlTextRows } from './mysql-text-rows.js';
import { packet } from './mysql-test-packets.js';
import { MySqlVectorRows, vectorKinds } from './mysql-vector-rows.js';
import { nativeRows } from './mysql-native-rows.js';
import type { Block } from './mysql-vector-block.js';
import type { RowPacket } from './mysql-text-rows.js';
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

  /** Seeded random field values of every column, the odd ones (zero dates, long or non-ASCII text, numbers past 2^53) among them. */
  function randomFields(seed: number) {
    const { next, pick } = generator(seed);
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
    return { next, field };
  }

  it('lands the same Parquet schema and values as the text path, for seeded random rows over several blocks and reused memory', async () => {
    const { next, field } = randomFields(7);
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

  describe('the C row parser (native/mysql_rows.c)', () => {
    // `npm run build` compiles it where the machine has a C compiler, as CI's has; elsewhere the JavaScript parser does the work.
    it('is built where CI runs', () => {
      if (process.env.CI) expect(nativeRows, 'cli/build-native.mjs did not build mysql_rows.node').toBeDefined();
    });

    /** Row packets with their headers, sequence numbers from `sequence`, one after the other. */
    const wire = (packets: RowPacket[], sequence: number): { bytes: Buffer; ends: number[] } => {
      const parts: Buffer[] = [];
      const ends: number[] = [];
      let length = 0;
      packets.forEach((p, k) => {
        const payload = p.buffer.subarray(p.offset, p.end);
        const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, (sequence + k) & 0xff]);
        parts.push(header, payload);
        length += 4 + payload.length;
        ends.push(length);
      });
      return { bytes: Buffer.concat(parts), ends };
    };

    /**
     * The packets as a socket of mysql-socket-reads.ts hands them over: reads of a few packets
     * copied into one buffer that the next read overwrites (some ending flush with the buffer),
     * each taken by packets() where it takes them, else by row(). Returns the rows packets() took.
     */
    const feed = (rows: MySqlVectorRows, packets: RowPacket[], choose: (n: number) => number, useNative: boolean): number => {
      const { bytes, ends } = wire(packets, 1);
      const buffer = Buffer.alloc(bytes.length + 256);
      let taken = 0;
      let sequence = 1;
      for (let first = 0; first < ends.length; ) {
        const last = Math.min(ends.length, first + 1 + choose(300));
        const from = first ? ends[first - 1] : 0;
        const size = ends[last - 1] - from;
        // Flush with the end of the buffer (no bytes after the last field) or not.
        const at = choose(2) ? buffer.length - size : 0;
        bytes.copy(buffer, at, from, ends[last - 1]);
        let p = at;
        const end = at + size;
        while (p < end) {
          const length = buffer.readUIntLE(p, 3);
          const n = useNative ? rows.packets(buffer, p, end, sequence) : 0;
          if (n) {
            for (let k = 0; k < n; k++) p += 4 + buffer.readUIntLE(p, 3);
            sequence = (sequence + n) & 0xff;
            taken += n;
            continue;
          }
          rows.row({ buffer, offset: p + 4, end: p + 4 + length });
          sequence = (sequence + 1) & 0xff;
          p += 4 + length;
        }
        rows.release();
        // Another read into the same buffer: what was left there is gone.
        buffer.fill(0x5a);
        first = last;
      }
      return taken;
    };

    /** Every byte of a batch's blocks that a reader sees, with its layout, key-independent. */
    const contents = (batch: ColumnBatch) => ({
      columns: batch.columns,
      rows: batch.rows,
      cursor: batch.cursor,
      blocks: batch.blocks.map((b) => ({
        rows: b.rows,
        data: b.data.map((d) => (Array.isArray(d) ? d.map((piece) => Buffer.from(piece).toString('hex')) : Buffer.from(d).toString('hex'))),
        validity: b.validity.map((v) => v && Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')),
        long: b.long,
        heap: Buffer.from((b as Block).heap.subarray(0, (b as Block).heapLength)).toString('hex'),
      })),
    });

    /** Values the C parser takes whole: numbers within their widths, ASCII text up to 72 bytes, valid dates and times, nulls. */
    const plainField = (next: (n: number) => number, longestText = 72) => (name: string): string | null => {
      if (name !== 'id' && next(9) === 0) return null;
      const digits = (n: number) => Array.from({ length: n }, () => String(next(10))).join('');
      // Years 1700 to 2199: microseconds before about 1685 or after 2255 are past 2^53 (exact through BigInt, by the JavaScript parser).
      const day = `${1700 + next(500)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
      const time = `${String(next(24)).padStart(2, '0')}:${String(next(60)).padStart(2, '0')}:${String(next(60)).padStart(2, '0')}`;
      const sign = next(2) ? '-' : '';
      switch (name) {
        case 'small':
          return String(next(65535) - 32768);
        case 'tiny':
          return String(next(256));
        case 'count':
          return String(next(999999999));
        case 'big':
          return digits(1 + next(15));
        case 'amount':
          return `${sign}${digits(1 + next(10))}.${digits(2)}`;
        case 'rate':
          return `${sign}${digits(1 + next(3))}.${digits(1)}`;
        case 'huge':
          return `${sign}${digits(1 + next(11))}.${digits(4)}`;
        case 'wider':
          return `${digits(1 + next(20))}.${digits(5)}`;
        case 'born':
          return day;
        case 'paid_at':
        case 'local':
          return `${day} ${time}${['', '.', `.${digits(1 + next(6))}`][next(3)]}`;
        default:
          return 'abcdefghijklmnopqrstuvwxyz0123456789 ,.-_"\t\\'.repeat(2).slice(0, next(longestText + 1));
      }
    };

    it.runIf(nativeRows !== undefined)('gives the blocks, last key and cursor range of the JavaScript parser, taking the rows it can and leaving the others to it', () => {
      const { next, field } = randomFields(11);
      const plain = plainField(next);
      const sets = {
        // Every value one the C parser takes: it takes nearly every row (the first of each new block, and those that need a new piece, go to row()).
        plain: Array.from({ length: 6000 }, (_, i) => packet([String(i * 5 - 9000), ...names.slice(1).map(plain)])),
        // One row in five with odd values (zero dates, long or non-ASCII text, numbers past 2^53): those go to row() between the others.
        mixed: Array.from({ length: 6000 }, (_, i) => packet([String(i * 5 - 9000), ...names.slice(1).map(next(5) ? plain : field)])),
      };
      const shortText = plainField(next, 24);
      // Text of at most 2 pieces, in the blocks of a batch before (reuse) that has 6: the C parser counts the pieces in use.
      const short = Array.from({ length: 3000 }, (_, i) => packet([String(i), ...names.slice(1).map(shortText)]));
      for (const [name, packets] of Object.entries(sets)) {
        for (const cursor of ['paid_at', 'id', 'born', 'amount']) {
          const options = { primaryKey: ['id'], cursor };
          const byScript = new MySqlVectorRows(columns, kinds, options);
          const byC = new MySqlVectorRows(columns, kinds, options);
          if (name === 'plain' && cursor === 'id') {
            feed(byScript, packets, generator(1).next, false);
            feed(byC, packets, generator(1).next, true);
            const again = { byScript: new MySqlVectorRows(columns, kinds, { ...options, reuse: byScript.take() }), byC: new MySqlVectorRows(columns, kinds, { ...options, reuse: byC.take() }) };
            feed(again.byScript, short, generator(2).next, false);
            expect(feed(again.byC, short, generator(2).next, true)).toBeGreaterThan(short.length * 0.9);
            expect(contents(again.byC.take())).toEqual(contents(again.byScript.take()));
          }
          const reads = generator(name.length + cursor.length);
          expect(feed(byScript, packets, reads.next, false)).toBe(0);
          const taken = feed(byC, packets, generator(name.length + cursor.length).next, true);
          // An odd timestamp past 2^53 microseconds turns the paid_at cursor to bytes, which row() alone widens: from there on row() takes every row.
          if (name === 'plain') expect(taken, `${name}, cursor ${cursor}`).toBeGreaterThan(packets.length * 0.9);
          else if (cursor !== 'paid_at') expect(taken, `${name}, cursor ${cursor}`).toBeGreaterThan(packets.length * 0.5);
          expect(byC.lastKey).toEqual(byScript.lastKey);
          expect(contents(byC.take()), `${name}, cursor ${cursor}`).toEqual(contents(byScript.take()));
        }
      }
    });

    it.runIf(nativeRows !== undefined)('on packets with random bytes changed, takes only rows the JavaScript parser takes the same way, and never reads or writes outside its arrays', () => {
      // FUZZ_SEED=n runs it on other random bytes.
      const { next } = generator(Number(process.env.FUZZ_SEED ?? 5));
      const plain = plainField(next);
      // Valid rows with one to four bytes set at random (lengths, digits, separators, text), the header's length kept.
      const packets = Array.from({ length: 4000 }, (_, i) => {
        const p = packet([String(i), ...names.slice(1).map(plain)]);
        const bytes = Buffer.from(p.buffer);
        for (let k = next(4); k >= 0; k--) bytes[p.offset + next(p.end - p.offset)] = next(256);
        return { buffer: bytes, offset: p.offset, end: p.end };
      });
      /** Feeds like the framer, a row() that throws skipped (the query would fail there); returns which packets threw. */
      const run = (rows: MySqlVectorRows, useNative: boolean): number[] => {
        const { bytes, ends } = wire(packets, 0);
        const thrown: number[] = [];
        let p = 0;
        for (let k = 0; k < ends.length; ) {
          const n = useNative ? rows.packets(bytes, p, bytes.length, k & 0xff) : 0;
          if (n) {
            k += n;
            p = ends[k - 1];
            continue;
          }
          try {
            rows.row({ buffer: bytes, offset: p + 4, end: ends[k] });
          } catch {
            thrown.push(k);
          }
          p = ends[k];
          k++;
        }
        return thrown;
      };
      const byScript = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'], cursor: 'id' });
      const byC = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'], cursor: 'id' });
      const thrown = run(byScript, false);
      expect(thrown.length).toBeGreaterThan(100);
      expect(run(byC, true)).toEqual(thrown);
      expect(contents(byC.take())).toEqual(contents(byScript.take()));
    });

    it.runIf(nativeRows !== undefined)('leaves a row with a bad value to the JavaScript parser, which names the column; a packet cut short, an EOF packet or a full block stops it', () => {
      const rows = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'] });
      const fields = (at: number, value: string | Buffer) => names.map((_n, i) => (i === 0 ? '1' : i === at ? value : i === names.indexOf('name') ? 'ok' : null));
      // 16 bytes after the packet: a text value is read 12 bytes at a time (inside the buffer).
      const one = (p: RowPacket) => Buffer.concat([wire([p], 1).bytes, Buffer.alloc(16)]);
      const whole = (bytes: Buffer) => bytes.length - 16;
      const good = one(packet(fields(names.indexOf('amount'), '1.25')));
      // A new block has no piece arrays yet for the text value: the row is left to row(), which adds them.
      expect(rows.packets(good, 0, whole(good), 1)).toBe(0);
      const bad: [string, string | Buffer, RegExp][] = [
        ['name', Buffer.from([0x61, 0xff, 0x62]), /column name: a value that is not UTF-8/],
        ['born', '2026-02-30', /column born: MySQL sent '2026-02-30', which is not a valid date/],
        ['paid_at', '2026-02-01 24:00:00', /column paid_at/],
        ['paid_at', '2026-02-01 10:00:00.00000x', /column paid_at/],
        ['amount', '1.234', /column amount: MySQL sent '1.234', which is not a valid DECIMAL with scale 2/],
        ['count', '12x', /column count/],
      ];
      for (const [column, value, error] of bad) {
        const p = packet(fields(names.indexOf(column), value));
        const bytes = one(p);
        expect(rows.packets(bytes, 0, whole(bytes), 1), column).toBe(0);
        expect(() => rows.row({ buffer: bytes, offset: 4, end: whole(bytes) })).toThrow(error);
      }
      rows.row({ buffer: good, offset: 4, end: whole(good) });
      expect(rows.packets(good, 0, whole(good), 1)).toBe(1);
      // Cut short, the wrong sequence number, an EOF packet: nothing taken.
      expect(rows.packets(good, 0, whole(good) - 1, 1)).toBe(0);
      expect(rows.packets(good, 0, whole(good), 2)).toBe(0);
      const eof = Buffer.from([5, 0, 0, 1, 0xfe, 0, 0, 2, 0]);
      expect(rows.packets(eof, 0, eof.length, 1)).toBe(0);
      // Two packets, then the EOF: the two.
      const two = Buffer.concat([wire([packet(fields(names.indexOf('amount'), '1.25')), packet(fields(names.indexOf('amount'), '-2.50'))], 1).bytes, Buffer.from([5, 0, 0, 3, 0xfe, 0, 0, 2, 0]), Buffer.alloc(16)]);
      expect(rows.packets(two, 0, two.length, 1)).toBe(2);
      // A full block: the next row goes to row(), which starts a new one.
      const many = Buffer.concat([wire(Array.from({ length: 2100 }, (_, i) => packet(fields(names.indexOf('amount'), `${i}.00`))), 0).bytes, Buffer.alloc(16)]);
      const before = rows.rows;
      const n = rows.packets(many, 0, whole(many), 0);
      expect(before + n).toBe(2048);
      expect(rows.take().blocks[0].rows).toBe(2048);
    });
  });

  it('a value that is not UTF-8 text, or a date that does not exist, fails the chunk naming the column', () => {
    const rows = new MySqlVectorRows(columns, kinds, { primaryKey: ['id'] });
    const fields = (at: number, value: string | Buffer) => names.map((_n, i) => (i === 0 ? '1' : i === at ? value : null));
    expect(() => rows.row(packet(fields(names.indexOf('name'), Buffer.from([0x61, 0xff, 0x62]))))).toThrow(/column name: a value that is not UTF-8/);
    expect(() => rows.row(packet(fields(names.indexOf('born'), '2026-02-30')))).toThrow(/column born: MySQL sent '2026-02-30', which is not a valid date/);
    expect(() => rows.row(packet(fields(names.indexOf('born'), '20x6-02-03')))).toThrow(/column born: MySQL sent '20x6-02-03', which is not a valid date/);
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
