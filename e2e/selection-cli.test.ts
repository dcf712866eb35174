import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
