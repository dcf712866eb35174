import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { LakeStorage } from './lake-storage.js';

/** Temporary files live here, outside `raw/`, so no reader's glob ever matches one. */
export const LOCAL_TMP_FOLDER = '_tmp';

/** A lake in a local folder; objects are files, keys are paths below the root. */
export class LocalLakeStorage implements LakeStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The absolute file path of a key. */
  pathOf(key: string): string {
    const normalized = path.posix.normalize(key);
    if (!key || normalized.startsWith('..') || path.posix.isAbsolute(normalized)) throw new Error(`lake key '${key}' must be a relative path inside the lake`);
    return path.join(this.root, ...normalized.split('/'));
  }

  async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const target = this.pathOf(key);
    const tmpDir = path.join(this.root, LOCAL_TMP_FOLDER);
    await mkdir(tmpDir, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
    try {
      const source = body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
      await pipeline(source, createWriteStream(tmp, { flush: true }));
      // rename(2) within one file system is atomic: the key holds the old object or the whole new one.
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = prefix.replace(/\/+$/, '');
    const start = folder ? this.pathOf(folder) : this.root;
    const keys: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw error;
      }
      for (const entry of entries) {
        const key = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (entry.isFile()) keys.push(key);
      }
    };
    await walk(start, folder);
    return keys.filter((k) => !k.startsWith(`${LOCAL_TMP_FOLDER}/`)).sort();
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await rm(file, { force: true });
    // A folder emptied by the delete goes too (a removed load leaves no empty load_id= folder).
    for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
    }
  }
}
