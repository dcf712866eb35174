#!/usr/bin/env node
// The second step of `npm run build`, after tsc has type-checked the sources and written dist/:
// bundles the CLI's entry (dist/cli/bin.js) and each worker-thread entry (dist/.../*-worker.js)
// into one file each with esbuild, over tsc's output for those files. Loading one file instead of
// hundreds of modules is most of a command's start-up (Node's module loader spends ~1 ms a module).
//
// What stays a separate package, loaded from node_modules when used: native code (@duckdb/node-bindings),
// packages only some commands or targets need that are large (the S3, MongoDB and SFTP clients,
// typescript for TS macros, node-sql-parser and elkjs for docs), and anything a package loads by a
// computed name. Every other file of dist/ is still tsc's, so paths relative to a module
// (import.meta.url: worker files, the docs site's assets, createRequire) keep pointing where they did.
//   node cli/bundle.mjs [--out dist]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const OUT = path.resolve(ROOT, args.out);

/** Packages bundled into the entries (with everything they import); any other package stays external. */
const BUNDLED = new Set(['commander', 'picocolors', 'js-yaml', 'graphology', 'csv-parse', 'p-limit', 'picomatch', '@duckdb/node-api', 'mysql2']);
/** Native packages: external even when a bundled package imports them. */
const NATIVE = new Set(['@duckdb/node-bindings']);

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const inNodeModules = (file) => file.split(path.sep).includes('node_modules');

/**
 * Worker entry points: the `.ts` files a source names as `new URL('./x.js', import.meta.url)`
 * (each is started with `new Worker(file)`), bundled like the CLI's entry.
 */
function workerEntries() {
  const out = new Set();
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '__fixtures__') visit(file);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const match of readFileSync(file, 'utf8').matchAll(/new URL\('(\.\/[\w.-]+)\.js', import\.meta\.url\)/g)) {
          const target = path.resolve(path.dirname(file), `${match[1]}.ts`);
          if (readdirSync(path.dirname(target)).includes(path.basename(target))) out.add(path.relative(ROOT, target));
        }
      }
    }
  };
  for (const dir of ['cli', 'core', 'adapters']) visit(path.join(ROOT, dir));
  return [...out].sort();
}

/**
 * An ES module re-exporting a package by name. import() of a CommonJS package in a split bundle
 * would give only its `default`; Node gives its named exports too, which code uses
 * (`(await import('@duckdb/node-api')).DuckDBInstance`). The names are the ones Node gives.
 */
function facade(specifier) {
  const listed = spawnSync(process.execPath, ['--input-type=module', '-e', `process.stdout.write(JSON.stringify(Object.keys(await import(${JSON.stringify(specifier)}))))`], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`cannot list the exports of ${specifier}: ${listed.stderr}`);
  const names = JSON.parse(listed.stdout).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
  const spec = JSON.stringify(specifier);
  return `import * as ns from ${spec};\nexport default ns.default;\nexport const { ${names.join(', ')} } = ns;\n`;
}

/** The bundle's plugin: which imports stay external, and import.meta.url as each module's own URL in dist/. */
const strataBundle = (outfile) => ({
  name: 'strata-bundle',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.kind === 'entry-point') return undefined;
      const name = packageName(args.path);
      if (NATIVE.has(name)) return { path: args.path, external: true };
      // A bundled package's own imports are bundled with it (they may be nested versions).
      if (inNodeModules(args.importer)) return undefined;
      if (!BUNDLED.has(name)) return { path: args.path, external: true };
      // import() of a package: through a module that names its exports (see facade()).
      if (args.kind === 'dynamic-import') return { path: args.path, namespace: 'strata-facade' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'strata-facade' }, (args) => ({ contents: facade(args.path), resolveDir: ROOT, loader: 'js' }));
    // A module's import.meta.url becomes the URL its tsc output has in dist/ (relative to the bundle's), so
    // `new URL('./x-worker.js', import.meta.url)` and createRequire(import.meta.url) resolve as before.
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (inNodeModules(args.path)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const compiled = path.join(OUT, path.relative(ROOT, args.path)).replace(/\.ts$/, '.js');
      const relative = path.relative(path.dirname(outfile), compiled).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
    });
  },
});

/**
 * One build per entry (the CLI, each worker), its output in the folder of the entry's tsc output:
 * the modules a command imports when it runs (import()) are split into chunks beside it, so the
 * packages they import are loaded only by the commands that use them, and every chunk is in the same
 * folder as the entry (which import.meta.url above is relative to).
 */
const entries = ['cli/bin.ts', ...workerEntries()];
for (const entry of entries) {
  const outdir = path.join(OUT, path.dirname(entry));
  const outfile = path.join(OUT, entry.replace(/\.ts$/, '.js'));
  const chunkPrefix = `${path.basename(entry, '.ts')}-chunk-`;
  // The chunks of an earlier build (their names carry a hash).
  for (const file of readdirSync(outdir)) if (file.startsWith(chunkPrefix)) rmSync(path.join(outdir, file));
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    outdir,
    entryNames: '[name]',
    chunkNames: `${chunkPrefix}[hash]`,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: "import { createRequire as __strataCreateRequire } from 'node:module';\nconst require = __strataCreateRequire(import.meta.url);" },
    plugins: [strataBundle(outfile)],
    logLevel: 'warning',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).length;
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
  process.stdout.write(`bundled ${entry} -> ${path.relative(ROOT, outfile)} and ${outputs.length - 1} chunks (${inputs} modules, ${(bytes / 1024).toFixed(0)} KB)\n`);
}
