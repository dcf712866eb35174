import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { ModelSourceReader, parseOnWorkers } from './model-source-reader.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-reader-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

// Under vitest the worker is not compiled, so this is the in-process path; e2e/parse-worker.test.ts runs the worker.
describe('ModelSourceReader', () => {
  it('gives each file its source, refs, config and macro names in order', async () => {
    const root = project({ 'models/a.sql': 'select 1', 'models/b.sql': '{{config materialized="table"}}select * from {{ref "a"}} where {{> recent}}' });
    const reader = new ModelSourceReader(root, ['models/a.sql', 'models/b.sql']);
    expect(reader.parallel).toBe(false);
    expect((await reader.next('models/a.sql')).source).toBe('select 1');
    const { analysed } = await reader.next('models/b.sql');
    expect(analysed.facts.refs).toEqual([{ name: 'a' }]);
    expect(analysed.facts.config).toEqual({ materialized: 'table' });
    expect(analysed.partials).toEqual(['recent']);
    expect(analysed.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('throws a file’s mistake when its turn comes, with its line', async () => {
    const root = project({ 'models/a.sql': 'select 1', 'models/b.sql': 'select\n{{#if x}}never closed' });
    const reader = new ModelSourceReader(root, ['models/a.sql', 'models/b.sql']);
    await reader.next('models/a.sql');
    const error = await reader.next('models/b.sql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).file).toBe('models/b.sql');
    expect((error as UserError).line).toBe(2);
  });

  it('refuses files asked for out of order', async () => {
    const root = project({ 'models/a.sql': 'select 1', 'models/b.sql': 'select 2' });
    const reader = new ModelSourceReader(root, ['models/a.sql', 'models/b.sql']);
    await expect(reader.next('models/b.sql')).rejects.toThrow(/out of order/);
  });

  it('reads YAML files in order, and names the line of a syntax error', async () => {
    const root = project({ 'models/a.yml': 'version: 2\nmodels:\n  - name: a\n', 'models/b.yml': 'models:\n  - name: [unclosed\n' });
    const reader = new ModelSourceReader(root, ['models/a.yml', 'models/b.yml'], 'yaml');
    expect(await reader.nextYaml('models/a.yml')).toEqual({ text: 'version: 2\nmodels:\n  - name: a\n', data: { version: 2, models: [{ name: 'a' }] } });
    const error = await reader.nextYaml('models/b.yml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).file).toBe('models/b.yml');
    expect((error as UserError).line).toBeGreaterThanOrEqual(2);
  });
});

describe('parseOnWorkers', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('keeps a small project on the main thread, and obeys STRATA_PARSE_WORKER', () => {
    vi.stubEnv('STRATA_PARSE_WORKER', '');
    expect(parseOnWorkers(100)).toBe(false);
    vi.stubEnv('STRATA_PARSE_WORKER', '1');
    expect(parseOnWorkers(100)).toBe(true);
    vi.stubEnv('STRATA_PARSE_WORKER', '0');
    expect(parseOnWorkers(100_000)).toBe(false);
  });
});
