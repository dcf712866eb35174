import type { Collection, Db, Document, Filter, MongoClient } from 'mongodb';
import { nearest } from '../../../core/errors/did-you-mean.js';
import type { ExtractLoad, ExtractRequest, SourceConnection } from '../../../core/extract/source-adapter.js';
import { documentToJson, idToText } from './bson-to-json.js';
import { CHILD_ID_COLUMN, childRows, type ChildTable } from './child-tables.js';
import { hostsOfUrl, type MongoSourceSettings, type MongoTableSettings } from './mongodb-config.js';
import { compareCursor, decodeCursor, encodeCursor, fieldValue, type CursorState } from './mongodb-cursor.js';
import { describeMongoError, MongoSourceError } from './mongodb-errors.js';

/** The state a MongoDB table's loads leave in the lake. */
export interface MongoTableState {
  cursor_field?: string;
  /** The largest cursor value landed so far; the next run reads documents above it. */
  cursor?: CursorState;
}

/**
 * An open MongoDB source. A table's documents land whole (one load); each flattened array lands
 * in its child table first, by its own query over the same cursor range, and the parent's load,
 * which carries the state, comes last: a run killed between them re-lands the children next time
 * (same keys, so merge and replace stay exactly-once) instead of losing them.
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
    const what = `table '${this.sourceName}.${request.table.name}'`;
    const table = this.settings.tables.get(request.table.name);
    if (!table) throw new MongoSourceError(`${what}: not declared in source '${this.sourceName}'`);
    // A child table is filled by its parent's extract.
    if (table.childOf) return;
    try {
      const collection = await this.collection(table, what);
      const plan = await this.plan(collection, table, request);
      for (const child of table.children) yield this.childLoad(collection, table, child, plan, request, what);
      yield this.parentLoad(collection, table, plan, request, what);
    } catch (error) {
      throw this.describe(error, what);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The collection, after checking it exists: MongoDB reads a missing one as empty. */
  private async collection(table: MongoTableSettings, what: string): Promise<Collection> {
    const names = (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name as string);
    if (!names.includes(table.collection)) {
      const close = nearest(table.collection, names);
      const hint = close ? `did you mean '${close}'?` : names.length ? `it has ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}` : 'it has no collections';
      throw new MongoSourceError(`${what}: collection '${table.collection}' does not exist in database '${this.settings.connection.database}' (${hint}); set 'loader.collection' to its name`);
    }
    return this.db.collection(table.collection);
  }

  /** The filter every load of this run reads, and the state before it. */
  private async plan(collection: Collection, table: MongoTableSettings, request: ExtractRequest): Promise<ExtractPlan> {
    const field = table.cursorField;
    if (!field) return { filter: {}, disposition: request.fullRefresh ? 'replace' : table.disposition };
    const previous = request.state as MongoTableState | undefined;
    const incremental = !request.fullRefresh && table.disposition !== 'replace' && previous?.cursor !== undefined && previous.cursor_field === field;
    const since = incremental ? previous!.cursor : undefined;
    // The run's upper bound, fixed before reading: a document updated while the run reads is
    // either read, or has a cursor above the bound and is read by the next run; never skipped.
    const top = await collection.find({ [field]: { $exists: true } }, { projection: { [field]: 1 }, sort: { [field]: -1 }, limit: 1 }).toArray();
    const upper = top.length ? fieldValue(top[0], field) : undefined;
    const bound = upper === null || upper === undefined ? undefined : upper;
    let filter: Filter<Document>;
    if (since) filter = bound === undefined ? { [field]: { $gt: decodeCursor(since) } } : { $and: [{ [field]: { $gt: decodeCursor(since) } }, { [field]: { $lte: bound } }] };
    else if (bound === undefined) filter = {};
    // Documents without the cursor field land on the first (or a full) run only.
    else filter = { $or: [{ [field]: { $lte: bound } }, { [field]: null }] };
    return { filter, since, disposition: request.fullRefresh ? 'replace' : table.disposition };
  }

  private childLoad(collection: Collection, table: MongoTableSettings, child: ChildTable, plan: ExtractPlan, request: ExtractRequest, what: string): ExtractLoad {
    const root = child.path.split('.')[0];
    const documents = this.read(collection, plan.filter, { _id: 1, [root]: 1 }, table.batchSize, request.signal, what);
    async function* rows() {
      for await (const document of documents) {
        const id = idToText(document._id);
        yield* childRows(documentToJson(document), id, table.name, child);
      }
    }
    return {
      table: child.table,
      rows: rows(),
      format: table.format,
      disposition: plan.disposition,
      primaryKey: [CHILD_ID_COLUMN],
      state: () => ({ parent_table: table.name }),
    };
  }

  private parentLoad(collection: Collection, table: MongoTableSettings, plan: ExtractPlan, request: ExtractRequest, what: string): ExtractLoad {
    const field = table.cursorField;
    let max: CursorState | undefined = plan.since;
    const documents = this.read(collection, plan.filter, undefined, table.batchSize, request.signal, what);
    async function* rows() {
      for await (const document of documents) {
        if (field) {
          const seen = encodeCursor(fieldValue(document, field));
          if (seen && (!max || compareCursor(seen, max) > 0)) max = seen;
        }
        const row = documentToJson(document);
        row._id = idToText(document._id);
        yield row;
      }
    }
    return {
      rows: rows(),
      format: table.format,
      disposition: plan.disposition,
      primaryKey: table.primaryKey,
      // The writer records the landed range of a top-level cursor; a dotted one is not a column.
      ...(field && !field.includes('.') ? { cursorField: field } : {}),
      state: (): Record<string, unknown> => (field ? { cursor_field: field, ...(max ? { cursor: max } : {}) } : {}),
    };
  }

  /** Streams a query's documents in batches; stops, and closes the server cursor, on abort. */
  private async *read(collection: Collection, filter: Filter<Document>, projection: Document | undefined, batchSize: number, signal: AbortSignal, what: string): AsyncGenerator<Document> {
    const cursor = collection.find(filter, { batchSize, ...(projection ? { projection } : {}) });
    try {
      for await (const document of cursor) {
        if (signal.aborted) throw new MongoSourceError(`${what}: extract stopped`, { cause: signal.reason });
        yield document;
      }
    } catch (error) {
      throw this.describe(error, what);
    } finally {
      await cursor.close();
    }
  }

  private describe(error: unknown, what: string): Error {
    const c = this.settings.connection;
    return describeMongoError(error, what, { hosts: hostsOfUrl(c.url), database: c.database, username: c.username, file: this.file, reading: true });
  }
}

interface ExtractPlan {
  filter: Filter<Document>;
  since?: CursorState;
  disposition: ExtractLoad['disposition'];
}
