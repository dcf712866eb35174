import mysql from 'mysql2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRowPackets, type RowCollector } from '../../adapters/sources/mysql/mysql-row-packets.js';
import type { RowPacket } from '../../adapters/sources/mysql/mysql-text-rows.js';
import { startMariaDb, type MariaDbServer } from './mariadb-server.js';

// queryRowPackets takes row packets from mysql2's packet parser before mysql2's own dispatch.
// Against a real MariaDB: every row arrives once, in order, byte for byte what mysql2 itself
// reads; the connection's packet sequence stays right for the queries after (mysql2 warns
// "got packets out of order" otherwise); a collector that throws fails only its own query.
let db: MariaDbServer;
let connection: mysql.Connection;
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
  connection = mysql.createConnection({ host: '127.0.0.1', port: db.port, user: 'strata', password: PASSWORD, database: 'shop', dateStrings: true });
}, 60_000);
afterAll(async () => {
  try {
    if (connection) await new Promise<void>((resolve) => connection.end(() => resolve()));
  } finally {
    await db?.stop();
  }
});

/** Collects each row packet's payload as hex (the bytes are the parser's to reuse after the call). */
class Payloads implements RowCollector {
  readonly rows: string[] = [];
  constructor(private readonly failAt = -1) {}
  row(packet: RowPacket): void {
    if (this.rows.length === this.failAt) throw new Error(`refused row ${this.failAt}`);
    this.rows.push(packet.buffer.toString('hex', packet.offset, packet.end));
  }
}

/** The same rows' payloads as mysql2 reads them through its own dispatch (a row parser of ours on a plain query). */
function payloadsByMysql2(sql: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const rows: string[] = [];
    const query = connection.query(sql);
    Object.defineProperty(query, '_rowParser', { configurable: true, get: () => ({ next: (p: RowPacket) => void rows.push(p.buffer.toString('hex', p.offset, p.end)) }), set: () => undefined });
    query.on('error', reject);
    query.on('end', () => resolve(rows));
  });
}

const plain = (sql: string): Promise<unknown[]> => new Promise((resolve, reject) => connection.query(sql, (error, rows) => (error ? reject(error) : resolve(rows as unknown[]))));

describe('queryRowPackets (mysql2 row packets without its per-row dispatch)', () => {
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
