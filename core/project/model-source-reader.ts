import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors/user-error.js';
import { cacheText, modelCacheText, type ParseCache } from './parse-cache.js';
import { analyseModelSource, sha256, type AnalysedSource, type ModelSourceFacts } from './parse-model.js';
import { folderPrefix, readText } from './read-text.js';
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

/**
 * One file as the worker thread reports it. What it found comes as `cached`, the JSON text the parse
 * cache keeps (a model's CachedModel, a YAML file's `[data]`): strings cross threads in one copy,
 * where a copy of the objects cost the main thread twice what JSON.parse of their text does. A value
 * JSON cannot give back exactly comes as objects instead (and is not cached).
 */
export type SourceResult =
  | ({ ok: true; source: string; checksum: string; cached: string } & Partial<Omit<ModelSourceFacts, 'template' | 'checksum'>>)
  | ({ ok: true; source: string; checksum: string; cached?: undefined } & Omit<ModelSourceFacts, 'template' | 'checksum'>)
  | { ok: true; source: string; cached: string; data?: undefined; hash?: string }
  | { ok: true; source: string; cached?: undefined; data: unknown; hash?: string }
  | { ok: false; userError: { message: string; file?: string; line?: number; hint?: string } }
  | { ok: false; internal: string; code?: string };

/** A file read on the main thread: a model with its tree (none when its analysis came from the parse cache), or YAML. */
type ReadHere<K extends SourceKind> = K extends 'model' ? { source: string; analysed: AnalysedSource } : K extends 'yaml' ? { text: string; data: unknown } : never;

/** What the worker posts: each result with the index of its file (files read here are left out). */
export type SourceBatch = { index: number; result: SourceResult }[];

/**
 * Reads and parses model files (or YAML property files), on a worker thread for a large project,
 * so the main thread builds nodes meanwhile. `next`/`nextYaml` must be called for the files in the
 * order given; a mistake in a file is thrown when its turn comes, as a serial parse would.
 *
 * The two threads share the files: each claims a file before reading it (one shared flag per
 * file), the worker from the start onwards, this thread the file it needs next when the worker has
 * not got to it yet, and, while it waits for the worker's results, the last files nobody has claimed
 * (kept for their turn). So this thread parses instead of waiting (it waited 0.5 s of a 10,000-model
 * parse), and what it parses keeps its tree (compile need not parse it again).
 */
export class ModelSourceReader {
  private readonly worker: Worker | undefined;
  /** 1 once a thread has claimed the file at that index. */
  private readonly claims: Int32Array | undefined;
  private readonly ready: (SourceResult | undefined)[] = [];
  /** Files this thread parsed while it waited for the worker, by index, for their turn. */
  private readonly readEarly = new Map<number, { value: ReadHere<SourceKind> } | { error: unknown }>();
  private head = 0;
  /** Files from here to the end are claimed (read early by this thread, or by the worker). */
  private tail: number;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  /** The root with a trailing '/': files are project-relative with '/' (as the worker joins them). */
  private readonly folder: string;

