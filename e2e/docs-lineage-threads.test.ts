import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pageOf, readSiteData } from './docs-fixture.js';
import { projectYml, strata, tempProjects } from './harness.js';

const bin = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'dist/cli/bin.js');
const project = tempProjects();
const MODELS = 300;

function chainProject(): Record<string, string> {
  const files: Record<string, string> = { 'project.yml': projectYml() };
  files['models/m_000.sql'] = 'select 1 as id, 2 as amount\n';
  for (let i = 1; i < MODELS; i++) {
    const parent = `m_${String(i - 1).padStart(3, '0')}`;
    files[`models/m_${String(i).padStart(3, '0')}.sql`] = `with p as (select id, amount from {{ref "${parent}"}})\nselect id, amount + ${i} as amount, id * 2 as twice from p\n`;
  }
  return files;
}

describe('docs generate on worker threads', () => {
  it('the built binary parses on several threads and finds the same lineage as one thread', async () => {
    if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
    const dir = project(chainProject());
    // One thread, in this process (the TypeScript sources have no compiled worker to start).
    expect((await strata(dir, 'docs', 'generate', '--empty-catalog', '--threads', '1')).code).toBe(0);
    const single = readSiteData(dir);
    renameSync(path.join(dir, 'target'), path.join(dir, 'target-single'));
    const run = spawnSync(process.execPath, [bin, 'docs', 'generate', '--empty-catalog', '--threads', '4', '--project-dir', dir], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const threads = Math.min(4, os.availableParallelism());
    expect(run.stdout).toContain(`on ${threads} thread${threads === 1 ? '' : 's'}`);
    const parallel = readSiteData(dir);
    expect(parallel.pages.map((p) => p.columns)).toEqual(single.pages.map((p) => p.columns));
    const last = pageOf(parallel, `model.shop.m_${MODELS - 1}`);
    expect(last.columns.amount.upstream).toEqual([`model.shop.m_${MODELS - 2}.amount`]);
    expect(last.columns.twice.upstream).toEqual([`model.shop.m_${MODELS - 2}.id`]);
  });
});
