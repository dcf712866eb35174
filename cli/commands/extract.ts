import pc from 'picocolors';
import { runResultsArtifact, type NodeResult } from '../../core/artifacts/run-results.js';
import { runExtract, type ExtractReporter, type ExtractTableResult, type ExtractTask } from '../../core/extract/run-extract.js';
import { readSourceLoaders } from '../../core/extract/source-loaders.js';
import { resolveLakeRoot } from '../../core/lake/lake-root.js';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import type { Logger } from '../output/logger.js';
import type { SelectOptions } from '../options.js';
import { selectNodes, writeArtifact, writeManifest, type Session } from '../session.js';
import { createLakeStorage, partEncoderFactory, sourceAdapterFor } from '../source-registry.js';
import { loadIntoWarehouse } from './extract-load-warehouse.js';

export interface ExtractOptions extends SelectOptions {
  fullRefresh?: boolean;
  failFast?: boolean;
}

const WIDTH = 80;
const dots = (left: string, right: string) => `${left} ${'.'.repeat(Math.max(3, WIDTH - left.length - 1))} ${right}`;
const nameOf = (task: ExtractTask) => `${task.source.name}.${task.table.name}`;

/** `strata extract`: lands the selected sources' tables in the lake, then makes them queryable in the warehouse. */
export async function runExtractCommand(session: Session, options: ExtractOptions): Promise<number> {
  const { logger, project, target } = session;
  const started = performance.now();
  const loaders = readSourceLoaders({
    propertyFiles: project.propertyFiles,
    sourceNodes: project.sources,
    targetSources: (target.config.sources ?? undefined) as Record<string, unknown> | undefined,
  });
  // Secrets the loader blocks resolved are masked like the profile's, in logs and in artifacts.
  logger.addSecrets(loaders.secrets);
  target.secrets.push(...loaders.secrets);

  const chosen = selectNodes(session, options, ['source']);
  const tasks: ExtractTask[] = [];
  for (const source of loaders.sources) {
    const tables = source.tables.filter((t) => chosen.has(loaders.nodes.get(`${source.name}.${t.name}`)!.unique_id));
    if (!tables.length) continue;
    const selected = { ...source, tables };
    // Every mistake in a selected source's loader block is found before anything is extracted.
    (await sourceAdapterFor(selected)).validate(selected);
    for (const table of tables) tasks.push({ source: selected, table, uniqueId: loaders.nodes.get(`${source.name}.${table.name}`)!.unique_id });
  }
  const lakeRoot = resolveLakeRoot(project.file.root, project.file.lakePath, target.config);
  const writeResults = (results: ExtractTableResult[]) => {
    const artifact = runResultsArtifact({
      invocationId: session.invocationId,
      results: results.map((r) => nodeResult(r, project.sources.get(r.task.uniqueId)?.relation_name ?? null)),
      elapsedTime: (performance.now() - started) / 1000,
      args: { which: 'extract', select: options.select ?? [], exclude: options.exclude ?? [], full_refresh: Boolean(options.fullRefresh), fail_fast: Boolean(options.failFast), threads: session.threads, lake_root: lakeRoot },
    });
    writeArtifact(session, 'run_results.json', JSON.stringify(artifact, null, 2));
  };
  try {
    if (!tasks.length) {
      logger.warn('Nothing to extract: no selected source table has a loader block. Give a source a `loader: {type: mysql, ...}` in its YAML.');
      writeResults([]);
      return 0;
    }
    logger.info(`Found ${tasks.length} table${tasks.length === 1 ? '' : 's'} to extract from ${new Set(tasks.map((t) => t.source.name)).size} source${new Set(tasks.map((t) => t.source.name)).size === 1 ? '' : 's'}`);
    logger.info(`Concurrency: ${session.threads} threads; lake: ${lakeRoot}`);
    logger.info('');
    const storage = await createLakeStorage(lakeRoot, target.config);
    const encoderFor = await partEncoderFactory();
    const reporter = new ExtractProgress(logger, tasks.length);
    const interrupt = new AbortController();
    const onSigint = () => interrupt.abort(new Error('interrupted (Ctrl-C)'));
    process.once('SIGINT', onSigint);
    let results: ExtractTableResult[];
    const writer = new LakeWriter(storage);
    try {
      results = await runExtract({
        tasks,
        adapterFor: (type) => sourceAdapterFor({ type, name: type, file: '' }),
        writer,
        encoderFor,
        threads: session.threads,
        fullRefresh: options.fullRefresh,
        failFast: options.failFast,
        reporter,
        signal: interrupt.signal,
      });
      reporter.stop();
      await loadIntoWarehouse({ adapter: session.adapter, logger, connect: session.connect, sources: project.sources }, results, lakeRoot, writer);
    } finally {
      reporter.stop();
      process.removeListener('SIGINT', onSigint);
      storage.close?.();
    }
    summarize(logger, results, (performance.now() - started) / 1000);
    writeResults(results);
    return results.some((r) => r.status === 'error') ? 1 : 0;
  } finally {
    writeManifest(session);
  }
}

function nodeResult(result: ExtractTableResult, relationName: string | null): NodeResult {
  const seconds = (result.completedAt.getTime() - result.startedAt.getTime()) / 1000;
  return {
    unique_id: result.task.uniqueId,
    status: result.status === 'error' ? 'error' : result.status === 'skipped' ? 'skipped' : 'success',
    timing: [{ name: 'execute', started_at: result.startedAt.toISOString(), completed_at: result.completedAt.toISOString() }],
    thread_id: `Thread-${result.thread}`,
    execution_time: seconds,
    adapter_response: { _message: `EXTRACT ${result.rows}`, rows_affected: result.rows, ...({ bytes: result.bytes, load_ids: result.loads.map((l) => l.load_id) } as object) },
    message: result.message ?? `EXTRACT ${result.rows}`,
    failures: null,
    compiled: false,
    compiled_code: null,
    relation_name: relationName,
  };
}

