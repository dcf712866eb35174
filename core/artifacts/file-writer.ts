import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** One file to write: its path, its text, and whether its folder was created by this writer (so it cannot exist yet). */
type Entry = [file: string, contents: string, fresh: boolean];

/**
 * Writes a batch of [file, contents, fresh] entries. A file that already holds the same text is
 * left alone: on this kind of disk, reading and comparing 30,000 small files takes 1.5-2 s where
 * overwriting them took 6-100 s. Files in a folder this writer created (fresh) are new, so they
 * are written without looking. The same source runs on the worker and on the main thread.
 */
const WRITE_ENTRIES = `(batch, fs) => {
  for (const [file, contents, fresh] of batch) {
    if (!fresh) {
      let old;
      try { old = fs.readFileSync(file, 'utf8'); } catch {}
      if (old === contents) continue;
    }
    fs.writeFileSync(file, contents);
  }
}`;
const writeEntries = new Function(`return ${WRITE_ENTRIES}`)() as (batch: Entry[], fs: { readFileSync: typeof readFileSync; writeFileSync: typeof writeFileSync }) => void;

// Batches are claimed in a shared array (0 free, 1 taken by the worker, 2 by the main thread):
// the worker takes them in order, and at flush the main thread, idle by then, takes the newest
// ones the worker has not reached, so both cores write the end of a large compile.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const claims = new Int32Array(workerData.claims);
const writeEntries = ${WRITE_ENTRIES};
parentPort.on('message', ({ index, batch }) => {
  try {
    if (index >= claims.length || Atomics.compareExchange(claims, index, 0, 1) === 0) writeEntries(batch, fs);
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});
`;

const BATCH = 500;
/** Batches the main thread may help with (500 files each); later ones are the worker's alone. */
const CLAIMABLE = 4096;

/**
 * Writes many small files (target/compiled, target/run) on a worker thread while the main
 * thread goes on compiling. `flush()` writes what the worker has not started, waits for the
 * rest and stops the worker.
 */
export class FileWriter {
  private worker: Worker | undefined;
  private claims: Int32Array | undefined;
  private batch: Entry[] = [];
  /** Every batch sent, by index, for the main thread to take at flush. */
  private sent: Entry[][] = [];
  private outstanding = 0;
  private failure: string | undefined;
  private drained: (() => void) | undefined;
  /** Folders made by this writer (true) or found existing (false). */
  private readonly folders = new Map<string, boolean>();
  private readonly files = new Set<string>();
  /** False once a file is written twice: then only the worker writes, in order, so the last text wins. */
  private mayShare = true;

  write(file: string, contents: string): void {
    const dir = path.dirname(file);
    let fresh = this.folders.get(dir);
    if (fresh === undefined) {
      try {
        fresh = mkdirSync(dir, { recursive: true }) !== undefined;
      } catch (error) {
        // The write fails too, and flush reports it.
        this.failure ??= error instanceof Error ? error.message : String(error);
        fresh = false;
      }
      this.folders.set(dir, fresh);
    }
    if (this.mayShare) {
      if (this.files.has(file)) this.mayShare = false;
      else this.files.add(file);
    }
    this.batch.push([file, contents, fresh]);
    if (this.batch.length >= BATCH) this.send();
  }

  private send(): void {
    if (this.batch.length === 0) return;
    if (!this.worker) {
      const claims = new SharedArrayBuffer(CLAIMABLE * Int32Array.BYTES_PER_ELEMENT);
      this.claims = new Int32Array(claims);
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { claims } });
      this.worker.unref();
      this.worker.on('message', (reply: { ok: boolean; message?: string }) => {
        if (!reply.ok) this.failure ??= reply.message;
        if (--this.outstanding === 0) this.drained?.();
      });
      this.worker.on('error', (error) => {
        this.failure ??= error.message;
        this.outstanding = 0;
        this.drained?.();
      });
    }
    this.outstanding++;
    this.worker.postMessage({ index: this.sent.length, batch: this.batch });
    this.sent.push(this.batch);
    this.batch = [];
  }

  async flush(): Promise<void> {
    this.send();
    if (this.mayShare && this.claims) {
      for (let index = Math.min(this.sent.length, CLAIMABLE) - 1; index >= 0; index--) {
        // The worker takes batches in order: once it holds this one, it holds every earlier one.
        if (Atomics.compareExchange(this.claims, index, 0, 2) !== 0) break;
        try {
          writeEntries(this.sent[index], { readFileSync, writeFileSync });
        } catch (error) {
          this.failure ??= error instanceof Error ? error.message : String(error);
        }
      }
    }
    if (this.outstanding > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = undefined;
    await this.worker?.terminate();
    this.worker = undefined;
    this.sent = [];
    if (this.failure) throw new Error(`could not write files under target/: ${this.failure}`);
  }
}
