import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes many small files (target/compiled, target/run) in the background while the CPU
 * compiles, creating each folder once. `flush()` waits for all of them.
 */
export class FileWriter {
  private readonly folders = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown;

  write(file: string, contents: string): void {
    const dir = path.dirname(file);
    let folder = this.folders.get(dir);
    if (!folder) this.folders.set(dir, (folder = mkdir(dir, { recursive: true })));
    const task: Promise<void> = folder
      .then(() => writeFile(file, contents))
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
    if (this.failure) throw this.failure;
  }
}
