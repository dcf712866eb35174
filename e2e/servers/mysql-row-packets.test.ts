import mysql from 'mysql2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRowPackets, type RowCollector } from '../../adapters/sources/mysql/mysql-row-packets.js';
import { attachSocketReads, socketReadsOf, socketReadsStream } from '../../adapters/sources/mysql/mysql-socket-reads.js';
import type { RowPacket } from '../../adapters/sources/mysql/mysql-text-rows.js';
import { mapMySqlColumn } from '../../adapters/sources/mysql/mysql-types.js';
import { MySqlVectorRows, vectorKinds } from '../../adapters/sources/mysql/mysql-vector-rows.js';
import { nativeRows } from '../../adapters/sources/mysql/mysql-native-rows.js';
import { startMariaDb, type MariaDbServer } from './mariadb-server.js';

// queryRowPackets takes row packets from mysql2's packet parser before mysql2's own dispatch, or,
// on a socket of mysql-socket-reads.ts, straight from the one buffer the socket reads into.
// Against a real MariaDB, on mysql2's own socket and on such sockets with reads of several sizes:
// every row arrives once, in order, byte for byte what mysql2 itself reads; the connection's packet
// sequence stays right for the queries after (mysql2 warns "got packets out of order" otherwise);
// a collector that throws fails only its own query.
let db: MariaDbServer;
const PASSWORD = 'row-packets-pw';

