import { describe, expect, it } from 'vitest';
import { MySqlTextRows } from './mysql-text-rows.js';
import { packet } from './mysql-test-packets.js';
import { mapMySqlColumn, type MySqlColumnInfo } from './mysql-types.js';

const info = (name: string, dataType: string, columnType = dataType): MySqlColumnInfo => ({ name, dataType, columnType, precision: null, scale: null, isJson: false });

describe('MySQL row packets as lake text', () => {
  it('quotes only what needs it, keeps empty apart from null, and applies the value fixes', () => {
    const columns = [info('id', 'bigint'), info('note', 'varchar'), info('paid_at', 'timestamp'), info('born', 'date'), info('gift', 'bit', 'bit(1)'), info('flags', 'bit', 'bit(12)'), info('raw', 'varbinary')].map((c) => mapMySqlColumn(c, undefined));
    const rows = new MySqlTextRows(columns, { primaryKey: ['id'], cursor: 'paid_at' });
    rows.row(packet(['1', 'plain', '2026-11-01 10:00:00.000001', '2026-11-01', Buffer.from([1]), Buffer.from([0x0f, 0xff]), Buffer.from([0, 255])]));
    rows.row(packet(['2', 'tab\there "q"\nline', '0000-00-00 00:00:00', '2026-00-10', Buffer.from([0]), null, Buffer.alloc(0)]));
    rows.row(packet(['3', '', null, null, null, null, null]));
    expect(rows.lastKey).toEqual(['3']);
    const batch = rows.take();
    expect(Buffer.from(batch.text).toString()).toBe(
      '1\tplain\t2026-11-01 10:00:00.000001\t2026-11-01\ttrue\t4095\tAP8=\n' +
        '2\t"tab\there ""q""\nline"\t\t\tfalse\t\t""\n' +
        '3\t""\t\t\t\t\t\n',
    );
    expect(batch.rows).toBe(3);
    // The zero date is no cursor value; the range is as the row path would record it.
    expect(batch.cursor).toEqual({ min: '2026-11-01 10:00:00.000001+00', max: '2026-11-01 10:00:00.000001+00' });
    expect(rows.take().rows).toBe(0);
  });

  it('tracks a numeric cursor as numbers, not text, and long fields with 2-byte lengths', () => {
    const columns = [info('id', 'int'), info('body', 'text')].map((c) => mapMySqlColumn(c, undefined));
    const rows = new MySqlTextRows(columns, { primaryKey: ['id'], cursor: 'id' });
    for (const id of ['9', '10', '-3', '100']) rows.row(packet([id, 'x'.repeat(300)]));
    const batch = rows.take();
    expect(batch.cursor).toEqual({ min: -3n, max: 100n });
    // '100', a tab, 300 bytes and the newline.
    expect(batch.longestLine).toBe(305);
  });
});

