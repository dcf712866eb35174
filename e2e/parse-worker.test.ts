import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectYml, tempProjects } from './harness.js';

// A large project's model files are parsed on a worker thread, which only exists in the built
// binary (vitest runs the TypeScript in-process): these tests run dist/ as cli-process.test.ts does.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'dist/cli/bin.js');
// STRATA_PARSE_WORKER=1 forces the threads on below their threshold (3,000 files) and on a busy machine.
const MODELS = 600;

const project = tempProjects();
beforeAll(() => {
  if (!existsSync(path.join(repo, 'dist/core/project/model-source-worker.js'))) throw new Error('dist/ has no model-source-worker.js: run npm run build');
});

function bigProject(broken?: { index: number; text: string } | { index: number; text: string }[], brokenYaml?: 'key' | 'syntax' | 'infinity'): string {
  const brokenFiles = new Map((Array.isArray(broken) ? broken : broken ? [broken] : []).map((b) => [b.index, b.text]));
  const files: Record<string, string> = {
    'project.yml': projectYml('models:\n  shop:\n    f1: { +materialized: table }\n'),
    'macros/recent.sql': "updated_at > '2024-01-01'",
  };
  const yml: string[] = ['version: 2', 'models:'];
  for (let i = 0; i < MODELS; i++) {
    const name = `m_${String(i).padStart(4, '0')}`;
    const folder = `f${i % 3}`;
    const body = i === 0 ? 'select 1 as id, now() as updated_at' : `{{config tags="t${i % 4}"}}\nselect id, updated_at from {{ref "m_${String(i - 1).padStart(4, '0')}"}}\nwhere {{> recent}}`;
    files[`models/${folder}/${name}.sql`] = brokenFiles.get(i) ?? body;
    yml.push(`  - name: ${name}`, '    columns:', '      - name: id', '        data_tests: [not_null]');
  }
  // Line 42 starts model 10's entry; 40 is inside model 9's column list.
  if (brokenYaml === 'key') yml.splice(42, 0, '    colums: []');
  if (brokenYaml === 'syntax') yml.splice(40, 0, '    colums: []');
  if (brokenYaml === 'infinity') yml.splice(43, 0, '    meta: {weight: .inf}');
  files['models/_models.yml'] = yml.join('\n') + '\n';
  return project(files);
}

function run(dir: string, command: string, worker: boolean, keepTarget = false) {
  if (!keepTarget) rmSync(path.join(dir, 'target'), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [bin, command, '--project-dir', dir], { encoding: 'utf8', env: { ...process.env, CI: 'true', STRATA_PARSE_WORKER: worker ? '1' : '0' } });
  const manifestPath = path.join(dir, 'target', 'manifest.json');
  // What differs between any two runs: timestamps and the invocation id.
  const raw = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : undefined;
  const manifest = raw?.replace(/"created_at":[0-9.]+/g, '').replace(/"(generated_at|invocation_id)":"[^"]*"/g, '');
  // Log lines start with the time of day.
  const output = (result.stdout + result.stderr).replace(/^\d\d:\d\d:\d\d +/gm, '');
  return { code: result.status, output, manifest, raw };
}

