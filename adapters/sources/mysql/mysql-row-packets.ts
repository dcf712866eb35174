import type mysql from 'mysql2';
import type { RowPacket } from './mysql-text-rows.js';

/** A collector of a query's row packets (text or vectors). */
export interface RowCollector {
  row(packet: RowPacket): void;
  /**
   * The buffers of the packets given so far are about to be read into again: copy what is still
   * needed from them. Without it a collector may keep no view of a packet's bytes after row().
   */
  release?(): void;
  /**
   * Takes as many of the whole row packets of buf[at, end) as it can in one go, the first with
   * sequence number `sequenceId`, and returns how many (0: the next goes to row()). Only on a
   * socket of mysql-socket-reads.ts.
   */
  packets?(buf: Buffer, at: number, end: number, sequenceId: number): number;
}

/** What takes the row packets of a query: its collector, behind the query's own error handling. */
export interface RowTaker {
  row(packet: RowPacket): void;
  release(): void;
  packets?(buf: Buffer, at: number, end: number, sequenceId: number): number;
}

/** The parts of mysql2's connection and command that the fast path reads (mysql2 3.x internals). */
export interface MySqlInternals {
  config: { compress?: boolean; debug?: unknown };
  packetParser?: { onPacket: (packet: WirePacket) => void; length: number; packetHeaderLength: number };
  sequenceId: number;
  _command?: Command;
  _paused?: boolean;
  _fatalError?: unknown;
}
interface Command {
  next: unknown;
  row?: unknown;
  [ROWS]?: RowTaker;
}
export interface WirePacket extends RowPacket {
  /** Where the packet's 4-byte header starts in `buffer`. */
  start: number;
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
 * its row state, the packet is one whole packet and not the EOF or error packet that ends the rows;
 * the whole row packets after it in the same socket read are then taken in one loop (takeFollowing).
 * Everything else (column definitions, the end of the rows, errors, packets over 16 MB, a paused or
 * failed connection, the compressed protocol) goes through mysql2 as usual, where the row parser
 * that mysql2 sets once the column definitions have arrived is replaced by the collector too.
 * On a socket of mysql-socket-reads.ts the row packets are taken before mysql2 sees any bytes,
 * from the one buffer the socket reads into (rowTaker decides for both).
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
    hookRowPackets(core as unknown as MySqlInternals);
    const query = core.query(sql, params) as unknown as mysql.Query & Command;
    const packets = rows.packets?.bind(rows);
    query[ROWS] = {
      row: next,
      release: () => rows.release?.(),
      ...(packets && {
        packets: (buf: Buffer, at: number, end: number, sequenceId: number) => {
          if (failed) return 0;
          try {
            return packets(buf, at, end, sequenceId);
          } catch (error) {
            failed = error;
            return 0;
          }
        },
      }),
    };
    Object.defineProperty(query, '_rowParser', { configurable: true, get: () => ({ next }), set: () => undefined });
    query.on('error', reject);
    query.on('end', () => (failed ? reject(failed) : resolve(rows)));
  });
}

/** Puts the row-packet hook on a connection's packet parser, once. */
function hookRowPackets(connection: MySqlInternals): void {
  const parser = connection.packetParser;
  if (!parser || connection.config.compress || (parser as { [HOOKED]?: boolean })[HOOKED]) return;
  const original = parser.onPacket;
  const greedy = parser.packetHeaderLength === 4 && skipsByLength(parser);
  parser.onPacket = (packet: WirePacket) => {
    const taker = rowTaker(connection);
    if (taker && packet.numPackets === 1 && packet.sequenceId === connection.sequenceId && isRow(packet.buffer, packet.offset, packet.end - packet.offset)) {
      connection.sequenceId = (connection.sequenceId + 1) % 256;
      taker.row(packet);
      if (greedy) takeFollowing(connection, parser, packet, taker);
      return;
    }
    original(packet);
  };
  (parser as { [HOOKED]?: boolean })[HOOKED] = true;
}

/**
 * The taker of the connection's current command when row packets may go to it now: the command
 * is a queryRowPackets query in its row state, and the connection is neither paused, failed nor
 * in mysql2's debug mode. The packet must then be a whole one (under 16 MB), carry the sequence
 * number the connection expects, and be a row (isRow).
 */
export function rowTaker(connection: MySqlInternals): RowTaker | undefined {
  const command = connection._command;
  const taker = command?.[ROWS];
  return taker !== undefined && command!.next === command!.row && !connection._paused && !connection._fatalError && !connection.config.debug ? taker : undefined;
}

/** Whether the connection's current command is a queryRowPackets query, in whatever state. */
export function runsRowPackets(connection: MySqlInternals): boolean {
  return connection._command?.[ROWS] !== undefined;
}

/** Not an error packet, nor the EOF packet after the last row (mysql2's isEOF: 0xfe and under 13 bytes with the 4-byte header). */
export function isRow(buffer: Buffer, offset: number, length: number): boolean {
  const first = buffer[offset];
  return first !== 0xff && !(first === 0xfe && length < 9);
}

/** The payload length in the 4-byte header of the packet at `at` (3 bytes, little-endian). */
export function packetLength(buffer: Buffer, at: number): number {
  return buffer[at] | (buffer[at + 1] << 8) | (buffer[at + 2] << 16);
}

/**
 * Whether the whole packet at `at` (its header there, `length` bytes after it) goes to the taker:
 * under 16 MB (a longer one continues in the next packet), the sequence number the connection
 * expects, and a row.
 */
export function takesPacket(connection: MySqlInternals, buffer: Buffer, at: number, length: number): boolean {
  return length < 0xffffff && buffer[at + 3] === connection.sequenceId && isRow(buffer, at + 4, length);
}

/** Hands the packet at `at` to the taker in `packet` (one object, reused) and moves the connection's sequence on. */
export function handPacket(connection: MySqlInternals, taker: RowTaker, packet: WirePacket, buffer: Buffer, at: number, length: number): void {
  packet.buffer = buffer;
  packet.start = at;
  packet.offset = at + 4;
  packet.end = at + 4 + length;
  packet.sequenceId = buffer[at + 3];
  connection.sequenceId = (connection.sequenceId + 1) % 256;
  taker.row(packet);
}

/**
 * The whole row packets that follow `packet` in the same socket read, taken in one loop instead
 * of one call back from mysql2's parser each. Stops at anything else (the EOF or an error packet,
 * a packet the read does not hold whole, one of 16 MB or more, an unexpected sequence number),
 * which mysql2 then parses as usual: its parser moves on by the header and its `length` after the
 * callback, so `length` is set to span the packets taken.
 */
function takeFollowing(connection: MySqlInternals, parser: NonNullable<MySqlInternals['packetParser']>, packet: WirePacket, taker: RowTaker): void {
  const buffer = packet.buffer;
  const from = packet.start;
  let at = packet.end;
  while (buffer.length - at >= 5) {
    const length = packetLength(buffer, at);
    if (buffer.length - at - 4 < length || !takesPacket(connection, buffer, at, length)) break;
    handPacket(connection, taker, packet, buffer, at, length);
    at += 4 + length;
  }
  parser.length = at - from - 4;
}

/**
 * Whether this mysql2's parser moves on after a packet by its header and its `length` field as read
 * after the callback (mysql2 3.x's executeStart); if not, the packets after the first of a read are
 * left to mysql2, one callback each.
 */
function skipsByLength(parser: object): boolean {
  const executeStart = (Object.getPrototypeOf(parser) as { executeStart?: unknown }).executeStart;
  return typeof executeStart === 'function' && /start \+= this\.packetHeaderLength \+ this\.length/.test(String(executeStart));
}
