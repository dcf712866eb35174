import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { strata, tempProjects } from './harness.js';

const project = tempProjects();
const results = (dir: string) =>
  Object.fromEntries((JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results as { unique_id: string; status: string }[]).map((r) => [r.unique_id, r.status]));

function files(expectedDoubled: number) {
  return {
    'seeds/raw.csv': 'id,amount\n1,10\n2,20\n',
    'models/doubled.sql': 'select id, amount * 2 as doubled from {{ref "raw"}}',
    'models/report.sql': 'select sum(doubled) as total from {{ref "doubled"}}',
    'models/unit.yml': `version: 2\nunit_tests:\n  - name: doubles_amounts\n    model: doubled\n    given:\n      - input: ref('raw')\n        rows:\n          - {id: 1, amount: 5}\n    expect:\n      rows:\n        - {id: 1, doubled: ${expectedDoubled}}\n`,
  };
}

describe('unit tests from the command line', () => {
  it('strata test --select test_type:unit runs them without building anything', async () => {
    const dir = project(files(10));
    const { code, output } = await strata(dir, 'test', '--select', 'test_type:unit');
    expect(code, output).toBe(0);
    expect(output).toMatch(/PASS doubles_amounts/);
    expect(results(dir)).toEqual({ 'unit_test.shop.doubled.doubles_amounts': 'pass' });
    expect(await queryProject(dir, "select count(*)::int as n from information_schema.tables where table_schema = 'main'")).toEqual([{ n: 0 }]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.shop.doubled.doubles_amounts']);
    expect(manifest.nodes['unit_test.shop.doubled.doubles_amounts']).toBeUndefined();
  });

  it('build runs a unit test before its model, and a failure skips the model and what is downstream', async () => {
    const dir = project(files(11));
    const { code, output } = await strata(dir, 'build');
    expect(code).toBe(1);
    expect(results(dir)).toMatchObject({
      'seed.shop.raw': 'success',
      'unit_test.shop.doubled.doubles_amounts': 'fail',
      'model.shop.doubled': 'skipped',
      'model.shop.report': 'skipped',
    });
    expect(output).toContain('- 1');
    expect(output).toContain('+ 1');
  });

  it('selecting a model selects its unit tests', async () => {
    const dir = project(files(10));
    const listed = await strata(dir, 'ls', '--select', 'doubled', '--resource-type', 'unit_test', '--output', 'name');
    expect(listed.output.trim()).toBe('doubles_amounts');
  });
});
