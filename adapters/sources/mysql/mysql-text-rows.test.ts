import { describe, expect, it } from 'vitest';
import { MySqlTextRows, type RowPacket } from './mysql-text-rows.js';
import { mapMySqlColumn, type MySqlColumnInfo } from './mysql-types.js';

/** A text-protocol row packet: each field length-coded, 0xfb for null. */
function packet(fields: (string | Buffer | null)[]): RowPacket {
  const parts: Buffer[] = [];
  for (const field of fields) {
    if (field === null) {
      parts.push(Buffer.from([0xfb]));
      continue;
    }
    const bytes = typeof field === 'string' ? Buffer.from(field) : field;
    if (bytes.length < 251) parts.push(Buffer.from([bytes.length]));
    else parts.push(Buffer.from([0xfc, bytes.length & 0xff, bytes.length >> 8]));
    parts.push(bytes);
  }
  const buffer = Buffer.concat([Buffer.from([0, 0, 0, 0]), ...parts]);
  return { buffer, offset: 4, end: buffer.length };
}

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
      '1\tplain\t2026-11-01 10:00:00.000001+00\t2026-11-01\ttrue\t4095\tAP8=\n' +
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
