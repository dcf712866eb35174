#!/usr/bin/env node
// The floor under a parse and a compile on this machine: the work no tool writing dbt's artifacts
// can skip, done by a process that does nothing else. parse-compile.mjs runs it beside Strata.
//   node bench/parse-compile-floor.mjs parse PROJECT_DIR MANIFEST OUT_DIR
//   node bench/parse-compile-floor.mjs compile PROJECT_DIR MANIFEST OUT_DIR COMPILED_DIR
// parse: reads every file under the project's models/ and macros/ (as any parser must), then
// JSON.stringify's the manifest Strata wrote and writes it to OUT_DIR. compile: the same, and
// writes every file of Strata's target/compiled into OUT_DIR/compiled. Preparing the values
// (JSON.parse of the manifest, reading the compiled files) is not timed: they are what a tool
// builds as it goes. Prints one JSON line of milliseconds.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [mode, projectDir, manifestFile, outDir, compiledDir] = process.argv.slice(2);
if (!['parse', 'compile'].includes(mode) || !outDir || (mode === 'compile' && !compiledDir)) {
  process.stderr.write('usage: parse-compile-floor.mjs parse|compile PROJECT_DIR MANIFEST OUT_DIR [COMPILED_DIR]\n');
  process.exit(2);
}

function filesUnder(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(file, out);
    else out.push(file);
  }
  return out;
}

// Prepared, not timed.
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const compiled = mode === 'compile' ? filesUnder(compiledDir).map((file) => [path.relative(compiledDir, file), readFileSync(file, 'utf8')]) : [];
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const sourceFiles = ['models', 'macros'].flatMap((dir) => filesUnder(path.join(projectDir, dir)));
let started = performance.now();
let bytes = 0;
for (const file of sourceFiles) bytes += readFileSync(file, 'utf8').length;
const readMs = performance.now() - started;

started = performance.now();
const text = JSON.stringify(manifest);
const stringifyMs = performance.now() - started;
started = performance.now();
writeFileSync(path.join(outDir, 'manifest.json'), text);
const writeMs = performance.now() - started;

let compiledMs = 0;
if (mode === 'compile') {
  started = performance.now();
  const folders = new Set();
  for (const [relative, contents] of compiled) {
    const file = path.join(outDir, 'compiled', relative);
    const folder = path.dirname(file);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(file, contents);
  }
  compiledMs = performance.now() - started;
}
process.stdout.write(`${JSON.stringify({ files: sourceFiles.length, bytes, readMs, manifestBytes: text.length, stringifyMs, writeMs, compiledFiles: compiled.length, compiledMs })}\n`);
