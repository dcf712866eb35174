import { didYouMean } from '../core/errors/did-you-mean.js';
import { UserError } from '../core/errors/user-error.js';
import type { SourceAdapter, SourceLoaderConfig } from '../core/extract/source-adapter.js';
import type { LakeFormat } from '../core/lake/lake-layout.js';
import { isRemoteLakeRoot } from '../core/lake/lake-root.js';
import type { LakeStorage } from '../core/lake/lake-storage.js';
import { LocalLakeStorage } from '../core/lake/local-lake-storage.js';
import { CsvEncoder, JsonLinesEncoder, type PartEncoder } from '../core/lake/part-encoders.js';

/** Source adapters by the `loader.type` a source names; each is imported only when used. */
const SOURCES: Record<string, () => Promise<SourceAdapter>> = {
  mysql: async () => (await import('../adapters/sources/mysql/mysql-source.js')).mysqlSource,
  mongodb: async () => (await import('../adapters/sources/mongodb/mongodb-source.js')).mongoSourceAdapter,
  sftp: async () => new (await import('../adapters/sources/sftp/sftp-source.js')).SftpSource(),
  rest: async () => new (await import('../adapters/sources/rest/rest-source.js')).RestSource(),
};

/** Known loader type names. */
export function sourceTypes(): string[] {
  return Object.keys(SOURCES);
}

/** The adapter for a source's loader type; a UserError naming the file when there is none. */
export async function sourceAdapterFor(source: Pick<SourceLoaderConfig, 'type' | 'name' | 'file' | 'locate'>): Promise<SourceAdapter> {
  const load = SOURCES[source.type];
  if (!load) {
    throw new UserError(`source '${source.name}' has loader type '${source.type}', which strata extract does not know`, {
      file: source.file,
      line: source.locate?.(undefined, 'type'),
      hint: didYouMean(source.type, Object.keys(SOURCES)) || `known types: ${Object.keys(SOURCES).join(', ')}`,
    });
  }
  return load();
}

/** A new encoder for lake parts of a format (Parquet goes through DuckDB). */
export async function partEncoderFactory(): Promise<(format: LakeFormat) => PartEncoder> {
  const { DuckDBParquetAppender } = await import('../adapters/duckdb/duckdb-parquet-appender.js');
  return (format) => (format === 'parquet' ? new DuckDBParquetAppender() : format === 'jsonl' ? new JsonLinesEncoder() : new CsvEncoder());
}

/** The lake storage of a root: a local folder, or `s3://bucket/prefix` with the target's `lake_s3` settings. */
export async function createLakeStorage(root: string, target: Record<string, unknown>): Promise<LakeStorage & { close?(): void }> {
  if (!isRemoteLakeRoot(root)) return new LocalLakeStorage(root);
  if (!root.startsWith('s3://')) throw new UserError(`lake root '${root}' is neither a folder nor s3://bucket/prefix`, { hint: "set lake_path in the target to a folder or an s3:// URL" });
  const s3 = (target.lake_s3 && typeof target.lake_s3 === 'object' ? target.lake_s3 : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof s3[key] === 'string' && s3[key] ? (s3[key] as string) : undefined);
  const { S3LakeStorage } = await import('../adapters/lake/s3-lake-storage.js');
  return new S3LakeStorage(root, {
    region: text('region'),
    endpoint: text('endpoint'),
    accessKeyId: text('access_key_id'),
    secretAccessKey: text('secret_access_key'),
    sessionToken: text('session_token'),
    ...(typeof s3.force_path_style === 'boolean' ? { forcePathStyle: s3.force_path_style } : {}),
  });
}
