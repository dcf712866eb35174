/**
 * TEST ONLY: a small MongoDB wire-protocol server, so the official driver can be tested where no
 * MongoDB server can be installed. It speaks OP_MSG (and OP_QUERY/OP_REPLY for the driver's
 * first handshake) on 127.0.0.1 at a free port, and answers hello/isMaster, ping, buildInfo,
 * endSessions, listCollections, find, getMore, killCursors, aggregate ($match, $sort, $limit,
 * $skip, $project) and, when users are configured, SCRAM-SHA-256 saslStart/saslContinue. Data is
 * in-memory collections the test seeds. It is not a database: no writes over the wire, no indexes;
 * a query's results are fixed when it starts (a snapshot); projections keep or drop whole top-level
 * fields (a dotted path keeps its top-level field whole).
 */

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { Binary, BSON, Long, type Document } from 'bson';
import { aggregate, matches, project, QueryError, sortDocuments } from './mongo-wire-test-query.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
const DEFAULT_BATCH = 101;

export interface MongoWireTestServerOptions {
  /** user -> password; when set, every command but the handshake needs SCRAM-SHA-256 authentication. */
  users?: Record<string, string>;
}

/** A command the server received, for assertions (`getMore` was used, with which batch size). */
export interface ReceivedCommand {
  name: string;
  db: string;
  command: Document;
}

/** A failure the next matching commands get, like MongoDB's `failCommand` fail point. */
export interface CommandFailure {
  /** Drop the connection instead of answering. */
  closeConnection?: boolean;
  code?: number;
  codeName?: string;
  errmsg?: string;
  /** How many matching commands fail; default 1. */
  times?: number;
}

interface OpenCursor {
  ns: string;
  documents: Document[];
  /** How many of `documents` were returned already. */
  offset: number;
}

interface Session {
  authenticated: boolean;
  scram?: { user: string; authMessagePrefix: string; nonce: string; salted: Buffer };
}

