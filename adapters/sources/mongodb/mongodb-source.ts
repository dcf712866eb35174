import { MongoClient, type MongoClientOptions } from 'mongodb';
import { UserError } from '../../../core/errors/user-error.js';
import type { SourceAdapter, SourceConnection, SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { hostsOfUrl, readMongoSource, type MongoSourceSettings } from './mongodb-config.js';
import { MongoSourceConnection } from './mongodb-connection.js';
import { describeMongoError, redact } from './mongodb-errors.js';

/** `loader: {type: mongodb}`: collections landed as JSON documents, and arrays unnested into child tables. */
export class MongoSourceAdapter implements SourceAdapter {
  readonly type = 'mongodb';

  validate(source: SourceLoaderConfig): void {
    // The driver reads the connection string without connecting: a bad one is found before any extract.
    clientFor(source, readMongoSource(source));
  }

  async connect(source: SourceLoaderConfig): Promise<SourceConnection> {
    const settings = readMongoSource(source);
    const client = clientFor(source, settings);
    const c = settings.connection;
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

/** A client for the source (not connected yet); a UserError naming the `url` line when the driver cannot read the settings. */
function clientFor(source: SourceLoaderConfig, settings: MongoSourceSettings): MongoClient {
  const c = settings.connection;
  const options: MongoClientOptions = {
    appName: 'strata',
    serverSelectionTimeoutMS: c.serverSelectionTimeoutMs,
    connectTimeoutMS: c.serverSelectionTimeoutMs,
    // Exact values: Long as bigint (never rounded to a double), regexes with their BSON flags.
    useBigInt64: true,
    bsonRegExp: true,
    ...(c.username !== undefined ? { auth: { username: c.username, password: c.password } } : {}),
    ...(c.authSource ? { authSource: c.authSource } : {}),
  };
  try {
    return new MongoClient(c.url, options);
  } catch (error) {
    throw new UserError(`source '${source.name}': the MongoDB connection settings are not valid: ${redact(error instanceof Error ? error.message : String(error))}`, {
      file: source.file,
      line: source.locate?.(undefined, 'url'),
      hint: 'the url looks like mongodb://user:password@host:27017/database (taken from the environment)',
      cause: error,
    });
  }
}

/** The one instance the extract runner's registry holds. */
export const mongoSourceAdapter = new MongoSourceAdapter();
