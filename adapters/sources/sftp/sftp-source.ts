import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import SftpClient from 'ssh2-sftp-client';
import type { ExtractLoad, ExtractRequest, SourceAdapter, SourceConnection, SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import type { LakeColumn, WriteDisposition } from '../../../core/lake/lake-layout.js';
import { SOURCE_FILE_COLUMN } from '../../../core/lake/lake-layout.js';
import { makeScratchFolder } from '../../../core/extract/scratch-folder.js';
import { fileKind, readSftpServerSettings, readSftpTableSettings, type SftpServerSettings, type SftpTableSettings } from './sftp-config.js';
import { SftpFileParser, type ParsedFile } from './sftp-file-parser.js';

/** A remote file as the state records it: a file is loaded again only when its size or time changes. */
export interface SftpFileEntry {
  size: number;
  /** The modification time the server reports, as UTC ISO text. */
  modified_at: string;
}

/** A table's extract state: every file landed so far, by remote path. */
export interface SftpState {
  files: Record<string, SftpFileEntry>;
}

/** A table's files could not all be read, or the server could not be reached; the extract runner names the source and table. */
export class SftpSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SftpSourceError';
  }
}

/** Files from an SFTP server (`loader.type: sftp`), by glob pattern, one load per file. */
export class SftpSource implements SourceAdapter {
  readonly type = 'sftp';

  validate(source: SourceLoaderConfig): void {
    const server = readSftpServerSettings(source);
    for (const table of source.tables) readSftpTableSettings(source, table, server);
  }

  async connect(source: SourceLoaderConfig): Promise<SourceConnection> {
    const server = readSftpServerSettings(source);
    const client = new SftpClient(`strata-${source.name}`);
    try {
      await client.connect(await connectOptions(server));
    } catch (error) {
      if (error instanceof SftpSourceError) throw error;
      await client.end().catch(() => undefined);
      throw new SftpSourceError(`cannot connect to sftp://${server.username}@${server.host}:${server.port}: ${(error as Error).message.replace(/^connect: /, '')}; check the host, port and credentials`);
    }
    return new SftpConnection(source, server, client);
  }
}

/** An open SFTP session: lists, downloads and parses one table's files. */
export class SftpConnection implements SourceConnection {
  private readonly parser = new SftpFileParser();
  private scratch?: Promise<string>;
  private downloads = 0;

  constructor(
    readonly source: SourceLoaderConfig,
    readonly server: SftpServerSettings,
    private readonly client: SftpClient,
  ) {}

