import type { RowPacket } from './mysql-text-rows.js';

// Row packets as the MySQL text protocol sends them, for the row readers' tests.

/** A text-protocol row packet: each field length-coded, 0xfb for null; `tail` spare bytes after it. */
export function packet(fields: (string | Buffer | null)[], tail = 0): RowPacket {
  const parts: Buffer[] = [];
  for (const field of fields) {
    if (field === null) {
      parts.push(Buffer.from([0xfb]));
      continue;
    }
    const bytes = typeof field === 'string' ? Buffer.from(field) : field;
    if (bytes.length < 251) parts.push(Buffer.from([bytes.length]));
    else if (bytes.length < 65536) parts.push(Buffer.from([0xfc, bytes.length & 0xff, bytes.length >> 8]));
    else parts.push(Buffer.from([0xfd, bytes.length & 0xff, (bytes.length >> 8) & 0xff, bytes.length >> 16]));
    parts.push(bytes);
  }
  const buffer = Buffer.concat([Buffer.from([0, 0, 0, 0]), ...parts, Buffer.alloc(tail, 0x41)]);
  return { buffer, offset: 4, end: buffer.length - tail };
}
