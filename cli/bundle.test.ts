import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, projectYml, removeProject, strata } from '../e2e/harness.js';

// The binary `npm run build` makes (tsc, then cli/bundle.mjs): these tests run it as a user would.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// STRATA_TEST_DIST: another build's folder (a private build of the same sources).
const dist = path.resolve(process.env.STRATA_TEST_DIST ?? path.join(repo, 'dist'));
const bin = path.join(dist, 'cli/bin.js');

let scratch: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
  scratch = mkdtempSync(path.join(os.tmpdir(), 'strata-bundle-'));
  // An ES module loader hook that notes every module Node loads from a file (ES modules and the chunks).
  writeFileSync(path.join(scratch, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { if (url.startsWith('file:')) appendFileSync(process.env.MODULE_LOG, url + '\\n'); return next(url, context); }\n");
  writeFileSync(path.join(scratch, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(scratch, 'hooks.mjs')).href)});\n`);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the built binary; returns its exit code, output and the files of the modules it loaded. */
function runBin(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const log = path.join(scratch, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(scratch, 'register.mjs')).href, bin, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', MODULE_LOG: log, ...options.env },
  });
  const modules = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter((url) => url !== pathToFileURL(path.join(scratch, 'register.mjs')).href).map((url) => fileURLToPath(url)) : [];
  return { code: result.status, output: result.stdout + result.stderr, stdout: result.stdout, modules };
}

/** manifest.json's nodes, without what differs between two parses of the same files. */
function manifestNodes(dir: string): unknown {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(manifest.nodes).map(([id, node]) => [id, { ...node, created_at: undefined }]));
}

describe('the bundled CLI (npm run build)', () => {
  it('--version loads a few bundled files, none from node_modules and no command code', () => {
    const run = runBin(['--version']);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(run.modules.length).toBeGreaterThan(0);
    // tsc's output alone loads 21 files here (commander's among them); the bundle about 7.
    expect(run.modules.length, run.modules.join('\n')).toBeLessThanOrEqual(12);
    for (const file of run.modules) expect(path.dirname(file)).toBe(path.join(dist, 'cli'));
  });

  it('parses on its bundled worker thread to the same manifest as on the main thread and in-process', async () => {
    const worker = path.join(dist, 'core/project/model-source-worker.js');
    // The worker is a bundle too: it imports no other module of dist/.
    expect(readFileSync(worker, 'utf8')).not.toMatch(/from\s+["']\.\.?\//);
    const models: Record<string, string> = {};
    for (let i = 0; i < 30; i++) models[`models/m${i}.sql`] = i ? `{{config materialized="table"}}\nselect id, {{double "id"}} as x, {{> twice c="id"}} as y from {{ref "m${i - 1}"}}` : 'select 1 as id';
    const dir = makeProject({
      'project.yml': projectYml(),
      ...models,
      'macros/double.js': 'export default function double(c) {\n  return `(${c} * 2)`;\n}\n',
      'macros/twice.sql': '({{c}} + {{c}})',
      'models/schema.yml': 'models:\n  - name: m3\n    description: the fourth\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
    });
    try {
      const onWorker = runBin(['parse'], { cwd: dir, env: { STRATA_PARSE_WORKER: '1' } });
      expect(onWorker.code, onWorker.output).toBe(0);
      expect(onWorker.output).toContain('Parsed 30 models');
      const threaded = manifestNodes(dir);
      const onMain = runBin(['parse'], { cwd: dir, env: { STRATA_PARSE_WORKER: '0' } });
      expect(onMain.code, onMain.output).toBe(0);
      expect(manifestNodes(dir)).toEqual(threaded);
      const inProcess = await strata(dir, 'parse');
      expect(inProcess.code, inProcess.output).toBe(0);
      expect(manifestNodes(dir)).toEqual(threaded);
      expect(Object.keys(threaded as object)).toHaveLength(32);
    } finally {
      removeProject(dir);
    }
  });

  it('runs a model on DuckDB (a package the bundle imports on first use, by its named exports)', () => {
    const dir = makeProject({ 'project.yml': projectYml(), 'models/a.sql': "select 42 as answer, 'x' as v" });
    try {
      const run = runBin(['run'], { cwd: dir });
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('Done. PASS=1');
      const shown = runBin(['show', '--select', 'a', '--output', 'json'], { cwd: dir });
      expect(shown.code, shown.output).toBe(0);
      expect(shown.stdout).toContain('"answer": 42');
    } finally {
      removeProject(dir);
    }
  });
});
