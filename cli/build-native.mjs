// The third step of `npm run build`: compiles the optional C parts with the machine's C compiler
// against the headers of the Node.js that runs this (an official Node.js and Debian's nodejs-dev
// both have include/node/node_api.h), into dist/ beside the module that loads each. Nothing is
// downloaded. Without a compiler or the headers, it says so and Strata uses its JavaScript code
// for the same work (slower, same results).
//   node cli/build-native.mjs [--out dist]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const OUT = path.resolve(ROOT, args.out);

/** Each C addon: its source and the file it becomes, beside the module that loads it (mysql-native-rows.ts). */
const ADDONS = [{ source: 'adapters/sources/mysql/native/mysql_rows.c', output: 'adapters/sources/mysql/mysql_rows.node' }];

const headers = [path.resolve(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'].find((dir) => existsSync(path.join(dir, 'node_api.h')));
const compiler = process.env.CC || 'cc';
for (const { source, output } of ADDONS) {
  const target = path.join(OUT, output);
  // No file from an earlier build stays behind one that failed (its code may be older than the JavaScript's).
  rmSync(target, { force: true });
  if (!headers) {
    process.stdout.write(`not built: ${output} (no node_api.h beside this Node.js); the JavaScript parser is used instead\n`);
    continue;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  const flags = ['-O3', '-std=c11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-fPIC', '-shared', `-I${headers}`, '-DNAPI_VERSION=8'];
  // Node's N-API symbols are found in the running process.
  if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
  const built = spawnSync(compiler, [...flags, '-o', target, path.join(ROOT, source)], { encoding: 'utf8' });
  if (built.error || built.status !== 0) {
    const why = built.error ? built.error.message : built.stderr.trim().split('\n').slice(0, 5).join('\n') || `exit code ${built.status}`;
    process.stdout.write(`not built: ${output} (${compiler}: ${why}); the JavaScript parser is used instead\n`);
    continue;
  }
  process.stdout.write(`built ${path.relative(ROOT, target)} with ${compiler}\n`);
}