describe('the fast row path', () => {
  const columns = [info('id', 'bigint'), info('note', 'varchar'), info('amount', 'decimal'), info('at', 'timestamp'), info('local', 'datetime')].map((c) => mapMySqlColumn(c, 'Europe/Berlin'));

  it('writes what the field-by-field path writes, around rows only that path can take', () => {
    const rows = new MySqlTextRows(columns, { primaryKey: ['id'], cursor: 'at', datetimeZone: 'Europe/Berlin' });
    rows.row(packet(['1', 'plain', '1.50', '2026-11-01 10:00:00', '2026-11-01 11:00:00']));
    // A quote, then an empty string and a zero date: field by field; the rows after them fast again.
    rows.row(packet(['2', 'say "hi"', '2.00', '2026-11-01 09:00:00', null]));
    rows.row(packet(['3', 'x', null, '2026-11-02 10:00:00', '2026-11-02 11:00:00.5']));
    rows.row(packet(['4', '', '4.00', '0000-00-00 00:00:00', '0000-00-00 00:00:00']));
    expect(rows.lastKey).toEqual(['4']);
    rows.row(packet(['5', 'y'.repeat(300), '5.00', null, null]));
    rows.row(packet(['6', 'z', '6.00', '2026-11-03 10:00:00', '2026-11-03 11:00:00']));
    expect(rows.lastKey).toEqual(['6']);
    const batch = rows.take();
    expect(Buffer.from(batch.text).toString()).toBe(
      '1\tplain\t1.50\t2026-11-01 10:00:00\t2026-11-01 11:00:00 Europe/Berlin\n' +
        '2\t"say ""hi"""\t2.00\t2026-11-01 09:00:00\t\n' +
        '3\tx\t\t2026-11-02 10:00:00\t2026-11-02 11:00:00.5 Europe/Berlin\n' +
        '4\t""\t4.00\t\t\n' +
        `5\t${'y'.repeat(300)}\t5.00\t\t\n` +
        '6\tz\t6.00\t2026-11-03 10:00:00\t2026-11-03 11:00:00 Europe/Berlin\n',
    );
    expect(batch.rows).toBe(6);
    expect(batch.longestLine).toBe(310);
    expect(batch.cursor).toEqual({ min: '2026-11-01 09:00:00+00', max: '2026-11-03 10:00:00+00' });
    // The key outlives the batch's text (the next chunk's query is built from it after take()).
    expect(rows.lastKey).toEqual(['6']);
  });

  it('reuses a buffer it is given, growing it when a chunk needs more', () => {
    const first = new MySqlTextRows(columns, { primaryKey: ['id'], datetimeZone: 'Europe/Berlin' });
    for (let i = 0; i < 3; i++) first.row(packet([String(i), 'a', '1.00', null, null]));
    const batch = first.take();
    // Fast rows only: the longest line counts its newline too.
    expect(batch.longestLine).toBe('0\ta\t1.00\t\t\n'.length);
    const buffer = Buffer.from(batch.text.buffer, batch.text.byteOffset - 1);
    const second = new MySqlTextRows(columns, { primaryKey: ['id'], datetimeZone: 'Europe/Berlin', buffer });
    const many = 30_000;
    for (let i = 0; i < many; i++) second.row(packet([String(i), 'b', '2.00', '2026-11-01 10:00:00', null]));
    const text = Buffer.from(second.take().text).toString();
    expect(text.split('\n')).toHaveLength(many + 1);
    expect(text.startsWith('0\tb\t2.00\t2026-11-01 10:00:00\t\n1\tb\t')).toBe(true);
    expect(text.endsWith(`${many - 1}\tb\t2.00\t2026-11-01 10:00:00\t\n`)).toBe(true);
  });
});

describe('fast and field-by-field paths', () => {
  it('write the same text, cursor range and last key for random rows', () => {
    const columns = [info('id', 'bigint'), info('name', 'varchar'), info('amount', 'decimal'), info('paid_at', 'timestamp'), info('local', 'datetime'), info('born', 'date'), info('note', 'text')].map((c) => mapMySqlColumn(c, 'Europe/Berlin'));
    // A small deterministic generator (no Math.random: a failure must be reproducible).
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = ['', 'plain', 'tab\there', 'say "hi"', 'line\nbreak', 'cr\rhere', 'é ü 日本', 'x'.repeat(251), 'y'.repeat(70000)];
    const dates = ['2026-11-01', '0000-00-00', '2026-00-10', '2026-11-00', '1000-01-01'];
    const pick = <T,>(list: T[]) => list[next(list.length)];
    const field = (kind: string): string | null => {
      if (next(6) === 0) return null;
      if (kind === 'text') return pick(texts);
      if (kind === 'number') return String(next(1_000_000) - 500_000);
      if (kind === 'date') return pick(dates);
      return `${pick(dates)} ${String(next(24)).padStart(2, '0')}:00:00${next(2) ? '.000001' : ''}`;
    };
    const packets = Array.from({ length: 2000 }, (_, i) => packet([String(i), field('text'), field('number'), field('time'), field('time'), field('date'), field('text')]));
    const write = (fastPath: boolean) => {
      const rows = new MySqlTextRows(columns, { primaryKey: ['id'], cursor: 'paid_at', datetimeZone: 'Europe/Berlin', fastPath });
      const keys: (string | null)[][] = [];
      const batches = [];
      for (let i = 0; i < packets.length; i++) {
        rows.row(packets[i]);
        if (i % 97 === 0) keys.push(rows.lastKey);
        if (i % 500 === 499) batches.push(rows.take());
      }
      return { batches: batches.map((b) => ({ ...b, text: Buffer.from(b.text).toString() })), keys };
    };
    const fast = write(true);
    const slow = write(false);
    expect(fast.batches.map((b) => b.rows)).toEqual([500, 500, 500, 500]);
    expect(fast).toEqual(slow);
  });
});
