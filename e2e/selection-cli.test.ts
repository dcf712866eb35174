import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeProject, projectYml, removeProject, strata } from './harness.js';

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = makeProject({ 'project.yml': projectYml('models:\n  shop:\n    marts:\n      +tags: [marts]\n      +materialized: table\n'), ...files });
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  while (dirs.length) removeProject(dirs.pop()!);
});

const files = {
  'seeds/raw.csv': 'id\n1\n',
  'models/staging/stg.sql': 'select * from {{ref "raw"}}',
  'models/marts/fct.sql': 'select * from {{ref "stg"}}',
  'models/marts/dim.sql': 'select * from {{ref "stg"}}',
  'models/other.sql': 'select 1 as id',
};
/** ls keeps stdout for its result: its warnings and errors go to stderr, caught here. */
async function lsWithStderr(dir: string, ...args: string[]): Promise<{ code: number; output: string; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { ...(await strata(dir, 'ls', ...args)), stderr };
  } finally {
    spy.mockRestore();
  }
}
const names = async (dir: string, ...args: string[]) => (await strata(dir, 'ls', '--output', 'name', ...args)).output.trim().split('\n').filter(Boolean).sort();

describe('selection from the command line', () => {
  it('graph operators, methods, union, intersection and --exclude', async () => {
    const dir = project(files);
    expect(await names(dir, '-s', '+fct')).toEqual(['fct', 'raw', 'stg']);
    expect(await names(dir, '-s', 'stg+', '--exclude', 'dim')).toEqual(['fct', 'stg']);
    expect(await names(dir, '-s', 'tag:marts,config.materialized:table')).toEqual(['dim', 'fct']);
    expect(await names(dir, '-s', 'path:models/staging', 'resource_type:seed')).toEqual(['raw', 'stg']);
    expect(await names(dir, '-s', '1+fct')).toEqual(['fct', 'stg']);
    expect(await names(dir, '-s', '@stg')).toEqual(['dim', 'fct', 'raw', 'stg']);
  });

  it('ls lists every resource type by default, unit tests too; --resource-type takes dbt\'s names, default and all, and refuses a misspelled one', async () => {
    const dir = project({
      ...files,
      'models/marts/marts.yml': "version: 2\nmodels:\n  - name: fct\n    columns:\n      - name: id\n        data_tests: [not_null]\nunit_tests:\n  - name: fct_keeps_ids\n    model: fct\n    given:\n      - input: ref('stg')\n        rows:\n          - {id: 1}\n    expect:\n      rows:\n        - {id: 1}\n",
    });
    const everything = ['dim', 'fct', 'fct_keeps_ids', 'not_null_fct_id', 'other', 'raw', 'stg'];
    expect(await names(dir)).toEqual(everything);
    expect(await names(dir, '-s', 'test_type:unit')).toEqual(['fct_keeps_ids']);
    expect(await names(dir, '--resource-type', 'all')).toEqual(everything);
    expect(await names(dir, '--resource-type', 'default')).toEqual(everything);
    expect(await names(dir, '--resource-type', 'unit_test', 'seed')).toEqual(['fct_keeps_ids', 'raw']);
    expect(await names(dir, '--resource-type', 'test,unit_test')).toEqual(['fct_keeps_ids', 'not_null_fct_id']);
    // dbt's types that Strata has no resources of match nothing, and are no mistake.
    expect(await names(dir, '--resource-type', 'metric')).toEqual([]);
    const typo = await lsWithStderr(dir, '--resource-type', 'modle');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--resource-type: unknown resource type 'modle'");
    expect(typo.stderr).toContain("did you mean 'model'?");
  });

  it('ls --output json --output-keys prints only those keys of each node, in the manifest\'s order, and warns about a key no node has', async () => {
    const dir = project(files);
    const { code, output, stderr } = await lsWithStderr(dir, '-s', 'fct', '--output', 'json', '--output-keys', 'name', 'raw_code,depends_on', 'naem');
    expect(code, output).toBe(0);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({ name: 'fct', raw_code: 'select * from {{ref "stg"}}', depends_on: { nodes: ['model.shop.stg'], macros: [] } });
    expect(Object.keys(JSON.parse(lines[0]))).toEqual(['name', 'raw_code', 'depends_on']);
    expect(stderr).toContain("--output-keys: no listed node has a key 'naem': did you mean 'name'?");
    const withoutJson = await lsWithStderr(dir, '--output-keys', 'name');
    expect(withoutJson.code).toBe(2);
    expect(withoutJson.stderr).toContain('add --output json');
  });

  it('selectors.yml defines named selectors, and --selector uses one', async () => {
    const dir = project({
      ...files,
      'selectors.yml': 'selectors:\n  - name: nightly\n    definition:\n      union:\n        - method: tag\n          value: marts\n        - exclude:\n            - dim\n',
    });
    expect(await names(dir, '--selector', 'nightly')).toEqual(['fct']);
    expect((await strata(dir, 'build')).code).toBe(0);
    const { code, output } = await strata(dir, 'run', '--selector', 'nightly');
    expect(code, output).toBe(0);
    expect(output).toContain('Done. PASS=1');
  });

  it('a criterion that matches nothing is warned about with the likely name', async () => {
    const dir = project(files);
    const { code, output } = await strata(dir, 'compile', '-s', 'fct', 'stgg+');
    expect(code).toBe(0);
    expect(output).toContain("The selection criterion 'stgg+' does not match any enabled nodes: did you mean 'stg'?");
    expect(output).not.toContain("criterion 'fct'");
  });

  it('run writes the SQL it executed under target/run/', async () => {
    const dir = project(files);
    expect((await strata(dir, 'build')).code).toBe(0);
    const run = readFileSync(path.join(dir, 'target/run/shop/models/marts/fct.sql'), 'utf8');
    expect(run).toContain('create table');
    expect(run).toContain('rename to');
    expect(existsSync(path.join(dir, 'target/run/shop/seeds/raw.sql'))).toBe(true);
  });
});
