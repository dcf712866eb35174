import { Worker } from 'node:worker_threads';

// Runs on a second thread: writing thousands of small files costs the main thread nothing.
// A file that already holds the same text is left alone: on this kind of disk, reading and
// comparing 30,000 small files takes 1.5-2 s where overwriting them took 6-100 s. Files in a
// folder this writer created are new, so they are written without looking.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const folders = new Set();
const created = new Set();
parentPort.on('message', (batch) => {
  try {
    for (const [file, contents] of batch) {
      const dir = path.dirname(file);
      if (!folders.has(dir)) {
        if (mkdirSync(dir, { recursive: true }) !== undefined) created.add(dir);
        folders.add(dir);
      }
      if (!created.has(dir)) {
        let old;
        try { old = readFileSync(file, 'utf8'); } catch {}
        if (old === contents) continue;
      }
      writeFileSync(file, contents);
    }
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
  }
});
`;

const BATCH = 500;

/**
 * Writes many small files (target/compiled, target/run) on a worker thread while the main
 * thread goes on compiling. `flush()` waits for all of them and stops the worker.
 */
export class FileWriter {
  private worker: Worker | undefined;
  private batch: [string, string][] = [];
  private outstanding = 0;
  private failure: string | undefined;
  private drained: (() => void) | undefined;

  write(file: string, contents: string): void {
    this.batch.push([file, contents]);
    if (this.batch.length >= BATCH) this.send();
  }

  private send(): void {
    if (this.batch.length === 0) return;
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
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
    this.worker.postMessage(this.batch);
    this.batch = [];
  }

  async flush(): Promise<void> {
    this.send();
    if (this.outstanding > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = undefined;
    await this.worker?.terminate();
    this.worker = undefined;
    if (this.failure) throw new Error(`could not write files under target/: ${this.failure}`);
  }
}
