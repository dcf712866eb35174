import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import type { SourceLoaderConfig, SourceTableConfig } from '../../../core/extract/source-adapter.js';
import { COMMON_KEYS, readTableLanding, SettingsReader, type TableLanding } from '../source-settings.js';

/** The formats of files an SFTP table reads. */
export type SftpFileFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export const SFTP_FILE_FORMATS: readonly SftpFileFormat[] = ['csv', 'tsv', 'jsonl', 'parquet'];

/** How to reach the server: a source's `loader:` block. Secrets arrive rendered from the environment. */
export interface SftpServerSettings {
  host: string;
  port: number;
  username: string;
  password?: string;
  /** The private key: its text (from `{{env "..."}}`) or a file; read when connecting. */
  privateKey?: { text: string } | { path: string };
  passphrase?: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it: the server's host key must match. */
  hostKeySha256?: string;
  /** The folder table patterns are relative to; default `/`. */
  folder: string;
  timeoutMs: number;
}

/** One table: the files it reads and how they land. */
export interface SftpTableSettings {
  /** The absolute remote folder the pattern is matched under. */
  folder: string;
  /** A glob relative to `folder`: `stock/*.csv.gz`, `**\/*.parquet`. */
  pattern: string;
  /** Default: from each file's extension (`.csv`, `.tsv`, `.jsonl`/`.ndjson`, `.parquet`, each maybe `.gz`). */
  fileFormat?: SftpFileFormat;
  /** `auto`: gzip when the name ends in `.gz`. */
  compression: 'auto' | 'gzip' | 'none';
  /** CSV/TSV: the field delimiter (default `,` for csv, tab for tsv). */
  delimiter?: string;
  /** CSV/TSV: whether the first line names the columns (default true; else column0, column1...). */
  header: boolean;
  /** Files modified less than this long ago are left for a later run (they may still be uploading). */
  minAgeMs: number;
  landing: TableLanding;
}

// `key_file` is a path, not a secret: a name without "private_key" in it, so it may be written in the file.
export const SFTP_SOURCE_KEYS = ['host', 'port', 'username', 'password', 'private_key', 'key_file', 'private_key_passphrase', 'host_key_sha256', 'folder', 'timeout_seconds'];
export const SFTP_TABLE_KEYS = ['pattern', 'folder', 'file_format', 'compression', 'delimiter', 'header', 'column_types', 'min_age_seconds'];

/** Reads and checks a source's server settings. */
export function readSftpServerSettings(source: SourceLoaderConfig): SftpServerSettings {
  const reader = SettingsReader.forSource(source);
  reader.allowOnly([...SFTP_SOURCE_KEYS, ...COMMON_KEYS]);
  const host = reader.requiredString('host');
  const username = reader.requiredString('username', 'the SSH user name, e.g. username: partner');
  if (reader.has('private_key') && reader.has('key_file')) throw reader.error('give private_key or key_file, not both', undefined, 'key_file');
  const privateKey: SftpServerSettings['privateKey'] = reader.has('private_key') ? { text: reader.requiredString('private_key') } : reader.has('key_file') ? { path: expandHome(reader.requiredString('key_file')) } : undefined;
  const password = reader.string('password');
  if (!password && !privateKey) {
    throw reader.error('an SFTP source needs a password or a private key', `password: '{{env "SFTP_PASSWORD"}}', private_key: '{{env "SFTP_KEY"}}' or key_file: ~/.ssh/id_ed25519`);
  }
  const hostKeySha256 = reader.string('host_key_sha256');
  if (hostKeySha256 !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(hostKeySha256)) {
    throw reader.error(`host_key_sha256 must look like SHA256:<43 base64 characters>, as 'ssh-keygen -lf <key>' prints it`);
  }
  return {
    host,
    port: reader.number('port', { integer: true, min: 1 }) ?? 22,
    username,
    password,
    privateKey,
    passphrase: reader.string('private_key_passphrase'),
    hostKeySha256,
    folder: remoteFolder(reader.string('folder') ?? '/'),
    timeoutMs: (reader.number('timeout_seconds', { min: 1 }) ?? 20) * 1000,
  };
}

/** Reads and checks one table's settings. */
export function readSftpTableSettings(source: SourceLoaderConfig, table: SourceTableConfig, server: Pick<SftpServerSettings, 'folder'>): SftpTableSettings {
  const reader = SettingsReader.forTable(source, table);
  reader.allowOnly([...SFTP_TABLE_KEYS, ...COMMON_KEYS]);
  const pattern = reader.requiredString('pattern', 'a glob of the files to load, relative to the folder, e.g. pattern: "stock/*.csv.gz"').replace(/^\.?\/+/, '');
  const folder = reader.has('folder') ? remoteFolder(path.posix.resolve(server.folder, reader.requiredString('folder'))) : server.folder;
  try {
    picomatch(pattern);
  } catch (error) {
    throw reader.error(`pattern '${pattern}' is not a valid glob: ${(error as Error).message}`);
  }
  const delimiter = reader.string('delimiter');
  if (delimiter !== undefined && delimiter.length !== 1 && delimiter !== '\\t') throw reader.error(`delimiter must be one character, got '${delimiter}'`);
  return {
    folder,
    pattern,
    fileFormat: reader.oneOf('file_format', SFTP_FILE_FORMATS),
    compression: reader.oneOf('compression', ['auto', 'gzip', 'none'] as const) ?? 'auto',
    delimiter: delimiter === '\\t' ? '\t' : delimiter,
    header: reader.boolean('header') ?? true,
    minAgeMs: (reader.number('min_age_seconds', { min: 0 }) ?? 0) * 1000,
    // Files accumulate: each lands once, so the default is append (replace would keep only the newest snapshot).
    landing: readTableLanding(source, table, 'append'),
  };
}

/** The format and compression of one remote file, or undefined when its name says neither and the table does not either. */
export function fileKind(name: string, table: Pick<SftpTableSettings, 'fileFormat' | 'compression'>): { format: SftpFileFormat; gzip: boolean } | undefined {
  const lower = name.toLowerCase();
  const gzip = table.compression === 'gzip' || (table.compression === 'auto' && lower.endsWith('.gz'));
  const base = lower.endsWith('.gz') ? lower.slice(0, -3) : lower;
  const ext = path.posix.extname(base).slice(1);
  const byExt: Record<string, SftpFileFormat> = { csv: 'csv', tsv: 'tsv', tab: 'tsv', jsonl: 'jsonl', ndjson: 'jsonl', parquet: 'parquet', pq: 'parquet' };
  const format = table.fileFormat ?? byExt[ext];
  return format ? { format, gzip } : undefined;
}

function remoteFolder(folder: string): string {
  const resolved = path.posix.resolve('/', folder);
  return resolved === '/' ? '/' : resolved.replace(/\/+$/, '');
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : path.resolve(file);
}
