// A worker thread of ModelSourceReader: reads and parses the model files the main thread has not
// claimed, in order, and posts the results back in batches. It stops at the first mistake; the main thread reports that one.
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../errors/user-error.js';
import { cacheText, modelCacheText } from './parse-cache.js';
import { analyseModelSource, sha256 } from './parse-model.js';
import type { SourceBatch, SourceKind, SourceResult } from './model-source-reader.js';
import { folderPrefix, readText } from './read-text.js';
import { loadYaml } from './yaml-file.js';

// cache: whether the main thread keeps a parse cache (this thread then makes the text of each entry).
const { root, files, kind, claims, cache } = workerData as { root: string; files: string[]; kind: SourceKind; claims: Int32Array; cache: boolean };
const folder = folderPrefix(root);
// Model files are small and many; a property file is large and wanted as soon as it is parsed.
// Small batches: the main thread waits for the one holding the file it needs next.
const BATCH = kind === 'yaml' ? 1 : 50;
let batch: SourceBatch = [];
for (let index = 0; index < files.length; index++) {
  // The main thread took it (it needed the file before this thread got to it).
  if (Atomics.compareExchange(claims, index, 0, 1) !== 0) continue;
  const file = files[index];
  let result: SourceResult;
  try {
    const source = readText(`${folder}${file}`);
    // What was found goes to the main thread as the JSON text the parse cache keeps (see SourceResult),
    // else (a value JSON cannot give back exactly) as objects.
    if (kind === 'yaml') {
      const data = loadYaml(source, file);
      const cached = cacheText([data]);
      result = { ok: true, source, hash: cache ? sha256(source) : undefined, ...(cached === undefined ? { data } : { cached }) };
    } else {
      // The tree stays here: copying it to the main thread costs about as much as parsing it again.
      const analysed = analyseModelSource(source, file, 'model');
      const { facts, checksum, helpers, partials } = analysed;
      const cached = modelCacheText(analysed);
      result = cached === undefined ? { ok: true, source, checksum, facts, helpers, partials } : { ok: true, source, checksum, cached };
    }
  } catch (error) {
    result = isUserError(error)
      ? { ok: false, userError: { message: error.message, file: error.file, line: error.line, hint: error.hint } }
      : { ok: false, internal: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException).code };
  }
  batch.push({ index, result });
  if (!result.ok) break;
  if (batch.length === BATCH) {
    parentPort!.postMessage(batch);
    batch = [];
  }
}
parentPort!.postMessage(batch);