/** TEST ONLY MongoDB server (see the file comment). */
export class MongoWireTestServer {
  readonly received: ReceivedCommand[] = [];
  private readonly databases = new Map<string, Map<string, Document[]>>();
  private readonly cursors = new Map<bigint, OpenCursor>();
  private readonly failures = new Map<string, CommandFailure & { times: number }>();
  private readonly delays = new Map<string, number>();
  private readonly sockets = new Set<net.Socket>();
  private nextCursorId = 1n;
  private nextConnectionId = 1;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly users: Record<string, string> | undefined,
  ) {}

  /** Starts a server on 127.0.0.1 at a free port. */
  static async start(options: MongoWireTestServerOptions = {}): Promise<MongoWireTestServer> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    const instance = new MongoWireTestServer(server, port, options.users);
    server.on('connection', (socket) => instance.serve(socket));
    return instance;
  }

  /** A connection string for the server; credentials only when given. */
  url(database = 'test', credentials?: { user: string; password: string }): string {
    const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';
    return `mongodb://${auth}127.0.0.1:${this.port}/${database}?directConnection=true`;
  }

  /** Adds documents to a collection (created if needed), stored with their exact BSON types. */
  insert(database: string, collection: string, documents: Document[]): void {
    const docs = this.collection(database, collection, true)!;
    for (const document of documents) docs.push(BSON.deserialize(BSON.serialize(document), { promoteValues: false, bsonRegExp: true }));
  }

  /** Replaces the document with this `_id` (as MongoDB's replaceOne does); throws when there is none. */
  replace(database: string, collection: string, document: Document): void {
    const docs = this.collection(database, collection, false);
    const index = docs?.findIndex((d) => matches(d, { _id: document._id })) ?? -1;
    if (!docs || index < 0) throw new Error(`no document with _id ${String(document._id)} in ${database}.${collection}`);
    docs[index] = BSON.deserialize(BSON.serialize(document), { promoteValues: false, bsonRegExp: true });
  }

  /** Removes a collection. */
  drop(database: string, collection: string): void {
    this.databases.get(database)?.delete(collection);
  }

  /** Makes the next `times` commands named `name` fail (or drop their connection). */
  failCommand(name: string, failure: CommandFailure): void {
    this.failures.set(name, { ...failure, times: failure.times ?? 1 });
  }

  /** Answers every command named `name` only after `ms` milliseconds (0 removes the delay): a slow server. */
  delayCommand(name: string, ms: number): void {
    if (ms > 0) this.delays.set(name, ms);
    else this.delays.delete(name);
  }

  /** Server cursors still open (not exhausted, not killed). */
  openCursors(): number {
    return this.cursors.size;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private collection(database: string, name: string, create: boolean): Document[] | undefined {
    let db = this.databases.get(database);
    if (!db && create) this.databases.set(database, (db = new Map()));
    let docs = db?.get(name);
    if (!docs && create) db!.set(name, (docs = []));
    return docs;
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session: Session = { authenticated: !this.users };
    const connectionId = this.nextConnectionId++;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const length = buffered.readInt32LE(0);
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        try {
          this.handle(socket, message, session, connectionId);
        } catch (error) {
          // A message the server cannot read: like mongod, drop the connection.
          socket.destroy(error as Error);
          return;
        }
      }
    });
  }

  private handle(socket: net.Socket, message: Buffer, session: Session, connectionId: number): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      // flags, then "<db>.$cmd", skip, return, the command document.
      const end = message.indexOf(0, 20);
      const ns = message.toString('utf8', 20, end);
      const docStart = end + 1 + 8;
      const command = BSON.deserialize(message.subarray(docStart, docStart + message.readInt32LE(docStart)), { bsonRegExp: true });
      const reply = this.respond(socket, command, ns.split('.')[0], session, connectionId);
      if (reply) this.send(socket, String(Object.keys(command)[0]), opReply(requestId, reply));
      return;
    }
    if (opCode !== OP_MSG) throw new Error(`unsupported opCode ${opCode}`);
    const flags = message.readUInt32LE(16);
    const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
    let offset = 20;
    let command: Document | undefined;
    const sequences: Record<string, Document[]> = {};
    while (offset < end) {
      const kind = message[offset++];
      if (kind === 0) {
        const size = message.readInt32LE(offset);
        command = BSON.deserialize(message.subarray(offset, offset + size), { bsonRegExp: true });
        offset += size;
      } else if (kind === 1) {
        const size = message.readInt32LE(offset);
        const sectionEnd = offset + size;
        const idEnd = message.indexOf(0, offset + 4);
        const id = message.toString('utf8', offset + 4, idEnd);
        let at = idEnd + 1;
        sequences[id] = [];
        while (at < sectionEnd) {
          const docSize = message.readInt32LE(at);
          sequences[id].push(BSON.deserialize(message.subarray(at, at + docSize)));
          at += docSize;
        }
        offset = sectionEnd;
      } else {
        throw new Error(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!command) throw new Error('OP_MSG without a command section');
    Object.assign(command, sequences);
    const reply = this.respond(socket, command, String(command.$db ?? 'admin'), session, connectionId);
    if (reply && !(flags & MORE_TO_COME)) this.send(socket, String(Object.keys(command)[0]), opMsg(requestId, reply));
  }

  private send(socket: net.Socket, command: string, message: Buffer): void {
    const delay = this.delays.get(command);
    if (!delay) socket.write(message);
    else setTimeout(() => socket.destroyed || socket.write(message), delay);
  }

  /** The reply to one command, or undefined when the connection was dropped instead. */
  private respond(socket: net.Socket, command: Document, db: string, session: Session, connectionId: number): Document | undefined {
    const name = Object.keys(command)[0];
    this.received.push({ name, db, command });
    const failure = this.failures.get(name);
    if (failure) {
      if (--failure.times <= 0) this.failures.delete(name);
      if (failure.closeConnection) {
        socket.destroy();
        return undefined;
      }
      return { ok: 0, errmsg: failure.errmsg ?? 'failing command', code: failure.code ?? 1, codeName: failure.codeName ?? 'InternalError' };
    }
    try {
      return { ...this.run(name, command, db, session, connectionId), ok: 1 };
    } catch (error) {
      if (error instanceof QueryError) return { ok: 0, errmsg: error.message, code: error.code, codeName: error.codeName };
      throw error;
    }
  }

  private run(name: string, command: Document, db: string, session: Session, connectionId: number): Document {
    switch (name.toLowerCase()) {
      case 'hello':
      case 'ismaster':
        return this.hello(name, command, connectionId);
      case 'ping':
        return {};
      case 'buildinfo':
        return { version: '7.0.0-wire-test', versionArray: [7, 0, 0, 0], maxBsonObjectSize: 16 * 1024 * 1024 };
      case 'endsessions':
        return {};
      case 'saslstart':
        return this.saslStart(command, session);
      case 'saslcontinue':
        return this.saslContinue(command, session);
    }
    if (!session.authenticated) throw new QueryError(`Command ${name} requires authentication`, 13, 'Unauthorized');
    switch (name) {
      case 'listCollections': {
        const names = [...(this.databases.get(db)?.keys() ?? [])].map((n) => ({ name: n, type: 'collection' }));
        return this.cursorReply(`${db}.$cmd.listCollections`, names.filter((n) => matches(n, (command.filter as Document) ?? {})), command.cursor?.batchSize);
      }
      case 'find': {
        const docs = this.collection(db, String(command.find), false) ?? [];
        let found = sortDocuments(docs.filter((d) => matches(d, (command.filter as Document) ?? {})), command.sort as Document | undefined);
        if (command.skip) found = found.slice(Number(command.skip));
        if (command.limit) found = found.slice(0, Math.abs(Number(command.limit)));
        return this.cursorReply(`${db}.${String(command.find)}`, found.map((d) => project(d, command.projection as Document | undefined)), command.batchSize, command.singleBatch === true);
      }
      case 'aggregate': {
        const docs = this.collection(db, String(command.aggregate), false) ?? [];
        return this.cursorReply(`${db}.${String(command.aggregate)}`, aggregate(docs, command.pipeline as Document[]), command.cursor?.batchSize);
      }
      case 'getMore': {
        const id = BigInt(String(command.getMore));
        const cursor = this.cursors.get(id);
        if (!cursor) throw new QueryError(`cursor id ${id} not found`, 43, 'CursorNotFound');
        const end = command.batchSize ? cursor.offset + Number(command.batchSize) : cursor.documents.length;
        const batch = cursor.documents.slice(cursor.offset, end);
        cursor.offset += batch.length;
        const more = cursor.offset < cursor.documents.length;
        if (!more) this.cursors.delete(id);
        return { cursor: { nextBatch: batch, id: Long.fromBigInt(more ? id : 0n), ns: cursor.ns } };
      }
      case 'killCursors': {
        const ids = (command.cursors as unknown[]).map((c) => BigInt(String(c)));
        const killed = ids.filter((id) => this.cursors.delete(id));
        return { cursorsKilled: killed.map((id) => Long.fromBigInt(id)), cursorsNotFound: ids.filter((id) => !killed.includes(id)).map((id) => Long.fromBigInt(id)), cursorsAlive: [], cursorsUnknown: [] };
      }
      default:
        throw new QueryError(`no such command: '${name}' (the wire test server does not implement it)`, 59, 'CommandNotFound');
    }
  }

  private hello(name: string, command: Document, connectionId: number): Document {
    const reply: Document = {
      helloOk: true,
      [name === 'hello' ? 'isWritablePrimary' : 'ismaster']: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
    };
    // "admin.<user>": the mechanisms that user may use. A speculative authentication is not answered,
    // so the driver runs the full saslStart/saslContinue conversation.
    if (this.users && typeof command.saslSupportedMechs === 'string') reply.saslSupportedMechs = ['SCRAM-SHA-256'];
    return reply;
  }

  private cursorReply(ns: string, documents: Document[], batchSize: unknown, singleBatch = false): Document {
    const size = batchSize === undefined || batchSize === null ? DEFAULT_BATCH : Number(batchSize);
    const first = documents.slice(0, size);
    const rest = singleBatch ? [] : documents.slice(size);
    let id = 0n;
    if (rest.length) {
      id = this.nextCursorId++;
      this.cursors.set(id, { ns, documents: rest, offset: 0 });
    }
    return { cursor: { firstBatch: first, id: Long.fromBigInt(id), ns } };
  }

  // SCRAM-SHA-256 (RFC 7677) as mongod runs it: client-first, server-first, client-final with proof.
  private saslStart(command: Document, session: Session): Document {
    if (command.mechanism !== 'SCRAM-SHA-256') throw new QueryError(`Unsupported mechanism ${String(command.mechanism)}`, 2, 'BadValue');
    const clientFirst = Buffer.from((command.payload as Binary).value()).toString('utf8');
    const bare = clientFirst.replace(/^n,,/, '');
    const user = /(?:^|,)n=([^,]*)/.exec(bare)?.[1]?.replaceAll('=2C', ',').replaceAll('=3D', '=') ?? '';
    const clientNonce = /(?:^|,)r=([^,]*)/.exec(bare)?.[1] ?? '';
    const salt = createHash('sha256').update(`salt:${user}`).digest().subarray(0, 16);
    const iterations = 4096;
    const nonce = clientNonce + randomBytes(18).toString('base64');
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
    // An unknown user still gets a conversation, and fails at the proof, as mongod does.
    const password = this.users?.[user] ?? randomBytes(16).toString('hex');
    session.scram = { user, nonce, authMessagePrefix: `${bare},${serverFirst}`, salted: pbkdf2Sync(password, salt, iterations, 32, 'sha256') };
    return { conversationId: 1, done: false, payload: new Binary(Buffer.from(serverFirst)) };
  }

  private saslContinue(command: Document, session: Session): Document {
    const scram = session.scram;
    if (!scram) throw new QueryError('No SASL session state found', 17, 'ProtocolError');
    const clientFinal = Buffer.from((command.payload as Binary).value()).toString('utf8');
    const withoutProof = clientFinal.replace(/,p=[^,]*$/, '');
    const proof = Buffer.from(/,p=([^,]*)$/.exec(clientFinal)?.[1] ?? '', 'base64');
    const authMessage = `${scram.authMessagePrefix},${withoutProof}`;
    const clientKey = hmac(scram.salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const signature = hmac(storedKey, authMessage);
    const recovered = Buffer.from(proof.map((b, i) => b ^ signature[i]));
    const nonceOk = withoutProof.includes(`r=${scram.nonce}`);
    session.scram = undefined;
    if (!nonceOk || recovered.length !== 32 || !timingSafeEqual(createHash('sha256').update(recovered).digest(), storedKey)) {
      throw new QueryError('Authentication failed.', 18, 'AuthenticationFailed');
    }
    session.authenticated = true;
    const serverSignature = hmac(hmac(scram.salted, 'Server Key'), authMessage);
    return { conversationId: 1, done: true, payload: new Binary(Buffer.from(`v=${serverSignature.toString('base64')}`)) };
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

let replyId = 1;

function opMsg(responseTo: number, document: Document): Buffer {
  const body = BSON.serialize(document);
  const length = 16 + 4 + 1 + body.length;
  return Buffer.concat([header(length, replyId++, responseTo, OP_MSG), Buffer.alloc(4), Buffer.from([0]), body]);
}

function opReply(responseTo: number, document: Document): Buffer {
  const body = BSON.serialize(document);
  const fields = Buffer.alloc(20);
  // responseFlags 0, cursorID 0, startingFrom 0, numberReturned 1.
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + body.length, replyId++, responseTo, OP_REPLY), fields, body]);
}