  constructor(
    root: string,
    private readonly files: readonly string[],
    private readonly kind: SourceKind = 'model',
    /** Whether to read on a worker thread (see parseOnWorkers). */
    onWorker = parseOnWorkers(files.length),
    /** Results kept from earlier parses; what is parsed now is added to it. */
    private readonly cache?: ParseCache,
  ) {
    this.tail = files.length;
    this.folder = folderPrefix(root);
    const workerFile = fileURLToPath(new URL('./model-source-worker.js', import.meta.url));
    // Under a TypeScript test runner the worker is not compiled (no .js beside this file): files are parsed here.
    const parallel = files.length > 0 && onWorker && existsSync(workerFile);
    if (!parallel) return;
    this.claims = new Int32Array(new SharedArrayBuffer(files.length * Int32Array.BYTES_PER_ELEMENT));
    this.worker = new Worker(workerFile, { workerData: { root, files, kind, claims: this.claims, cache: cache !== undefined } });
    this.worker.on('message', (batch: SourceBatch) => {
      for (const { index, result } of batch) this.ready[index] = result;
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
    if ('here' in result) return result.here as ReadHere<'model'>;
    if (!('checksum' in result)) throw new Error(`${file} was not read as a model`);
    const { source, checksum, cached } = result;
    this.cache?.addModel(checksum, cached);
    if (cached === undefined) return { source, analysed: { facts: result.facts!, checksum, helpers: result.helpers!, partials: result.partials! } };
    const { facts, helpers, partials } = JSON.parse(cached) as Omit<ModelSourceFacts, 'template' | 'checksum'>;
    return { source, analysed: { facts, checksum, helpers, partials } };
  }

  /** The text and data of the next YAML file, which must be `file`. */
  async nextYaml(file: string): Promise<{ text: string; data: unknown }> {
    const result = await this.take(file, 'yaml');
    if ('here' in result) return result.here as ReadHere<'yaml'>;
    if ('checksum' in result) throw new Error(`${file} was not read as YAML`);
    if (result.hash) this.cache?.addYaml(result.hash, result.cached);
    return { text: result.source, data: result.cached === undefined ? result.data : (JSON.parse(result.cached) as [unknown])[0] };
  }

  /** The next file as the worker parsed it, or as this thread did (now, or earlier while it waited). */
  private async take(file: string, kind: SourceKind): Promise<Extract<SourceResult, { ok: true }> | { here: ReadHere<SourceKind> }> {
    const index = this.head++;
    if (this.files[index] !== file || this.kind !== kind) throw new Error(`${kind} files read out of order: ${file} instead of ${this.files[index]}`);
    if (!this.worker || !this.claims) return { here: this.readHere(index) };
    const early = this.readEarly.get(index);
    if (early) {
      this.readEarly.delete(index);
      // A mistake found early is reported in its turn, as a serial parse would.
      if ('error' in early) throw early.error;
      return { here: early.value };
    }
    // Not claimed by the worker yet: read it here rather than wait.
    if (Atomics.compareExchange(this.claims, index, 0, 1) === 0) return { here: this.readHere(index) };
    let result: SourceResult | undefined;
    while ((result = this.ready[index]) === undefined) {
      if (this.failure) throw this.failure;
      if (this.readOneFromTheEnd(index)) {
        // Let the worker's messages in before looking again.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    // Drop what was handed out: the main thread keeps the node, not this copy.
    this.ready[index] = undefined;
    if (!result.ok) {
      if ('userError' in result) throw new UserError(result.userError.message, result.userError);
      const error = new Error(result.internal) as NodeJS.ErrnoException;
      error.code = result.code;
      throw error;
    }
    return result;
  }

  /** Reads and parses the file at `index` on this thread; throws its mistake. */
  private readHere(index: number): ReadHere<SourceKind> {
    const file = this.files[index];
    const text = readText(`${this.folder}${file}`);
    const cache = this.cache;
    if (this.kind === 'yaml') {
      if (!cache) return { text, data: loadYaml(text, file) };
      const hash = sha256(text);
      const hit = cache.yaml(hash);
      if (hit) return { text, data: hit.data };
      const data = loadYaml(text, file);
      cache.addYaml(hash, cacheText([data]));
      return { text, data };
    }
    if (!cache) return { source: text, analysed: analyseModelSource(text, file, 'model') };
    const checksum = sha256(text);
    const hit = cache.model(checksum);
    // From the cache there is no tree: compile parses the template when it needs it.
    if (hit) return { source: text, analysed: { facts: hit.facts, checksum, helpers: hit.helpers, partials: hit.partials } };
    const analysed = analyseModelSource(text, file, 'model', checksum);
    cache.addModel(checksum, modelCacheText(analysed));
    return { source: text, analysed };
  }

  /**
   * While waiting for the worker: claims the last file nobody has claimed (after `needed`) and
   * parses it here, keeping the result (or its mistake) for its turn. False when the worker has
   * claimed everything from `needed` on.
   */
  private readOneFromTheEnd(needed: number): boolean {
    if (this.tail <= needed + 1) return false;
    const index = --this.tail;
    if (Atomics.compareExchange(this.claims!, index, 0, 1) !== 0) {
      // The worker got here: every file between is claimed too.
      this.tail = needed + 1;
      return false;
    }
    try {
      this.readEarly.set(index, { value: this.readHere(index) });
    } catch (error) {
      this.readEarly.set(index, { error });
    }
    return true;
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
