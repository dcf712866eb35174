import { isUserError } from '../errors/user-error.js';
import { manifestKey, toLakeName, type LakeColumn, type LakeFormat, type LoadManifest } from '../lake/lake-layout.js';
import type { LakeWriter } from '../lake/lake-writer.js';
import type { PartEncoder } from '../lake/part-encoders.js';
import { combinedSchema, findSchemaProblem } from './schema-evolution.js';
import type { SourceAdapter, SourceConnection, SourceLoaderConfig, SourceTableConfig } from './source-adapter.js';

/** One table to extract. */
export interface ExtractTask {
  source: SourceLoaderConfig;
  table: SourceTableConfig;
  /** The table's source node id, for run_results. */
  uniqueId: string;
}

/** What happened to one table. */
export interface ExtractTableResult {
  task: ExtractTask;
  status: 'success' | 'error' | 'skipped';
  rows: number;
  bytes: number;
  /** Loads committed by this run, oldest first. */
  loads: LoadManifest[];
  /** One line naming the source and table, for an error or a skip. */
  message: string | null;
  startedAt: Date;
  completedAt: Date;
  thread: number;
}

/** Progress callbacks (the CLI draws bars on a terminal, plain lines in CI). */
export interface ExtractReporter {
  started?(task: ExtractTask, thread: number): void;
  /** Rows and bytes durable so far for the table, across its loads in this run. */
  progress?(task: ExtractTask, rows: number, bytes: number): void;
  finished?(result: ExtractTableResult): void;
}

export interface RunExtractOptions {
  tasks: ExtractTask[];
  /** The adapter of a loader type; the CLI's source registry. */
  adapterFor(type: string): Promise<SourceAdapter>;
  writer: LakeWriter;
  /** A new part encoder for a format; the runner closes it when the table is done. */
  encoderFor(format: LakeFormat): PartEncoder;
  threads: number;
  fullRefresh?: boolean;
  /** Stop starting tables after the first failure; the rest are skipped. */
  failFast?: boolean;
  reporter?: ExtractReporter;
  /** Aborts the run (Ctrl-C); tables not yet done end as errors or skips. */
  signal?: AbortSignal;
  now?: () => Date;
}

/** The lake folder names of a task: `raw/<source>/<table>`. */
export function lakeNames(task: ExtractTask): { source: string; table: string } {
  return { source: toLakeName(task.source.name), table: toLakeName(task.table.name) };
}

/**
 * Extracts the tables on up to `threads` workers. Each table reads its state from its newest
 * committed load, lands each load the source yields through the LakeWriter (data and state commit
 * together in the load's manifest), and fails alone: its error names source and table, and the
 * other tables carry on. One connection per source, opened when its first table starts.
 */
export async function runExtract(options: RunExtractOptions): Promise<ExtractTableResult[]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const now = options.now ?? (() => new Date());
  const connections = new SourceConnections(options.adapterFor);
  for (const task of options.tasks) connections.expect(task.source);
  const results: ExtractTableResult[] = new Array(options.tasks.length);
  let next = 0;
  let failed = false;
  const worker = async (thread: number) => {
    while (next < options.tasks.length) {
      const index = next++;
      const task = options.tasks[index];
      const startedAt = now();
      if (controller.signal.aborted || (options.failFast && failed)) {
        const message = `${describe(task)}: skipped (${controller.signal.aborted ? 'the run was interrupted' : 'an earlier table failed and --fail-fast is set'})`;
        results[index] = { task, status: 'skipped', rows: 0, bytes: 0, loads: [], message, startedAt, completedAt: startedAt, thread };
        await connections.done(task.source);
        options.reporter?.finished?.(results[index]);
        continue;
      }
      options.reporter?.started?.(task, thread);
      const result = await extractTable(task, options, connections, controller.signal, thread, startedAt, now);
      if (result.status === 'error') failed = true;
      results[index] = result;
      await connections.done(task.source);
      options.reporter?.finished?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.threads, options.tasks.length)) }, (_, i) => worker(i + 1)));
  } finally {
    await connections.closeAll();
    options.signal?.removeEventListener('abort', onAbort);
  }
  return results;
}

