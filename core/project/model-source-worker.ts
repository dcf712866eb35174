// A worker thread of ModelSourceReader: reads and parses its model files in order and posts the
// results back in batches. It stops at the first mistake; the main thread reports that one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../errors/user-error.js';
import { analyseModelSource } from './parse-model.js';
import type { SourceKind, SourceResult } from './model-source-reader.js';
import { loadYaml } from './yaml-file.js';

const { root, files, kind } = workerData as { root: string; files: string[]; kind: SourceKind };
// Model files are small and many; a property file is large and wanted as soon as it is parsed.
const BATCH = kind === 'yaml' ? 1 : 200;
let batch: SourceResult[] = [];
for (const file of files) {
  let result: SourceResult;
  try {
    const source = readFileSync(path.join(root, file), 'utf8');
    if (kind === 'yaml') {
      result = { ok: true, source, data: loadYaml(source, file) };
    } else {
      // The tree stays here: copying it to the main thread costs about as much as parsing it again.
      const { facts, checksum, helpers, partials } = analyseModelSource(source, file, 'model');
      result = { ok: true, source, facts, checksum, helpers, partials };
    }
  } catch (error) {
    result = isUserError(error)
      ? { ok: false, userError: { message: error.message, file: error.file, line: error.line, hint: error.hint } }
      : { ok: false, internal: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException).code };
  }
  batch.push(result);
  if (!result.ok) break;
  if (batch.length === BATCH) {
    parentPort!.postMessage(batch);
    batch = [];
  }
}
parentPort!.postMessage(batch);
