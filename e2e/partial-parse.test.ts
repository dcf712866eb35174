import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../core/project/parse-model.js';
import { PARSE_CACHE_FILE } from '../core/project/parse-cache.js';
import { strata, tempProjects } from './harness.js';

// target/partial_parse.jsonl: each model file's analysis and each YAML file's document, by the sha256 of its bytes.
const project = tempProjects();
const cacheFile = (dir: string) => path.join(dir, 'target', PARSE_CACHE_FILE);
// What differs between any two runs: timestamps and the invocation id.
const manifestText = (dir: string) =>
  readFileSync(path.join(dir, 'target/manifest.json'), 'utf8').replace(/"created_at":[0-9.]+/g, '').replace(/"(generated_at|invocation_id)":"[^"]*"/g, '');
const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));

const files = {
  'models/a.sql': 'select 1 as id',
  'models/b.sql': '{{config materialized="table" tags="daily"}}\nselect * from {{ref "a"}}\nwhere {{> recent}}',
  'models/c.sql': 'select * from {{ref "b"}}',
  'macros/recent.sql': 'id > 0',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    description: The b model.\n    columns:\n      - name: id\n        tests: [unique]\n',
};

describe('partial parsing (target/partial_parse.jsonl)', () => {
  it('a second parse reuses the first one and writes the same manifest and compiled SQL', async () => {
    const dir = project(files);
    const cold = await strata(dir, 'compile');
    expect(cold.code, cold.output).toBe(0);
    const coldManifest = manifestText(dir);
    const coldSql = readFileSync(path.join(dir, 'target/compiled/shop/models/b.sql'), 'utf8');
    const cache = readFileSync(cacheFile(dir), 'utf8').split('\n').filter(Boolean);
    // A header, 3 model files and 1 YAML file.
    expect(cache).toHaveLength(5);
    expect(cache.slice(1).map((line) => line.slice(0, 71)).sort()).toEqual(
      [...['models/a.sql', 'models/b.sql', 'models/c.sql'].map((f) => `["m","${sha256(files[f as keyof typeof files])}"`), `["y","${sha256(files['models/schema.yml'])}"`].sort(),
    );
    const warm = await strata(dir, 'compile');
    expect(warm.code, warm.output).toBe(0);
    expect(manifestText(dir)).toBe(coldManifest);
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/b.sql'), 'utf8')).toBe(coldSql);
    expect(coldSql).toContain('"shop"."main"."a"');
    expect(coldSql).toContain('id > 0');
  });

  it('a changed file is parsed again: new refs, configs and YAML show, and old entries are dropped', async () => {
    const dir = project(files);
    expect((await strata(dir, 'parse')).code).toBe(0);
    writeFileSync(path.join(dir, 'models/c.sql'), '{{config materialized="view" tags="hourly"}}\nselect * from {{ref "a"}}');
    writeFileSync(path.join(dir, 'models/schema.yml'), files['models/schema.yml'].replace('The b model.', 'Changed.'));
    const { code, output } = await strata(dir, 'parse');
    expect(code, output).toBe(0);
    const m = manifest(dir);
    expect(m.nodes['model.shop.c'].depends_on.nodes).toEqual(['model.shop.a']);
    expect(m.nodes['model.shop.c'].tags).toEqual(['hourly']);
    expect(m.nodes['model.shop.b'].description).toBe('Changed.');
    const cache = readFileSync(cacheFile(dir), 'utf8');
    expect(cache).not.toContain(sha256(files['models/c.sql']));
    expect(cache).toContain(sha256(readFileSync(path.join(dir, 'models/c.sql'), 'utf8')));
  });

  it('other --vars: a warm compile with them writes what a cold one with them writes, and leaves the cache as it was', async () => {
    const withVars = {
      ...files,
      'project.yml': 'name: shop\nversion: "1.0"\nvars:\n  low: 0\n',
      'models/d.sql': "select * from {{ref \"a\"}} where id > {{var \"low\"}}",
    };
    const warm = project(withVars);
    expect((await strata(warm, 'compile')).code).toBe(0);
    const cacheBefore = readFileSync(cacheFile(warm), 'utf8');
    const second = await strata(warm, 'compile', '--vars', '{low: 5}');
    expect(second.code, second.output).toBe(0);
    // Nothing was parsed again, so nothing was added to or dropped from the cache.
    expect(readFileSync(cacheFile(warm), 'utf8')).toBe(cacheBefore);
    const cold = project(withVars);
    expect((await strata(cold, 'compile', '--vars', '{low: 5}', '--no-partial-parse')).code).toBe(0);
    // The same but for where each project's DuckDB file is.
    expect(manifestText(warm).replaceAll(warm, '<dir>')).toBe(manifestText(cold).replaceAll(cold, '<dir>'));
    expect(readFileSync(path.join(warm, 'target/compiled/shop/models/d.sql'), 'utf8')).toContain('id > 5');
  });

  it('a mistake is reported on every run: files that fail are never cached', async () => {
    const dir = project(files);
    writeFileSync(path.join(dir, 'models/c.sql'), 'select * from {{ref "nope"}}');
    for (let run = 0; run < 2; run++) {
      const { code, output } = await strata(dir, 'parse');
      expect(code).toBe(2);
      expect(output).toContain('nope');
    }
    writeFileSync(path.join(dir, 'models/c.sql'), 'select * from {{ref "b"');
    for (let run = 0; run < 2; run++) {
      const { code, output } = await strata(dir, 'parse');
      expect(code).toBe(2);
      expect(output).toContain('models/c.sql');
    }
  });

  it('--no-partial-parse neither reads nor writes the cache', async () => {
    const dir = project(files);
    expect((await strata(dir, 'parse', '--no-partial-parse')).code).toBe(0);
    expect(existsSync(cacheFile(dir))).toBe(false);
    expect((await strata(dir, 'parse')).code).toBe(0);
    // An entry of the cache changed by hand (c's analysis now refs a): read unless turned off.
    const hash = sha256(files['models/c.sql']);
    const lines = readFileSync(cacheFile(dir), 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith(`["m","${hash}"`));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at].replace('{"name":"b"}', '{"name":"a"}').replace('"ref:b"', '"ref:a"');
    writeFileSync(cacheFile(dir), lines.join('\n'));
    expect((await strata(dir, 'parse')).code).toBe(0);
    expect(manifest(dir).nodes['model.shop.c'].depends_on.nodes).toEqual(['model.shop.a']);
    expect((await strata(dir, 'parse', '--no-partial-parse')).code).toBe(0);
    expect(manifest(dir).nodes['model.shop.c'].depends_on.nodes).toEqual(['model.shop.b']);
  });
});