async function extractTable(task: ExtractTask, options: RunExtractOptions, connections: SourceConnections, signal: AbortSignal, thread: number, startedAt: Date, now: () => Date): Promise<ExtractTableResult> {
  const { writer } = options;
  const names = lakeNames(task);
  const loads: LoadManifest[] = [];
  let rows = 0;
  let bytes = 0;
  const encoders: PartEncoder[] = [];
  try {
    // Parts of loads that never committed (a killed run) are invisible; remove them before landing more.
    for (const key of await writer.uncommittedParts(names.source, names.table)) await writer.storage.delete(key);
    const committed = await writer.committedLoads(names.source, names.table);
    const connection = await connections.open(task.source);
    const state = options.fullRefresh ? undefined : committed.at(-1)?.state;
    let previous = committed.slice(latestReplace(committed));
    let first = true;
    for await (const load of connection.extract({ table: task.table, state, fullRefresh: Boolean(options.fullRefresh), signal })) {
      if (signal.aborted) throw signal.reason ?? new Error('interrupted');
      // A full refresh starts the table over: its first load replaces every load before it.
      const disposition = options.fullRefresh && first ? 'replace' : load.disposition;
      if (disposition === 'replace') previous = [];
      const before = combinedSchema(previous.map((l) => l.schema));
      const checkSchema = (schema: LakeColumn[]) => {
        const problem = findSchemaProblem(before, schema);
        if (problem) {
          throw new SchemaChangeError(`column '${problem.column}' changed type from ${problem.from} to ${problem.to}, which the loads already in the lake cannot take; rerun with --full-refresh to reload the table with the new type`);
        }
      };
      if (load.schema) checkSchema(load.schema);
      const encoder = options.encoderFor(load.format);
      encoders.push(encoder);
      const base = { rows, bytes };
      const manifest = await writer.writeLoad({
        source: names.source,
        table: names.table,
        rows: load.rows,
        ...(load.batches ? { batches: load.batches } : {}),
        schema: load.schema,
        encoder,
        system: task.source.type,
        disposition,
        primaryKey: load.primaryKey,
        ...(load.groupKey ? { groupKey: load.groupKey } : {}),
        cursorField: load.cursorField,
        state: load.state,
        sourceFile: load.sourceFile,
        ...(load.wholeFile ? { wholeFile: true } : {}),
        loadedAt: now(),
        checkSchema,
        onProgress: (r, b) => options.reporter?.progress?.(task, base.rows + r, base.bytes + b),
      });
      loads.push(manifest);
      rows += manifest.rows;
      bytes += manifest.bytes;
      if (disposition === 'replace') await removeLoadsBefore(writer, names, manifest.load_id);
      previous.push(manifest);
      first = false;
    }
    return { task, status: 'success', rows, bytes, loads, message: null, startedAt, completedAt: now(), thread };
  } catch (error) {
    return { task, status: 'error', rows, bytes, loads, message: `${describe(task)}: ${errorText(error)}`, startedAt, completedAt: now(), thread };
  } finally {
    await Promise.allSettled(encoders.map((e) => e.close?.()));
  }
}

/** Thrown when a load would change a column's type in a way the lake cannot apply. */
export class SchemaChangeError extends Error {}

/** Index of the newest committed replace load (0 when there is none): loads before it are hidden. */
function latestReplace(loads: LoadManifest[]): number {
  for (let i = loads.length - 1; i >= 0; i--) if (loads[i].disposition === 'replace') return i;
  return 0;
}

/**
 * A committed replace load hides every load before it; they are removed, manifest first, so that a
 * run killed midway leaves only invisible parts (cleaned up by the next run).
 */
async function removeLoadsBefore(writer: LakeWriter, names: { source: string; table: string }, loadId: string): Promise<void> {
  const older = (await writer.committedLoads(names.source, names.table)).filter((l) => l.load_id < loadId);
  for (const load of older) {
    await writer.storage.delete(manifestKey(names.source, names.table, load.load_id));
    for (const part of load.parts) await writer.storage.delete(part.key);
  }
}

function describe(task: ExtractTask): string {
  return `source ${task.source.name}, table ${task.table.name}`;
}

function errorText(error: unknown): string {
  if (isUserError(error)) return error.format().replace(/\n\s*hint: /, ' (hint: ') + (error.hint ? ')' : '');
  if (error instanceof Error) return error.message;
  return String(error);
}

/** One connection per source, opened on first use and closed after its last table. */
class SourceConnections {
  private readonly open_ = new Map<string, Promise<SourceConnection>>();
  private readonly remaining = new Map<string, number>();

  constructor(private readonly adapterFor: (type: string) => Promise<SourceAdapter>) {}

  expect(source: SourceLoaderConfig): void {
    this.remaining.set(source.name, (this.remaining.get(source.name) ?? 0) + 1);
  }

  open(source: SourceLoaderConfig): Promise<SourceConnection> {
    let connection = this.open_.get(source.name);
    if (!connection) {
      connection = this.adapterFor(source.type).then((adapter) => adapter.connect(source));
      // A failed connect is each table's error, reported by each; never an unhandled rejection.
      connection.catch(() => undefined);
      this.open_.set(source.name, connection);
    }
    return connection;
  }

  async done(source: SourceLoaderConfig): Promise<void> {
    const left = (this.remaining.get(source.name) ?? 1) - 1;
    this.remaining.set(source.name, left);
    if (left === 0) await this.close(source.name);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.open_.keys()].map((name) => this.close(name)));
  }

  private async close(name: string): Promise<void> {
    const connection = this.open_.get(name);
    this.open_.delete(name);
    if (!connection) return;
    try {
      await (await connection).close();
    } catch {
      // A connection that never opened has nothing to close; its error was reported by its tables.
    }
  }
}
