import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { strata, tempProjects } from './harness.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const project = tempProjects();

const files = {
  'seeds/raw_orders.csv': 'order_id,amount\n1,10\n2,20\n',
  'models/staging/stg_orders.sql': 'select * from {{ref "raw_orders"}}',
  'models/marts/fct_revenue.sql': 'select sum(amount) as revenue from {{ref "stg_orders"}}',
  'models/marts/other.sql': 'select 1 as id',
  'models/marts/schema.yml': 'version: 2\nmodels:\n  - name: fct_revenue\n    columns:\n      - name: revenue\n        data_tests: [not_null]\n',
  'models/marts/exposures.yml': [
    'version: 2',
    'exposures:',
    '  - name: weekly_kpis',
    '    label: Weekly KPIs',
    '    type: dashboard',
    '    maturity: high',
    '    url: https://bi.example.com/dashboards/1',
    '    owner: {name: Finance, email: finance@example.com}',
    '    depends_on:',
    "      - ref('fct_revenue')",
    '',
  ].join('\n'),
};

const lines = async (dir: string, ...args: string[]) => (await strata(dir, 'ls', ...args)).output.trim().split('\n').filter(Boolean).sort();

describe('exposures from the command line', () => {
  it('ls lists exposures by resource type and by exposure:', async () => {
    const dir = project(files);
    expect(await lines(dir, '--resource-type', 'exposure')).toEqual(['exposure:shop.weekly_kpis']);
    expect(await lines(dir, '--select', 'exposure:*', '--output', 'name')).toEqual(['weekly_kpis']);
    expect(await lines(dir, '--select', '+exposure:weekly_kpis', '--output', 'name')).toEqual(['fct_revenue', 'not_null_fct_revenue_revenue', 'raw_orders', 'stg_orders', 'weekly_kpis']);
    const json = JSON.parse((await strata(dir, 'ls', '-s', 'exposure:weekly_kpis', '--output', 'json')).output.trim());
    expect(json).toMatchObject({ name: 'weekly_kpis', resource_type: 'exposure', original_file_path: 'models/marts/exposures.yml', depends_on: { nodes: ['model.shop.fct_revenue'] } });
    const typo = await strata(dir, 'compile', '-s', 'exposure:weekly_kpi');
    expect(typo.output).toContain("The selection criterion 'exposure:weekly_kpi' does not match any enabled nodes: did you mean 'exposure:weekly_kpis'?");
    // A named selector in selectors.yml takes the method too.
    const withSelectors = project({ ...files, 'selectors.yml': 'selectors:\n  - name: kpis_upstream\n    definition:\n      method: exposure\n      value: weekly_kpis\n      parents: true\n' });
    expect(await lines(withSelectors, '--selector', 'kpis_upstream', '--resource-type', 'model', 'exposure', '--output', 'name')).toEqual(['fct_revenue', 'stg_orders', 'weekly_kpis']);
    // Without a selection, ls lists the exposure with everything else.
    expect(await lines(dir)).toContain('exposure:shop.weekly_kpis');
  });

  it('build +exposure:x builds and tests what it depends on and skips the exposure itself', async () => {
    const dir = project(files);
    const { code, output } = await strata(dir, 'build', '--select', '+exposure:weekly_kpis');
    expect(code, output).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).results.map((r: { unique_id: string }) => r.unique_id).sort();
    expect(results).toEqual(['model.shop.fct_revenue', 'model.shop.stg_orders', 'seed.shop.raw_orders', 'test.shop.not_null_fct_revenue_revenue.29fc64ab40']);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.exposures)).toEqual(['exposure.shop.weekly_kpis']);
    expect(manifest.child_map['model.shop.fct_revenue']).toContain('exposure.shop.weekly_kpis');
    // run with only the exposure selected has nothing to build, and says so without failing.
    const run = await strata(dir, 'run', '--select', 'exposure:weekly_kpis');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Nothing to do');
  });

  it('a mistake in an exposure is one line naming file and line, exit code 2', async () => {
    const dir = project({ ...files, 'models/marts/exposures.yml': files['models/marts/exposures.yml'].replace("ref('fct_revenue')", "ref('fct_revenu')") });
    const { code, output } = await strata(dir, 'parse');
    expect(code).toBe(2);
    expect(output).toContain("models/marts/exposures.yml:10: exposure 'weekly_kpis' refers to 'fct_revenu', which does not exist");
    expect(output).toContain("did you mean 'fct_revenue'?");
    expect(output).not.toContain('    at ');
  });

  it('state:modified selects an exposure whose entry changed', async () => {
    const dir = project(files);
    const parsed = await strata(dir, 'parse');
    expect(parsed.code).toBe(0);
    expect(parsed.output).toMatch(/Parsed 3 models, 1 seed, 0 sources, 1 exposure,/);
    const state = path.join(dir, 'prod');
    (await import('node:fs')).cpSync(path.join(dir, 'target'), state, { recursive: true });
    const changed = project({ ...files, 'models/marts/exposures.yml': files['models/marts/exposures.yml'].replace('maturity: high', 'maturity: low') });
    expect(await lines(changed, '-s', 'state:modified', '--state', state, '--output', 'name')).toEqual(['weekly_kpis']);
    // A changed model names the dashboards it reaches.
    const model = project({ ...files, 'models/marts/fct_revenue.sql': 'select sum(amount) * 1 as revenue from {{ref "stg_orders"}}' });
    expect(await lines(model, '-s', 'state:modified+', '--resource-type', 'exposure', '--state', state)).toEqual(['exposure:shop.weekly_kpis']);
  });

  it("the shop project's dashboards read the marts they should", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-shop-exposures-'));
    try {
      for (const entry of ['project.yml', 'models', 'seeds', 'macros', 'tests', 'snapshots']) cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
      expect(await lines(dir, '--resource-type', 'exposure')).toEqual(['exposure:shop.customer_segments_sync', 'exposure:shop.executive_revenue', 'exposure:shop.marketing_attribution', 'exposure:shop.product_inventory']);
      expect((await strata(dir, 'parse')).code).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8'));
      expect(manifest.exposures['exposure.shop.executive_revenue'].depends_on.nodes).toEqual(['model.shop.fct_daily_revenue', 'model.shop.fct_orders']);
      const upstream = await lines(dir, '-s', '+exposure:product_inventory', '--resource-type', 'model', '--output', 'name');
      expect(upstream).toEqual(expect.arrayContaining(['dim_products', 'inventory_position', 'product_performance', 'stg_partner_sftp__inventory_snapshots']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