describe('parsing model files and their YAML on worker threads', () => {
  it('writes the same manifest and compiled SQL as parsing them on the main thread', () => {
    const dir = bigProject();
    const serial = run(dir, 'compile', false);
    const compiledSerial = readFileSync(path.join(dir, 'target/compiled/shop/models/f2/m_0599.sql'), 'utf8');
    const parallel = run(dir, 'compile', true);
    expect(serial.code, serial.output).toBe(0);
    expect(parallel.code, parallel.output).toBe(0);
    expect(parallel.output).toContain(`Compiled ${MODELS} models and ${MODELS} tests`);
    expect(parallel.manifest).toBe(serial.manifest);
    expect(JSON.parse(parallel.raw!).nodes['model.shop.m_0599'].depends_on).toEqual({ nodes: ['model.shop.m_0598'], macros: ['macro.shop.recent'] });
    const compiled = readFileSync(path.join(dir, 'target/compiled/shop/models/f2/m_0599.sql'), 'utf8');
    expect(compiled).toBe(compiledSerial);
    expect(compiled).toContain(`from "shop"."main"."m_0598"`);
  });

  it('keeps a parse cache made on the threads that a later parse reuses, with the same manifest', () => {
    const dir = bigProject();
    const serial = run(dir, 'parse', false);
    const serialCache = readFileSync(path.join(dir, 'target/partial_parse.jsonl'), 'utf8');
    const parallel = run(dir, 'parse', true);
    expect(parallel.code, parallel.output).toBe(0);
    const sorted = (text: string) => text.split('\n').sort();
    // A header, one entry per model file and one for the YAML file, whichever thread parsed them.
    expect(sorted(readFileSync(path.join(dir, 'target/partial_parse.jsonl'), 'utf8'))).toEqual(sorted(serialCache));
    expect(serialCache.split('\n').filter(Boolean)).toHaveLength(1 + 600 + 1);
    const warm = run(dir, 'compile', true, true);
    expect(warm.code, warm.output).toBe(0);
    const warmParse = run(dir, 'parse', true, true);
    expect(warmParse.manifest).toBe(serial.manifest);
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/f2/m_0599.sql'), 'utf8')).toContain(`from "shop"."main"."m_0598"`);
  });

  it('passes what JSON cannot give back exactly (-0 in a config call, .inf in YAML) as objects, as the serial parse reads them, and caches neither', () => {
    const dir = bigProject({ index: 5, text: '{{config full_refresh=-0}}\nselect 1 as id, now() as updated_at' }, 'infinity');
    const serial = run(dir, 'parse', false);
    const parallel = run(dir, 'parse', true);
    expect(serial.code, serial.output).toBe(0);
    expect(parallel.code, parallel.output).toBe(0);
    expect(parallel.manifest).toBe(serial.manifest);
    const nodes = JSON.parse(parallel.raw!).nodes;
    expect(nodes['model.shop.m_0010'].meta).toEqual({ weight: null });
    expect(nodes['model.shop.m_0005'].unrendered_config).toEqual({ full_refresh: 0 });
    // The 599 other model files only: neither the model nor the YAML file is cached.
    expect(readFileSync(path.join(dir, 'target/partial_parse.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1 + 599);
  });

  it('reports a mistake in a model file once, with its file and line, as the serial parse does', () => {
    const dir = bigProject({ index: 550, text: 'select 1\n{{config materialised="table"}}' });
    const serial = run(dir, 'parse', false);
    const parallel = run(dir, 'parse', true);
    expect(parallel.code).toBe(2);
    expect(parallel.output).toContain('models/f1/m_0550.sql:2');
    expect(parallel.output).toContain('materialized');
    expect(parallel.output).not.toMatch(/\n\s+at /);
    expect(parallel.output.split('\n').filter((l) => l.includes('m_0550.sql'))).toEqual(serial.output.split('\n').filter((l) => l.includes('m_0550.sql')));
  });

  it('reports the first mistake in file order when the main thread read a later file with a mistake early', () => {
    // While it waits for the worker, the main thread parses the last files: m_0599's mistake must wait for its turn.
    const dir = bigProject([
      { index: 300, text: 'select 1\n\n{{ref}}' },
      { index: 599, text: '{{config materialised="table"}}' },
    ]);
    const serial = run(dir, 'parse', false);
    const parallel = run(dir, 'parse', true);
    expect(parallel.code).toBe(2);
    expect(parallel.output).toContain('models/f0/m_0300.sql:3');
    expect(parallel.output).not.toContain('m_0599');
    expect(parallel.output).toBe(serial.output);
  });

  it('reports a mistake in a property file with its line, as the serial parse does', () => {
    const dir = bigProject(undefined, 'key');
    const serial = run(dir, 'parse', false);
    const parallel = run(dir, 'parse', true);
    expect(parallel.code).toBe(2);
    expect(parallel.output).toMatch(/models\/_models\.yml:43: unknown key 'colums'/);
    expect(parallel.output).toContain('columns');
    expect(parallel.output).toBe(serial.output);
  });

  it('reports a YAML syntax error in a property file with its line, as the serial parse does', () => {
    const dir = bigProject(undefined, 'syntax');
    const serial = run(dir, 'parse', false);
    const parallel = run(dir, 'parse', true);
    expect(parallel.code).toBe(2);
    expect(parallel.output).toContain('models/_models.yml:42: invalid YAML');
    expect(parallel.output).toBe(serial.output);
  });
});
