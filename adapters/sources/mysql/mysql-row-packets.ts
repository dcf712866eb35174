import type mysql from 'mysql2';
import type { RowPacket } from './mysql-text-rows.js';

/** A collector of a query's row packets (text or vectors). */
export interface RowCollector {
  row(packet: RowPacket): void;
}

/** The parts of mysql2's connection and command that the fast path reads (mysql2 3.x internals). */
interface Internals {
  config: { compress?: boolean; debug?: unknown };
  packetParser?: { onPacket: (packet: WirePacket) => void };
  sequenceId: number;
  _command?: Command;
  _paused?: boolean;
  _fatalError?: unknown;
}
interface Command {
  next: unknown;
  row?: unknown;
  [ROWS]?: (packet: RowPacket) => void;
}
interface WirePacket extends RowPacket {
  sequenceId: number;
  numPackets: number;
}

const ROWS = Symbol('strata row packets');
const HOOKED = Symbol('strata packet hook');

/**
 * Runs a query whose row packets go to `rows`, never parsed into JS values. A row the collector
 * refuses (a value it cannot parse) fails the query's promise, not the connection.
 *
 * Row packets are taken from mysql2's packet parser as they are framed, before its per-packet
 * dispatch (sequence check, command state machine, a `result` event per row): a hook on the
 * connection hands a packet to the collector when the connection's current command is ours and in
 * its row state, the packet is one whole packet and not the EOF or error packet that ends the rows.
 * Everything else (column definitions, the end of the rows, errors, packets over 16 MB, a paused or
 * failed connection, the compressed protocol) goes through mysql2 as usual, where the row parser
 * that mysql2 sets once the column definitions have arrived is replaced by the collector too.
 */
export function queryRowPackets<T extends RowCollector>(core: mysql.Connection, sql: string, params: unknown[], rows: T): Promise<T> {
  return new Promise((resolve, reject) => {
    let failed: unknown;
    const next = (packet: RowPacket) => {
      if (failed) return;
      try {
        rows.row(packet);
      } catch (error) {
        failed = error;
      }
    };
    hookRowPackets(core as unknown as Internals);
    const query = core.query(sql, params) as unknown as mysql.Query & Command;
    query[ROWS] = next;
    Object.defineProperty(query, '_rowParser', { configurable: true, get: () => ({ next }), set: () => undefined });
    query.on('error', reject);
    query.on('end', () => (failed ? reject(failed) : resolve(rows)));
  });
}

/** Puts the row-packet hook on a connection's packet parser, once. */
function hookRowPackets(connection: Internals): void {
  const parser = connection.packetParser;
  if (!parser || connection.config.compress || (parser as { [HOOKED]?: boolean })[HOOKED]) return;
  const original = parser.onPacket;
  parser.onPacket = (packet: WirePacket) => {
    const command = connection._command;
    const take = command?.[ROWS];
    if (take !== undefined && command!.next === command!.row && packet.numPackets === 1 && packet.sequenceId === connection.sequenceId && !connection._paused && !connection._fatalError && !connection.config.debug) {
      const first = packet.buffer[packet.offset];
      // Not an error packet, nor the EOF packet after the last row (mysql2's isEOF: 0xfe and under 13 bytes with the 4-byte header).
      if (first !== 0xff && !(first === 0xfe && packet.end - packet.offset < 9)) {
        connection.sequenceId = (connection.sequenceId + 1) % 256;
        take(packet);
        return;
      }
    }
    original(packet);
  };
  (parser as { [HOOKED]?: boolean })[HOOKED] = true;
}