  async *extract(request: ExtractRequest): AsyncIterable<ExtractLoad> {
    const table = readSftpTableSettings(this.source, request.table, this.server);
    const previous = request.fullRefresh ? {} : (asState(request.state)?.files ?? {});
    const listed = await this.listFiles(table);
    const failures: string[] = [];
    const fail = (file: string, error: unknown) => failures.push(`${file}: ${(error as Error).message}`);

    if (table.landing.disposition === 'replace') {
      yield* this.extractSnapshot(request, table, listed, previous, fail);
    } else {
      const done: Record<string, SftpFileEntry> = { ...previous };
      let first = true;
      for (const file of listed.filter((f) => !sameEntry(previous[f.path], f))) {
        if (request.signal.aborted) return;
        const local = await this.fetch(file, table).catch((error) => void fail(file.path, error));
        if (!local) continue;
        try {
          const entry = { size: file.size, modified_at: file.modified_at };
          const disposition: WriteDisposition = request.fullRefresh && first ? 'replace' : table.landing.disposition;
          yield this.load(table, [{ path: file.path, parsed: local.parsed }], disposition, () => ({ files: { ...done, [file.path]: entry } }));
          // The runner asks for the next load only after committing this one.
          done[file.path] = entry;
          first = false;
        } finally {
          await local.cleanup();
        }
      }
      // A full refresh that found nothing to load still empties the table.
      if (request.fullRefresh && first && !failures.length) yield this.load(table, [], 'replace', () => ({ files: {} }));
    }

    if (failures.length) {
      const what = failures.length === 1 ? 'a file' : `${failures.length} files`;
      const after = table.landing.disposition === 'replace' ? 'the table keeps its previous load until every file reads' : 'the other files were loaded; fix or replace it and the next run loads it';
      throw new SftpSourceError(`${what} could not be loaded: ${failures.join('; ')} (${after})`);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.client.end(), this.parser.close()]);
    if (this.scratch) await rm(await this.scratch, { recursive: true, force: true });
  }

  /** `replace`: one load of every matching file, only when the set of files or any of them changed. */
  private async *extractSnapshot(request: ExtractRequest, table: SftpTableSettings, listed: RemoteFile[], previous: Record<string, SftpFileEntry>, fail: (file: string, error: unknown) => void): AsyncIterable<ExtractLoad> {
    const unchanged = listed.length === Object.keys(previous).length && listed.every((f) => sameEntry(previous[f.path], f));
    if (unchanged && !request.fullRefresh) return;
    const fetched: { path: string; parsed: ParsedFile; cleanup: () => Promise<void> }[] = [];
    try {
      for (const file of listed) {
        if (request.signal.aborted) return;
        const local = await this.fetch(file, table).catch((error) => void fail(file.path, error));
        if (local) fetched.push({ path: file.path, ...local });
      }
      if (fetched.length < listed.length) return;
      const files = Object.fromEntries(listed.map((f) => [f.path, { size: f.size, modified_at: f.modified_at }]));
      yield this.load(table, fetched, 'replace', () => ({ files }));
    } finally {
      await Promise.allSettled(fetched.map((f) => f.cleanup()));
    }
  }

  private load(table: SftpTableSettings, files: { path: string; parsed: ParsedFile }[], disposition: WriteDisposition, state: () => SftpState): ExtractLoad {
    const single = files.length === 1 ? files[0].path : undefined;
    const common = {
      format: table.landing.format,
      disposition,
      primaryKey: table.landing.primaryKey,
      cursorField: table.landing.cursorField,
      state: () => state() as unknown as Record<string, unknown>,
      // Set even for a snapshot load, so the lake's schema always has the column.
      sourceFile: single ?? files[0]?.path ?? '',
      // An append load is one file: a changed file's new version replaces the rows of the old one.
      ...(disposition === 'append' && single !== undefined ? { wholeFile: true } : {}),
    };
    const text = single !== undefined ? files[0].parsed.text?.() : undefined;
    if (text) {
      // The fast path: the file's own text, re-delimited, parsed by the Parquet encoder a part at a time.
      const declared = new Map((table.landing.schema ?? []).map((c) => [c.name, c.type]));
      return { ...common, rows: noRows(), batches: text.batches, schema: text.names.map((name) => ({ name, type: declared.get(name) ?? 'VARCHAR' })) };
    }
    return {
      ...common,
      rows: (async function* () {
        for (const file of files) {
          if (single !== undefined) yield* file.parsed.rows();
          else for await (const row of file.parsed.rows()) yield { ...row, [SOURCE_FILE_COLUMN]: file.path };
        }
      })(),
      schema: mergeSchemas(table.landing.schema, ...files.map((f) => f.parsed.schema)),
    };
  }

  /** Downloads a file to a temporary copy and reads it through once, so a malformed file fails before its load starts. */
  private async fetch(file: RemoteFile, table: SftpTableSettings): Promise<{ parsed: ParsedFile; cleanup: () => Promise<void> }> {
    const kind = fileKind(file.path, table);
    if (!kind) throw new Error(`cannot tell its format from the name; set file_format (${['csv', 'tsv', 'jsonl', 'parquet'].join(', ')}) in the table's loader block`);
    const dir = await this.scratchFolder();
    // Unique per download: tables whose patterns overlap may fetch one file at the same time.
    const id = `${createHash('sha1').update(file.path).digest('hex').slice(0, 16)}-${++this.downloads}`;
    const local = path.join(dir, id);
    const cleanup = async () => {
      await Promise.allSettled([rm(local, { force: true }), rm(`${local}.scratch`, { force: true })]);
    };
    try {
      await this.client.fastGet(file.path, local);
      const size = (await stat(local)).size;
      if (size !== file.size) throw new Error(`it changed while it was downloaded (${file.size} bytes listed, ${size} read); it is tried again on the next run`);
      const parsed = await this.parser.open(local, { ...kind, delimiter: table.delimiter, header: table.header, landAs: table.landing.format }, `${local}.scratch`);
      await parsed.check();
      return { parsed, cleanup };
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  /** The table's matching regular files, oldest first (then by path). */
  private async listFiles(table: SftpTableSettings): Promise<RemoteFile[]> {
    const matches = picomatch(table.pattern);
    const deep = table.pattern.includes('**');
    const depth = table.pattern.split('/').length;
    const files: RemoteFile[] = [];
    const walk = async (dir: string, rel: string, level: number): Promise<void> => {
      for (const entry of await this.client.list(dir)) {
        const relPath = rel ? `${rel}/${entry.name}` : entry.name;
        const full = path.posix.join(dir, entry.name);
        if (entry.type === 'd' && (deep || level < depth)) await walk(full, relPath, level + 1);
        else if (entry.type === '-' && matches(relPath)) files.push({ path: full, size: entry.size, modified_at: new Date(entry.modifyTime).toISOString() });
      }
    };
    try {
      await walk(table.folder, '', 1);
    } catch (error) {
      throw new SftpSourceError(`cannot list the remote folder '${table.folder}': ${(error as Error).message.replace(/^list: /, '')}; check the folder and pattern, and that the user may read them`);
    }
    const settled = Date.now() - table.minAgeMs;
    return files.filter((f) => !table.minAgeMs || Date.parse(f.modified_at) <= settled).sort((a, b) => a.modified_at.localeCompare(b.modified_at) || a.path.localeCompare(b.path));
  }

  private scratchFolder(): Promise<string> {
    // Removed by close; a killed run's is removed by the next run that makes one.
    this.scratch ??= Promise.resolve(makeScratchFolder('sftp'));
    return this.scratch;
  }
}

async function* noRows(): AsyncIterable<Record<string, unknown>> {}

interface RemoteFile extends SftpFileEntry {
  path: string;
}

function sameEntry(entry: SftpFileEntry | undefined, file: RemoteFile): boolean {
  return entry !== undefined && entry.size === file.size && entry.modified_at === file.modified_at;
}

function asState(state: Record<string, unknown> | undefined): SftpState | undefined {
  const files = state?.files;
  return files && typeof files === 'object' && !Array.isArray(files) ? { files: files as Record<string, SftpFileEntry> } : undefined;
}

/** Declared column types first, then each file's own columns not declared yet. */
function mergeSchemas(...schemas: (LakeColumn[] | undefined)[]): LakeColumn[] | undefined {
  const out: LakeColumn[] = [];
  for (const schema of schemas) for (const column of schema ?? []) if (!out.some((c) => c.name === column.name)) out.push(column);
  return out.length ? out : undefined;
}

/** The ssh2 options: password and/or key (from text, a file or an environment variable), host key check. */
async function connectOptions(server: SftpServerSettings): Promise<SftpClient.ConnectOptions> {
  let privateKey: string | Buffer | undefined;
  const key = server.privateKey;
  if (key && 'text' in key) privateKey = key.text;
  if (key && 'path' in key) {
    privateKey = await readFile(key.path).catch((error: NodeJS.ErrnoException) => {
      throw new SftpSourceError(`cannot read the private key file ${key.path} (key_file): ${error.code ?? error.message}`);
    });
  }
  const expected = server.hostKeySha256?.replace(/=$/, '');
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    password: server.password,
    privateKey,
    passphrase: server.passphrase,
    readyTimeout: server.timeoutMs,
    retries: 0,
    hostVerifier: expected ? (hostKey: Buffer) => `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}` === expected : undefined,
  } as SftpClient.ConnectOptions;
}
