import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors/user-error.js';
import { analyseModelSource, type AnalysedSource, type ModelSourceFacts } from './parse-model.js';
import { loadYaml } from './yaml-file.js';

/**
 * Below this many model files, worker threads cost more than they save (measured: at 1,000 models
 * the main thread saved nothing and the process spent 0.6 s more CPU; at 10,000 it saved 0.6-1.2 s).
 */
const PARALLEL_FROM = 3000;

/**
 * Whether to parse on worker threads: a large project, and some CPU to spare. On a machine that is
 * already busy (1-minute load at or above the number of cores) the threads only compete with the
 * main one. Measured on 2 cores at 10,000 models: at load 3.4-4.8 a parse took 5.4-8.4 s with them
 * and 4.9-6.0 s without; at load 1.4-1.7, 3.5-4.6 s (median 4.0) with them and 3.6-5.1 s (median
 * 4.7) without. STRATA_PARSE_WORKER=1 forces them on (tests), 0 off.
 */
export function parseOnWorkers(modelFiles: number): boolean {
  if (process.env.STRATA_PARSE_WORKER === '0') return false;
  if (process.env.STRATA_PARSE_WORKER === '1') return true;
  const cores = availableParallelism();
  return modelFiles >= PARALLEL_FROM && cores >= 2 && loadavg()[0] < cores;
}

/** What a reader's files are: model templates, or YAML property files. */
export type SourceKind = 'model' | 'yaml';

/** One file as the worker thread reports it. */
export type SourceResult =
  | ({ ok: true; source: string } & Omit<ModelSourceFacts, 'template'>)
  | { ok: true; source: string; data: unknown }
  | { ok: false; userError: { message: string; file?: string; line?: number; hint?: string } }
  | { ok: false; internal: string; code?: string };

/**
 * Reads and parses model files (or YAML property files), on a worker thread for a large project,
 * so the main thread builds nodes meanwhile. `next`/`nextYaml` must be called for the files in the
 * order given; a mistake in a file is thrown when its turn comes, as a serial parse would.
 */
export class ModelSourceReader {
  private readonly worker: Worker | undefined;
  private readonly ready: SourceResult[] = [];
  private head = 0;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly root: string,
    private readonly files: readonly string[],
    private readonly kind: SourceKind = 'model',
    /** Whether to read on a worker thread (see parseOnWorkers). */
    onWorker = parseOnWorkers(files.length),
  ) {
    const workerFile = fileURLToPath(new URL('./model-source-worker.js', import.meta.url));
    // Under a TypeScript test runner the worker is not compiled (no .js beside this file): files are parsed here.
    const parallel = files.length > 0 && onWorker && existsSync(workerFile);
    if (!parallel) return;
    this.worker = new Worker(workerFile, { workerData: { root, files, kind } });
    this.worker.on('message', (batch: SourceResult[]) => {
      for (const result of batch) this.ready.push(result);
      this.wake();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      this.wake();
    });
    this.worker.on('exit', (code) => {
      if (code !== 0) this.failure ??= new Error(`the model parsing thread exited with code ${code}`);
      this.wake();
    });
  }

  /** Whether the files are parsed on a worker thread. */
  get parallel(): boolean {
    return this.worker !== undefined;
  }

  /** The source and facts of the next model file, which must be `file`; its template only when parsed on this thread. */
  async next(file: string): Promise<{ source: string; analysed: AnalysedSource }> {
    const result = await this.take(file, 'model');
    if (!result) {
      const source = readFileSync(path.join(this.root, file), 'utf8');
      return { source, analysed: analyseModelSource(source, file, 'model') };
    }
    if (!('facts' in result)) throw new Error(`${file} was not read as a model`);
    const { source, facts, checksum, helpers, partials } = result;
    return { source, analysed: { facts, checksum, helpers, partials } };
  }

  /** The text and data of the next YAML file, which must be `file`. */
  async nextYaml(file: string): Promise<{ text: string; data: unknown }> {
    const result = await this.take(file, 'yaml');
    if (!result) {
      const text = readFileSync(path.join(this.root, file), 'utf8');
      return { text, data: loadYaml(text, file) };
    }
    if (!('data' in result)) throw new Error(`${file} was not read as YAML`);
    return { text: result.source, data: result.data };
  }

  /** The worker's result for the next file, or undefined when this thread is to read it. */
  private async take(file: string, kind: SourceKind): Promise<Extract<SourceResult, { ok: true }> | undefined> {
    const index = this.head++;
    if (this.files[index] !== file || this.kind !== kind) throw new Error(`${kind} files read out of order: ${file} instead of ${this.files[index]}`);
    if (!this.worker) return undefined;
    while (this.ready.length <= index) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const result = this.ready[index];
    // Drop what was handed out: the main thread keeps the node, not this copy.
    (this.ready as (SourceResult | undefined)[])[index] = undefined;
    if (!result.ok) {
      if ('userError' in result) throw new UserError(result.userError.message, result.userError);
      const error = new Error(result.internal) as NodeJS.ErrnoException;
      error.code = result.code;
      throw error;
    }
    return result;
  }

  /** Stops the worker, when loading ended before every file was read. */
  close(): void {
    void this.worker?.terminate();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
