import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { SourceAdapter, SourceConnection, SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { hostsOfUrl, readMongoSource } from './mongodb-config.js';
import { MongoSourceConnection } from './mongodb-connection.js';
import { describeMongoError } from './mongodb-errors.js';

/** `loader: {type: mongodb}`: collections landed as JSON documents, optionally with child tables for arrays. */
export class MongoSourceAdapter implements SourceAdapter {
  readonly type = 'mongodb';

  validate(source: SourceLoaderConfig): void {
    readMongoSource(source);
  }

  async connect(source: SourceLoaderConfig): Promise<SourceConnection> {
    const settings = readMongoSource(source);
    const c = settings.connection;
    const options: MongoClientOptions = {
      appName: 'strata',
      serverSelectionTimeoutMS: c.serverSelectionTimeoutMs,
      connectTimeoutMS: c.serverSelectionTimeoutMs,
      // Exact values: Long as bigint (never rounded to a double), regexes with their BSON flags.
      useBigInt64: true,
      bsonRegExp: true,
      ...(c.username !== undefined ? { auth: { username: c.username, password: c.password }, ...(c.authSource ? { authSource: c.authSource } : {}) } : c.authSource ? { authSource: c.authSource } : {}),
    };
    let client: MongoClient;
    try {
      client = new MongoClient(c.url, options);
    } catch (error) {
      throw describeMongoError(error, { hosts: hostsOfUrl(c.url), database: c.database, username: c.username, file: source.file });
    }
    try {
      await client.connect();
      // connect() authenticates lazily on some topologies; a ping makes bad credentials fail here.
      await client.db(c.database).command({ ping: 1 });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw describeMongoError(error, { hosts: hostsOfUrl(c.url), database: c.database, username: c.username, file: source.file });
    }
    return new MongoSourceConnection(client, source.name, settings, source.file);
  }
}

/** The one instance the extract runner's registry holds. */
export const mongoSourceAdapter = new MongoSourceAdapter();
