/**
 * What the MongoDB source tests share: a target (the wire-protocol TEST server, or a real server
 * from MONGODB_URL), extracts through the real extract runner and LakeWriter, and DuckDB reads of
 * what landed.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { DuckDBDialect } from '../../adapters/duckdb/duckdb-dialect.js';
import { queryDuckDB } from '../duckdb-query.js';
import { DuckDBParquetEncoder } from '../../adapters/duckdb/duckdb-parquet-encoder.js';
import { mongoSourceAdapter } from '../../adapters/sources/mongodb/mongodb-source.js';
import { runExtract, type ExtractTableResult } from '../../core/extract/run-extract.js';
import type { SourceLoaderConfig } from '../../core/extract/source-adapter.js';
import { tableGlobs, type LakeFormat, type LoadManifest } from '../../core/lake/lake-layout.js';
import type { LakeStorage } from '../../core/lake/lake-storage.js';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { JsonLinesEncoder } from '../../core/lake/part-encoders.js';
import { MongoWireTestServer } from './mongo-wire-test-server.js';

/** A MongoDB to extract from, with a fresh database the test seeds. */
export interface MongoTarget {
  readonly label: string;
  /** The connection string the source uses. */
  readonly url: string;
  readonly database: string;
  insert(collection: string, documents: Document[]): Promise<void>;
  /** Replaces the document with the same `_id`. */
  replace(collection: string, document: Document): Promise<void>;
  /** The wire test server, when that is the target (for fail points and received commands). */
  readonly wire?: MongoWireTestServer;
  close(): Promise<void>;
}

/** The wire-protocol TEST server, on a free port of 127.0.0.1. */
export async function wireTarget(options: { users?: Record<string, string> } = {}): Promise<MongoTarget> {
  const wire = await MongoWireTestServer.start(options);
  const database = 'shop';
  return {
    label: 'MongoDB wire test server',
    url: wire.url(database),
    database,
    wire,
    insert: async (c, docs) => wire.insert(database, c, docs),
    replace: async (c, doc) => wire.replace(database, c, doc),
    close: () => wire.stop(),
  };
}

/** A real server at MONGODB_URL, in a new database that is dropped afterwards. */
export async function realTarget(url: string): Promise<MongoTarget> {
  const client = await new MongoClient(url, { serverSelectionTimeoutMS: 10_000 }).connect();
  const database = `strata_test_${randomBytes(4).toString('hex')}`;
  const db = client.db(database);
  return {
    label: 'real MongoDB (MONGODB_URL)',
    url,
    database,
    insert: async (c, docs) => {
      await db.collection(c).insertMany(docs.map((d) => ({ ...d })));
    },
    replace: async (c, doc) => {
      await db.collection(c).replaceOne({ _id: doc._id }, doc);
    },
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
}

/** A source block as the extract runner hands it to the adapter. */
export function mongoSource(target: MongoTarget, tables: Record<string, Record<string, unknown>>, settings: Record<string, unknown> = {}): SourceLoaderConfig {
  return {
    name: 'shop_mongo',
    type: 'mongodb',
    settings: { url: target.url, database: target.database, server_selection_timeout_ms: 3000, ...settings },
    tables: Object.entries(tables).map(([name, s], i) => ({ name, settings: s, line: 5 + i * 3 })),
    file: 'models/sources.yml',
  };
}

/** A lake folder, and a clock that gives each load a later second so load ids sort as they were written. */
export class TestLake {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'strata-mongo-lake-'));
  readonly storage = new LocalLakeStorage(this.root);
  readonly writer = new LakeWriter(this.storage);
  private clock = Date.parse('2026-11-25T08:00:00Z');

  nextLoadTime(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Extracts tables through the extract runner (state from the lake, one commit per load), as `strata extract` does. */
export async function extractResults(lake: TestLake, source: SourceLoaderConfig, tables: string[], options: { fullRefresh?: boolean; storage?: LakeStorage; signal?: AbortSignal; threads?: number } = {}): Promise<ExtractTableResult[]> {
  mongoSourceAdapter.validate(source);
  const parquet = new DuckDBParquetEncoder();
  try {
    return await runExtract({
      tasks: tables.map((name) => ({ source, table: source.tables.find((t) => t.name === name)!, uniqueId: `source.shop.${source.name}.${name}` })),
      adapterFor: async () => mongoSourceAdapter,
      writer: options.storage ? new LakeWriter(options.storage) : lake.writer,
      encoderFor: (format) => (format === 'parquet' ? parquet : new JsonLinesEncoder()),
      threads: options.threads ?? 1,
      fullRefresh: options.fullRefresh,
      signal: options.signal,
      now: () => lake.nextLoadTime(),
    });
  } finally {
    await parquet.close();
  }
}

/** The loads each table committed; throws the first failed table's error line. */
export async function extractTables(lake: TestLake, source: SourceLoaderConfig, tables: string[], options: Parameters<typeof extractResults>[3] = {}): Promise<LoadManifest[][]> {
  const results = await extractResults(lake, source, tables, options);
  const failed = results.find((r) => r.status !== 'success');
  if (failed) throw new Error(failed.message ?? 'failed');
  return results.map((r) => r.loads);
}

/** One table's extract; the loads it committed. */
export async function extractTable(lake: TestLake, source: SourceLoaderConfig, table: string, options: { fullRefresh?: boolean; storage?: LakeStorage; signal?: AbortSignal } = {}): Promise<LoadManifest[]> {
  return (await extractTables(lake, source, [table], options))[0];
}

/** A lake storage whose process "dies" when it writes the manifest of one table: parts stay, nothing is cleaned. */
export class KilledAtManifest extends LocalLakeStorage {
  constructor(
    root: string,
    private readonly table: string,
  ) {
    super(root);
  }

  override async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (key.includes(`/${this.table}/`) && key.endsWith('/_manifest.json')) throw new Error('killed');
    return super.put(key, body);
  }

  // A dead process removes nothing.
  override async delete(): Promise<void> {}
}

/** The relation SQL over a landed table's committed loads, as the warehouse reads them (newest row per key when a key is given). */
export function landedRelation(lake: TestLake, source: string, table: string, primaryKey?: string[], cursorField?: string, format: LakeFormat = 'jsonl', groupKey?: string[]): string {
  const globs = tableGlobs(`${lake.root}/raw/${source}/${table}`, format);
  return new DuckDBDialect().externalRelation({ ...globs, format, ...(primaryKey ? { primaryKey } : {}), ...(groupKey ? { groupKey } : {}), ...(cursorField ? { cursorField } : {}) });
}

/** Rows of a landed table as the warehouse reads them (committed loads; newest row per key when a key is given). */
export async function readLanded(lake: TestLake, source: string, table: string, select: string, primaryKey?: string[], groupKey?: string[]): Promise<Record<string, unknown>[]> {
  const globs = tableGlobs(`${lake.root}/raw/${source}/${table}`, 'jsonl');
  const relation = new DuckDBDialect().externalRelation({ ...globs, format: 'jsonl', ...(primaryKey ? { primaryKey } : {}), ...(groupKey ? { groupKey } : {}) });
  return queryDuckDB(select.replace('{table}', `${relation} as landed`));
}

export { queryDuckDB };

/** The landed JSON lines of a load, parsed. */
export async function landedLines(lake: TestLake, manifest: LoadManifest): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  for (const part of manifest.parts) {
    const text = Buffer.from((await lake.storage.get(part.key))!).toString('utf8');
    for (const line of text.split('\n')) if (line) lines.push(JSON.parse(line));
  }
  return lines;
}