/**
 * A row count with thousands separators (5,000,000), as `toLocaleString('en-US')` writes it without
 * its first call's 30 ms of loading ICU's locale data into every `strata extract`.
 */
export function thousands(rows: number): string {
  return String(rows).replace(/\B(?=(\d{3})+$)/g, ',');
}

function rate(rows: number, seconds: number): string {
  const perSecond = seconds > 0 ? rows / seconds : 0;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M rows/s` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)}k rows/s` : `${Math.round(perSecond)} rows/s`;
}

/**
 * Per-table progress: on a terminal one live line with each running table's rows and rate; elsewhere
 * (CI, pipes) a START line, a plain progress line every 10 s per table, and the result line.
 */
class ExtractProgress implements ExtractReporter {
  private readonly running = new Map<ExtractTask, { index: number; startedAt: number; rows: number; lastLine: number }>();
  private count = 0;
  private done = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly total: number,
  ) {
    if (logger.tty) this.timer = setInterval(() => this.draw(), 250);
  }

  started(task: ExtractTask): void {
    const index = ++this.count;
    this.running.set(task, { index, startedAt: performance.now(), rows: 0, lastLine: performance.now() });
    if (!this.logger.tty) this.logger.info(dots(`${index} of ${this.total} START extract ${nameOf(task)}`, '[RUN]'), 'extract_start', { source: task.source.name, table: task.table.name, index, total: this.total });
  }

  progress(task: ExtractTask, rows: number): void {
    const entry = this.running.get(task);
    if (!entry) return;
    entry.rows = rows;
    const now = performance.now();
    if (!this.logger.tty && now - entry.lastLine >= 10_000) {
      entry.lastLine = now;
      this.logger.info(`${entry.index} of ${this.total} extracting ${nameOf(task)}: ${thousands(rows)} rows (${rate(rows, (now - entry.startedAt) / 1000)})`, 'extract_progress', { source: task.source.name, table: task.table.name, rows });
    }
  }

  finished(result: ExtractTableResult): void {
    const entry = this.running.get(result.task);
    this.running.delete(result.task);
    this.done++;
    const index = entry?.index ?? ++this.count;
    const seconds = (result.completedAt.getTime() - result.startedAt.getTime()) / 1000;
    const data = { source: result.task.source.name, table: result.task.table.name, index, total: this.total, status: result.status, rows: result.rows, bytes: result.bytes, execution_time: seconds, message: result.message };
    const { logger } = this;
    if (result.status === 'success') {
      logger.info(dots(`${index} of ${this.total} ${logger.paint(pc.green, 'OK')} extracted ${nameOf(result.task)}: ${thousands(result.rows)} rows (${rate(result.rows, seconds)})`, `[${logger.paint(pc.green, 'OK')} in ${seconds.toFixed(2)}s]`), 'extract_finished', data);
    } else if (result.status === 'skipped') {
      logger.info(dots(`${index} of ${this.total} ${logger.paint(pc.yellow, 'SKIP')} extract ${nameOf(result.task)}`, `[${logger.paint(pc.yellow, 'SKIP')}]`), 'extract_finished', data);
    } else {
      logger.info(dots(`${index} of ${this.total} ${logger.paint(pc.red, 'ERROR')} extracting ${nameOf(result.task)}`, `[${logger.paint(pc.red, 'ERROR')} in ${seconds.toFixed(2)}s]`), 'extract_finished', data);
    }
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.logger.clearProgress();
  }

  private draw(): void {
    if (!this.logger.tty) return;
    if (!this.running.size) return this.logger.clearProgress();
    const now = performance.now();
    const parts = [...this.running].map(([task, e]) => `${nameOf(task)} ${thousands(e.rows)} rows ${rate(e.rows, (now - e.startedAt) / 1000)}`);
    this.logger.progress(`[${this.done}/${this.total}] ${parts.join(' | ')}`);
  }
}

/** The closing lines: each error in full, then the counts. */
function summarize(logger: Logger, results: ExtractTableResult[], elapsed: number): void {
  const rows = results.reduce((n, r) => n + r.rows, 0);
  logger.info('');
  logger.info(`Finished extracting ${results.length} table${results.length === 1 ? '' : 's'} (${thousands(rows)} rows) in ${elapsed.toFixed(2)}s.`, 'run_finished', { elapsed, rows });
  const errors = results.filter((r) => r.status === 'error');
  if (errors.length) {
    logger.info('');
    logger.error(`Completed with ${errors.length} error${errors.length === 1 ? '' : 's'}:`);
    for (const result of errors) logger.error(`  ${result.message}`, 'extract_error', { source: result.task.source.name, table: result.task.table.name });
  } else {
    logger.info('');
    logger.info(logger.paint(pc.green, 'Completed successfully'));
  }
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const totals = { pass: count('success'), warn: 0, error: count('error'), skip: count('skipped'), total: results.length };
  logger.info('');
  logger.info(`Done. PASS=${totals.pass} WARN=0 ERROR=${totals.error} SKIP=${totals.skip} TOTAL=${totals.total}`, 'run_summary', totals);
}