beforeAll(async () => {
  db = await startMariaDb();
  db.sql(`create user 'strata'@'127.0.0.1' identified by '${PASSWORD}'; grant all on *.* to 'strata'@'127.0.0.1'; create database shop;`);
  // 3,000 rows, one of 40 KB (a packet that spans several socket reads), and nulls.
  db.sql(
    `create table items (id int primary key, name varchar(50000), price decimal(12,2));
     insert into items select seq, if(seq = 1500, repeat('x', 40000), concat('item-', seq)), if(seq % 10 = 0, null, seq / 100) from seq_1_to_3000;`,
    'shop',
  );
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

/** Collects each row packet's payload as hex (the bytes are the parser's to reuse after the call). */
class Payloads implements RowCollector {
  readonly rows: string[] = [];
  releases = 0;
  constructor(private readonly failAt = -1) {}
  row(packet: RowPacket): void {
    if (this.rows.length === this.failAt) throw new Error(`refused row ${this.failAt}`);
    this.rows.push(packet.buffer.toString('hex', packet.offset, packet.end));
  }
  release(): void {
    this.releases++;
  }
}

/** The items table's columns as the MySQL source maps them, and their kinds on the vector path. */
const mapped = [
  { name: 'id', dataType: 'int', columnType: 'int(11)', precision: 10, scale: 0, isJson: false },
  { name: 'name', dataType: 'varchar', columnType: 'varchar(50000)', precision: null, scale: null, isJson: false },
  { name: 'price', dataType: 'decimal', columnType: 'decimal(12,2)', precision: 12, scale: 2, isJson: false },
].map((c) => mapMySqlColumn(c, undefined));
const kinds = vectorKinds(mapped)!;

const SOCKETS = [
  { socket: "mysql2's own socket", stream: undefined },
  { socket: 'a socket reading into one 256 KB buffer (the MySQL source\'s)', stream: socketReadsStream },
  { socket: 'a socket reading at most 7 bytes at once (packet headers split between reads)', stream: socketReadsOf(7) },
  { socket: 'a socket reading at most 1,000 bytes at once (the 40 KB row carried over many reads)', stream: socketReadsOf(1000) },
];

describe.each(SOCKETS)('queryRowPackets on $socket', ({ stream }) => {
  let connection: mysql.Connection;
  beforeAll(() => {
    connection = mysql.createConnection({ host: '127.0.0.1', port: db.port, user: 'strata', password: PASSWORD, database: 'shop', dateStrings: true, ...(stream ? { stream } : {}) });
    if (stream) attachSocketReads(connection);
  });
  afterAll(async () => {
    if (connection) await new Promise<void>((resolve) => connection.end(() => resolve()));
  });

  /** The same rows' payloads as mysql2 reads them through its own dispatch (a row parser of ours on a plain query). */
  const payloadsByMysql2 = (sql: string): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const rows: string[] = [];
      const query = connection.query(sql);
      Object.defineProperty(query, '_rowParser', { configurable: true, get: () => ({ next: (p: RowPacket) => void rows.push(p.buffer.toString('hex', p.offset, p.end)) }), set: () => undefined });
      query.on('error', reject);
      query.on('end', () => resolve(rows));
    });

  const plain = (sql: string): Promise<unknown[]> => new Promise((resolve, reject) => connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows as unknown[]))));

  it('hands every row packet once, in order, byte for byte what mysql2 reads, over several queries on one connection', async () => {
    const warnings = vi.spyOn(console, 'error');
    try {
      const expected = await payloadsByMysql2('select * from items order by id');
      expect(expected).toHaveLength(3000);
      // mysql2's query command: its `row` state sees each row packet that goes through mysql2's dispatch.
      const probe = connection.query('select 1');
      await new Promise((resolve) => probe.on('end', resolve));
      const dispatched = vi.spyOn(Object.getPrototypeOf(probe) as { row: () => unknown }, 'row');
      try {
        for (let round = 0; round < 3; round++) {
          const got = await queryRowPackets(connection, 'select * from items where id > ? order by id', [0], new Payloads());
          expect(got.rows).toEqual(expected);
        }
        // Through mysql2's dispatch: only the EOF packet that ends each query's rows.
        expect(dispatched).toHaveBeenCalledTimes(3);
        // And the whole row packets of one socket read are taken in one call from mysql2's parser, not one call each.
        const parser = (connection as unknown as { packetParser: { onPacket: () => void } }).packetParser;
        const calls = vi.spyOn(parser, 'onPacket');
        expect((await queryRowPackets(connection, 'select * from items order by id', [], new Payloads())).rows).toEqual(expected);
        expect(calls.mock.calls.length).toBeGreaterThan(1);
        expect(calls.mock.calls.length).toBeLessThan(expected.length / 10);
        calls.mockRestore();
        // On a socket that reads into one buffer the rows never reach mysql2 at all (its socket's 'data'), and the
        // collector is told each time the buffer is about to be read into again; on mysql2's socket
        // every byte goes through its parser and the packets stay where they are.
        const socket = (connection as unknown as { stream: NodeJS.EventEmitter }).stream;
        let given = 0;
        const count = (chunk: Buffer) => void (given += chunk.length);
        socket.on('data', count);
        const all = await queryRowPackets(connection, 'select * from items order by id', [], new Payloads());
        socket.off('data', count);
        expect(all.rows).toEqual(expected);
        const rowBytes = expected.reduce((n, hex) => n + hex.length / 2, 0);
        if (stream) {
          expect(given).toBeLessThan(rowBytes / 20);
          expect(all.releases).toBeGreaterThan(0);
        } else {
          expect(given).toBeGreaterThan(rowBytes);
          expect(all.releases).toBe(0);
        }
      } finally {
        dispatched.mockRestore();
      }
      // Chunks, as the source reads them: each ends with its EOF packet, and the next starts cleanly.
      const chunks: string[] = [];
      for (let from = 0; from < 3000; from += 700) chunks.push(...(await queryRowPackets(connection, 'select * from items where id > ? order by id limit 700', [from], new Payloads())).rows);
      expect(chunks).toEqual(expected);
      // An empty result and the queries after it.
      expect((await queryRowPackets(connection, 'select * from items where id < 0', [], new Payloads())).rows).toEqual([]);
      expect(await plain('select count(*) as n from items')).toEqual([{ n: 3000 }]);
      expect(warnings.mock.calls.flat().join('\n')).not.toMatch(/out of order/);
    } finally {
      warnings.mockRestore();
    }
  });

  it('plain queries, and a streamed one whose slow reader pauses the connection, read what they read on any socket', async () => {
    const rows = (await plain('select id, name, price from items order by id')) as { id: number; name: string; price: string | null }[];
    expect(rows).toHaveLength(3000);
    expect(rows[1499].name).toBe('x'.repeat(40000));
    expect(rows[9]).toEqual({ id: 10, name: 'item-10', price: null });
    const ids: number[] = [];
    // A small high-water mark and a reader that waits: mysql2 pauses the socket and resumes it.
    for await (const row of connection.query('select id from items order by id').stream({ highWaterMark: 4 }) as AsyncIterable<{ id: number }>) {
      ids.push(row.id);
      if (ids.length % 250 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect((await queryRowPackets(connection, 'select * from items order by id limit 700', [], new Payloads())).rows).toHaveLength(700);
  });

  it("a vector collector's last key and cursor range stay right after the socket has read into its buffer again", async () => {
    expect(kinds).toBeDefined();
    for (const from of [0, 700, 1400]) {
      const rows = await queryRowPackets(connection, 'select id, name, price from items where id > ? order by id limit 700', [from], new MySqlVectorRows(mapped, kinds, { cursor: 'id', primaryKey: ['id'] }));
      // Another query's rows land where this one's were before the collector is asked for its key and range.
      expect(await plain('select id, name from items where id between 2000 and 2400')).toHaveLength(401);
      expect(rows.lastKey).toEqual([String(from + 700)]);
      expect(rows.take().cursor).toEqual({ min: BigInt(from + 1), max: BigInt(from + 700) });
    }
  });

  it('a vector collector lands the same blocks whether the C parser takes whole reads or the JavaScript parser every row', async () => {
    /** Counts the rows packets() takes; `off`: takes none, so that row() gets every one. */
    class Counted extends MySqlVectorRows {
      taken = 0;
      constructor(private readonly off: boolean) {
        super(mapped, kinds, { cursor: 'id', primaryKey: ['id'] });
      }
      override packets(buf: Buffer, at: number, end: number, sequenceId: number): number {
        const n = this.off ? 0 : super.packets(buf, at, end, sequenceId);
        this.taken += n;
        return n;
      }
    }
    const sql = 'select id, name, price from items order by id';
    const viaC = await queryRowPackets(connection, sql, [], new Counted(false));
    const viaScript = await queryRowPackets(connection, sql, [], new Counted(true));
    expect(viaC.rows).toBe(3000);
    expect(viaC.lastKey).toEqual(viaScript.lastKey);
    // Values row by row (a text value is in pieces or held whole depending on where it fell in a socket read).
    const values = (rows: Counted): unknown[][] => {
      const batch = rows.take();
      const out: unknown[][] = [];
      for (const b of batch.blocks) {
        const long = new Map<string, string>();
        b.long.forEach((list, c) => {
          for (let k = 0; list && k < list.length; k += 3) long.set(`${c}:${list[k]}`, Buffer.from(b.heap.subarray(list[k + 1], list[k + 2])).toString());
        });
        for (let r = 0; r < b.rows; r++) {
          const isNull = (c: number) => b.validity[c] !== null && (b.validity[c]![r >>> 5] & (1 << (r & 31))) === 0;
          const name = long.get(`1:${r}`) ?? (b.data[1] as ArrayBuffer[]).map((piece) => { const words = new Int32Array(piece, r * 16, 4); return Buffer.from(piece, r * 16 + 4, words[0]).toString(); }).join('');
          out.push([new Int32Array(b.data[0] as ArrayBuffer)[r], isNull(1) ? null : name, isNull(2) ? null : new BigInt64Array(b.data[2] as ArrayBuffer)[r]]);
        }
      }
      return out;
    };
    const byC = values(viaC);
    expect(byC).toHaveLength(3000);
    expect(byC[1499][1]).toBe('x'.repeat(40000));
    expect(byC[9]).toEqual([10, 'item-10', null]);
    expect(byC).toEqual(values(viaScript));
    // On the source's own socket (256 KB reads) the C parser, where built, takes nearly every row; mysql2's socket never asks it.
    if (stream === socketReadsStream && nativeRows) expect(viaC.taken).toBeGreaterThan(2700);
    if (!stream) expect(viaC.taken).toBe(0);
  });

  it('a collector that throws fails its query with that error; the connection goes on', async () => {
    await expect(queryRowPackets(connection, 'select * from items order by id', [], new Payloads(1234))).rejects.toThrow('refused row 1234');
    expect(await plain('select max(id) as m from items')).toEqual([{ m: 3000 }]);
    expect((await queryRowPackets(connection, 'select * from items order by id limit 5', [], new Payloads())).rows).toHaveLength(5);
  });

  it('a server error in the middle of the rows (after 1,499 of them) rejects the query with it; the connection goes on', async () => {
    const payloads = new Payloads();
    const failing = queryRowPackets(connection, 'select id, (select i2.id from items i2 where i.id = 1500 and i2.id in (1, 2)) as x from items i order by id', [], payloads);
    await expect(failing).rejects.toThrow(/Subquery returns more than 1 row/);
    expect(payloads.rows).toHaveLength(1499);
    expect(await plain('select 1 as one')).toEqual([{ one: 1 }]);
    expect((await queryRowPackets(connection, 'select * from items order by id limit 3', [], new Payloads())).rows).toHaveLength(3);
  });
});
