import { Long, ObjectId, type Collection, type Db, type Document, type Filter, type MongoClient } from 'mongodb';
import { nearest } from '../../../core/errors/did-you-mean.js';
import type { ExtractLoad, ExtractRequest, SourceConnection } from '../../../core/extract/source-adapter.js';
import { bsonToJson, documentToJson, idToText } from './bson-to-json.js';
import { childRows, emptiedGroupMarker, ROOT_ID_COLUMN } from './child-tables.js';
import { hostsOfUrl, type MongoSourceSettings, type MongoTableSettings } from './mongodb-config.js';
import { compareCursor, decodeCursor, encodeCursor, fieldValue, type CursorState } from './mongodb-cursor.js';
import { describeMongoError, MongoSourceError, UNAUTHORIZED } from './mongodb-errors.js';

/** The state a MongoDB table's loads leave in the lake. */
export interface MongoTableState {
  cursor_field?: string;
  /** The largest cursor value landed so far, at most the largest when its run began; the next run reads from it on. */
  cursor?: CursorState;
}

/**
 * An open MongoDB source. Each table is one load per run: whole documents, or the rows of one
 * array (`unnest`) with keys derived from the document's `_id`. With a cursor field, a run reads
 * the documents from the state's cursor on (merge: inclusive, with an optional lookback; append:
 * above it and at most the largest value when the run began); a first or full run reads them all.
 */
export class MongoSourceConnection implements SourceConnection {
  private readonly db: Db;

  constructor(
    private readonly client: MongoClient,
    private readonly sourceName: string,
    private readonly settings: MongoSourceSettings,
    private readonly file?: string,
  ) {
    this.db = client.db(settings.connection.database);
  }

