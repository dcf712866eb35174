import net from 'node:net';
import { handPacket, packetLength, rowTaker, runsRowPackets, takesPacket, type MySqlInternals, type RowTaker, type WirePacket } from './mysql-row-packets.js';

/** Bytes each socket reads at once, into the one buffer it keeps. */
const READ_BYTES = 256 * 1024;

const framers = new WeakMap<object, SocketReads>();

/**
 * mysql2's `stream` option: a TCP connection to the server that reads into one buffer it keeps
 * (Node's `onread`), instead of a new buffer for every read. A table of 5 million rows is about
 * 850 MB on the wire; in fresh buffers that memory comes and goes outside V8's heap, and V8 answers
 * with a full garbage collection for every few megabytes of it. Here the row packets of a
 * queryRowPackets query are handed to its collector in place (the collector is told when the bytes
 * are about to be read over: RowCollector.release); everything else reaches mysql2 as before, as
 * copies, in order: the handshake, column definitions, the end of the rows, errors, other queries,
 * packets of 16 MB or more, a paused connection. Until `attachSocketReads` names the connection,
 * the whole packets of each read go to mysql2 in one copy.
 *
 * Not for TLS (mysql2 wraps the socket it was given) nor the compressed protocol: the source
 * leaves those to mysql2's own socket.
 */
export const socketReadsStream = socketReadsOf(READ_BYTES);

/** socketReadsStream with reads of at most `readBytes` (tests split packets between reads with small ones). */
export function socketReadsOf(readBytes: number): (options: { config: { host?: string; port?: number } }) => net.Socket {
  return (options) => {
    const reads = new SocketReads(readBytes);
    const socket = net.connect({ host: options.config.host ?? 'localhost', port: options.config.port ?? 3306, onread: { buffer: reads.buffer, callback: (n: number) => reads.read(n) } });
    // As mysql2 sets on the sockets it makes itself: each command goes out at once.
    socket.setNoDelay(true);
    reads.socket = socket;
    framers.set(socket, reads);
    return socket;
  };
}

/** Tells a socketReadsStream socket which mysql2 connection reads it, so that row packets can go to its queries' collectors. */
export function attachSocketReads(connection: object): void {
  const internals = connection as unknown as MySqlInternals & { stream?: object };
  const reads = internals.stream ? framers.get(internals.stream) : undefined;
  if (reads && !internals.config.compress) reads.connection = internals;
}

/** The packet framing of one socket's reads: what is taken in place, what goes to mysql2, and a packet split between reads. */
class SocketReads {
  readonly buffer: Buffer;
  socket?: net.Socket;
  connection?: MySqlInternals;
  /** A packet begun in an earlier read, in `carried` bytes. */
  private carry: Buffer = Buffer.allocUnsafe(64 * 1024);
  private carried = 0;
  /** The one packet object handed to collectors (they read it during row() only). */
  private readonly packet: WirePacket;
  /** The taker given packets from a buffer that is read into again, until released. */
  private holding?: RowTaker;

  constructor(readBytes: number) {
    this.buffer = Buffer.allocUnsafe(readBytes);
    this.packet = { buffer: this.buffer, offset: 0, end: 0, start: 0, sequenceId: 0, numPackets: 1 };
  }

  /** One read of `n` bytes into `buffer`; never asks Node to pause (mysql2 pauses the socket itself). */
  read(n: number): true {
    let at = 0;
    if (this.carried) {
      at = this.finishCarried(n);
      if (this.carried) return true;
    }
    at = this.packets(this.buffer, at, n);
    this.release();
    if (at < n) this.keep(at, n);
    return true;
  }

  /** Completes the packet carried over with the first bytes of this read and hands it on; returns where this read goes on. */
  private finishCarried(n: number): number {
    let at = 0;
    if (this.carried < 4) {
      const header = Math.min(4 - this.carried, n);
      this.buffer.copy(this.carry, this.carried, 0, header);
      this.carried += header;
      at = header;
      if (this.carried < 4) return n;
    }
    const total = 4 + packetLength(this.carry, 0);
    if (this.carry.length < total) this.carry = grown(this.carry, this.carried, total);
    const more = Math.min(total - this.carried, n - at);
    this.buffer.copy(this.carry, this.carried, at, at + more);
    this.carried += more;
    at += more;
    if (this.carried < total) return n;
    this.packets(this.carry, 0, total);
    this.release();
    this.carried = 0;
    return at;
  }

  /**
   * Hands on the whole packets of buf[from, end) and returns where the partial packet at the end
   * starts (or `end`). While the connection's command is one of ours, packet by packet, so that
   * each decision sees the state the packets before it left mysql2 in (a taken row changes nothing
   * there, so the taker is looked up again only after a packet went to mysql2); otherwise the whole
   * packets left go to mysql2 in one copy.
   */
  private packets(buf: Buffer, from: number, end: number): number {
    const connection = this.connection;
    let taker = connection && rowTaker(connection);
    let at = from;
    while (end - at >= 4) {
      if (!taker && !(connection && runsRowPackets(connection))) {
        const whole = wholePackets(buf, at, end);
        if (whole > at) this.forward(buf, at, whole);
        return whole;
      }
      const length = packetLength(buf, at);
      if (end - at - 4 < length) break;
      if (taker && takesPacket(connection!, buf, at, length)) {
        this.holding = taker;
        // As many rows as the collector takes in one go (the C parser), then this one by itself.
        const taken = taker.packets?.(buf, at, end, connection!.sequenceId) ?? 0;
        if (taken) {
          for (let k = 0; k < taken; k++) at += 4 + packetLength(buf, at);
          connection!.sequenceId = (connection!.sequenceId + taken) % 256;
          continue;
        }
        handPacket(connection!, taker, this.packet, buf, at, length);
      } else {
        this.forward(buf, at, at + 4 + length);
        taker = rowTaker(connection!);
      }
      at += 4 + length;
    }
    return at;
  }

  /** Bytes to mysql2, as a copy: mysql2 keeps views of the buffers it is given. */
  private forward(buf: Buffer, from: number, to: number): void {
    this.socket!.emit('data', Buffer.from(buf.subarray(from, to)));
  }

  /** The start of a packet that the next read finishes. */
  private keep(from: number, to: number): void {
    const length = to - from;
    if (this.carry.length < length) this.carry = Buffer.allocUnsafe(Math.max(2 * this.carry.length, length));
    this.buffer.copy(this.carry, 0, from, to);
    this.carried = length;
  }

  private release(): void {
    this.holding?.release();
    this.holding = undefined;
  }
}

/** The end of the last whole packet of buf[from, end). */
function wholePackets(buf: Buffer, from: number, end: number): number {
  let at = from;
  while (end - at >= 4) {
    const total = 4 + packetLength(buf, at);
    if (end - at < total) break;
    at += total;
  }
  return at;
}

function grown(buffer: Buffer, used: number, size: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(2 * buffer.length, size));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}