  async *extract(request: ExtractRequest): AsyncIterable<ExtractLoad> {
    const table = this.settings.tables.get(request.table.name);
    if (!table) throw new MongoSourceError(`table '${request.table.name}' is not declared in source '${this.sourceName}'`);
    let collection: Collection;
    let plan: ExtractPlan;
    try {
      collection = await this.collection(table);
      plan = await this.plan(collection, table, request);
    } catch (error) {
      throw this.describe(error);
    }
    yield table.unnest ? this.unnestLoad(collection, table, table.unnest, plan, request) : this.documentLoad(collection, table, plan, request);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The collection, after checking it exists: MongoDB reads a missing one as empty. */
  private async collection(table: MongoTableSettings): Promise<Collection> {
    let names: string[];
    try {
      names = (await this.db.listCollections({}, { nameOnly: true, authorizedCollections: true }).toArray()).map((c) => c.name as string);
    } catch (error) {
      // A user allowed to read the collection but not to list the database's: read without the check.
      if ((error as { code?: unknown }).code === UNAUTHORIZED) return this.db.collection(table.collection);
      throw error;
    }
    if (!names.includes(table.collection)) {
      const close = nearest(table.collection, names);
      const hint = close ? `did you mean '${close}'?` : names.length ? `it has ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}` : 'it has no collections';
      throw new MongoSourceError(`collection '${table.collection}' does not exist in MongoDB database '${this.settings.connection.database}' (${hint}); set 'loader.collection' to its name`);
    }
    return this.db.collection(table.collection);
  }

  /** The filter of this run's load, and the state before it. */
  private async plan(collection: Collection, table: MongoTableSettings, request: ExtractRequest): Promise<ExtractPlan> {
    const field = table.cursorField;
    const disposition = request.fullRefresh ? 'replace' : table.disposition;
    if (!field) return { filter: {}, disposition };
    const previous = request.state as MongoTableState | undefined;
    const incremental = !request.fullRefresh && table.disposition !== 'replace' && previous?.cursor !== undefined && previous.cursor_field === field;
    const since = incremental ? previous!.cursor : undefined;
    // The run's upper bound, the largest cursor value before reading: the state never goes past
    // it, so a document updated while the run reads (to a larger value) is read by the next run.
    const top = await collection.find({ [field]: { $exists: true } }, { projection: { [field]: 1 }, sort: { [field]: -1 }, limit: 1 }).toArray();
    const upper = top.length ? fieldValue(top[0], field) : undefined;
    const bound = upper === null || upper === undefined ? undefined : upper;
    const boundState = bound === undefined ? undefined : encodeCursor(bound);
    let filter: Filter<Document> = {};
    if (since) {
      // Merge reads the state's own value again (and a lookback below it): a document written later
      // with the same cursor value is not skipped, and what is read twice is merged away by key.
      // Append reads strictly above it, and not above the bound, so that nothing lands twice.
      const lower = table.disposition === 'merge' ? { $gte: lookBack(decodeCursor(since), table.lookback) } : { $gt: decodeCursor(since) };
      filter = { [field]: bound === undefined ? lower : { ...lower, $lte: bound } };
    } else if (disposition === 'append' && bound !== undefined) {
      // A first append run takes documents without the cursor too; later runs cannot.
      filter = { $or: [{ [field]: { $lte: bound } }, { [field]: null }] };
    }
    // A first or full merge/replace run reads every document, whatever type its cursor has.
    return { filter, since, bound: boundState, disposition };
  }

  private documentLoad(collection: Collection, table: MongoTableSettings, plan: ExtractPlan, request: ExtractRequest): ExtractLoad {
    const cursor = new CursorMax(table.cursorField, plan.since, plan.bound);
    const documents = this.read(collection, plan.filter, undefined, table.batchSize, request.signal);
    const field = table.cursorField;
    async function* rows() {
      for await (const document of documents) {
        cursor.see(document);
        const row = documentToJson(document);
        row._id = idToText(document._id);
        // A nested cursor (`meta.updatedAt`) is also a top-level column of that name: the lake
        // reader orders a key's rows by the cursor column, and the writer records its range.
        if (field?.includes('.')) row[field] = bsonToJson(fieldValue(document, field));
        yield row;
      }
    }
    return {
      rows: rows(),
      format: table.format,
      disposition: plan.disposition,
      primaryKey: table.primaryKey,
      ...(field ? { cursorField: field } : {}),
      state: () => cursor.state(),
    };
  }

  private unnestLoad(collection: Collection, table: MongoTableSettings, path: string, plan: ExtractPlan, request: ExtractRequest): ExtractLoad {
    const cursor = new CursorMax(table.cursorField, plan.since, plan.bound);
    // Top-level fields only: MongoDB refuses a projection of both `meta` and `meta.updatedAt`.
    const projection: Document = { _id: 1 };
    for (const f of [path, table.cursorField ?? '']) if (f) projection[f.split('.')[0]] = 1;
    const documents = this.read(collection, plan.filter, projection, table.batchSize, request.signal);
    // Child rows carry their document's cursor value (unless they have a field of that name): the
    // lake reader orders a key's rows by it, and it says which version of the document they are from.
    const field = table.cursorField;
    // Under merge a document read again replaces all its child rows (elements removed from the array
    // disappear); a document whose array is now empty lands one marker row, with no key, saying so.
    const merge = plan.disposition === 'merge';
    async function* rows() {
      for await (const document of documents) {
        cursor.see(document);
        const at = field ? bsonToJson(fieldValue(document, field)) : null;
        const rootId = idToText(document._id);
        const children = childRows(documentToJson(document), rootId, path);
        if (merge && children.length === 0) children.push(emptiedGroupMarker(rootId));
        for (const row of children) {
          if (field && !(field in row)) row[field] = at;
          yield row;
        }
      }
    }
    return { rows: rows(), format: table.format, disposition: plan.disposition, primaryKey: table.primaryKey, ...(merge ? { groupKey: [ROOT_ID_COLUMN] } : {}), state: () => cursor.state() };
  }

  /** Streams a query's documents in batches; stops, and closes the server cursor, on abort. */
  private async *read(collection: Collection, filter: Filter<Document>, projection: Document | undefined, batchSize: number, signal: AbortSignal): AsyncGenerator<Document> {
    const cursor = collection.find(filter, { batchSize, ...(projection ? { projection } : {}) });
    try {
      for await (const document of cursor) {
        if (signal.aborted) throw new MongoSourceError('extract stopped', { cause: signal.reason });
        yield document;
      }
    } catch (error) {
      throw this.describe(error, true);
    } finally {
      await cursor.close();
    }
  }

  private describe(error: unknown, reading = false): Error {
    const c = this.settings.connection;
    return describeMongoError(error, { hosts: hostsOfUrl(c.url), database: c.database, username: c.username, file: this.file, reading });
  }
}

/** A cursor value moved back by a lookback: seconds for dates and ObjectIds (their creation time), units for numbers. */
function lookBack(value: unknown, lookback: number): unknown {
  if (!lookback) return value;
  if (value instanceof Date) return new Date(value.getTime() - lookback * 1000);
  if (typeof value === 'number') return value - lookback;
  if (value instanceof Long) return value.subtract(Long.fromNumber(Math.ceil(lookback)));
  if (value instanceof ObjectId) return ObjectId.createFromTime(Math.max(0, value.getTimestamp().getTime() / 1000 - Math.ceil(lookback)));
  throw new MongoSourceError(`'loader.lookback' works with date, number and ObjectId cursors, not with ${(value as { _bsontype?: string })?._bsontype ?? typeof value} values; drop it`);
}

/** The largest cursor value of the documents read, from the previous state on, and at most the run's bound. */
class CursorMax {
  constructor(
    private readonly field: string | undefined,
    private max: CursorState | undefined,
    private readonly bound: CursorState | undefined,
  ) {}

  see(document: Document): void {
    if (!this.field) return;
    const seen = encodeCursor(fieldValue(document, this.field));
    if (!seen || (this.bound && compareCursor(seen, this.bound) > 0)) return;
    if (!this.max || compareCursor(seen, this.max) > 0) this.max = seen;
  }

  state(): Record<string, unknown> {
    return this.field ? { cursor_field: this.field, ...(this.max ? { cursor: this.max } : {}) } : {};
  }
}

interface ExtractPlan {
  filter: Filter<Document>;
  since?: CursorState;
  /** The largest cursor value when the run began. */
  bound?: CursorState;
  disposition: ExtractLoad['disposition'];
}
