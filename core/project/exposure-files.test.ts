import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/user-error.js';
import { parseExposureDependency } from './exposure-files.js';
import { loadTestProject } from './test-project.js';

async function load(files: Record<string, string>) {
  const all = {
    'project.yml': 'name: shop\n',
    'models/staging/stg_orders.sql': 'select * from {{source "shop" "orders"}}',
    'models/marts/fct_revenue.sql': 'select * from {{ref "stg_orders"}}',
    'models/marts/off.sql': '{{config enabled=false}}\nselect 1 as id',
    'models/sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n      - name: payments\n',
    ...files,
  };
  return loadTestProject(all, { defaultDatabase: 'db' });
}

/** One exposure file with `body` as the entry's extra lines (indented 4 spaces). */
function exposureFile(...entryLines: string[]): Record<string, string> {
  return { 'models/marts/exposures.yml': ['version: 2', 'exposures:', '  - name: weekly_kpis', ...entryLines.map((l) => `    ${l}`), ''].join('\n') };
}

const VALID = ['type: dashboard', 'owner: {name: Finance, email: finance@example.com}'];

async function userError(files: Record<string, string>): Promise<UserError> {
  try {
    await load(files);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('exposures in property files', () => {
  it('parses an exposure with its dependencies resolved from ref() and source() strings', async () => {
    const project = await load(
      exposureFile(
        'label: Weekly KPIs',
        'type: dashboard',
        'maturity: high',
        'url: https://bi.example.com/d/1',
        'description: Revenue each week',
        'owner: {name: Finance, email: finance@example.com}',
        'tags: [finance]',
        'meta: {tier: 1}',
        'config: {tags: [exec], meta: {team: fin}}',
        'depends_on:',
        "  - ref('fct_revenue')",
        '  - ref("stg_orders")',
        "  - source('shop', 'payments')",
      ),
    );
    const exposure = project.exposures.get('exposure.shop.weekly_kpis')!;
    expect(exposure).toBeDefined();
    expect(exposure.fqn).toEqual(['shop', 'marts', 'weekly_kpis']);
    expect(exposure.original_file_path).toBe('models/marts/exposures.yml');
    expect(exposure.path).toBe('marts/exposures.yml');
    expect(exposure.depends_on.nodes).toEqual(['model.shop.fct_revenue', 'model.shop.stg_orders', 'source.shop.shop.payments']);
    expect(exposure.refs.map((r) => r.name)).toEqual(['fct_revenue', 'stg_orders']);
    expect(exposure.sources).toEqual([['shop', 'payments']]);
    expect(exposure.owner).toEqual({ name: 'Finance', email: 'finance@example.com' });
    expect(exposure).toMatchObject({ type: 'dashboard', maturity: 'high', label: 'Weekly KPIs', url: 'https://bi.example.com/d/1', description: 'Revenue each week' });
    expect(exposure.tags).toEqual(['finance', 'exec']);
    expect(exposure.config).toEqual({ enabled: true, tags: ['finance', 'exec'], meta: { tier: 1, team: 'fin' } });
    // In the DAG as a child of what it depends on.
    expect(project.dag.inNeighbors(exposure.unique_id).sort()).toEqual(exposure.depends_on.nodes);
    expect(project.all.get(exposure.unique_id)).toBe(exposure);
  });

  it('an unknown ref names the file and line and suggests the nearest model', async () => {
    const error = await userError(exposureFile(...VALID, 'depends_on:', "  - ref('fct_revenue')", "  - ref('fct_revenu')"));
    expect(error.file).toBe('models/marts/exposures.yml');
    expect(error.line).toBe(8);
    expect(error.message).toContain("'fct_revenu', which does not exist");
    expect(error.hint).toBe("did you mean 'fct_revenue'?");
  });

  it('an unknown source names the line and suggests the nearest table', async () => {
    const error = await userError(exposureFile(...VALID, 'depends_on:', "  - source('shop', 'payment')"));
    expect(error.line).toBe(7);
    expect(error.message).toContain("source 'shop.payment', which is not declared");
    expect(error.hint).toBe("did you mean 'shop.payments'?");
  });

  it('a ref to a disabled model says it is disabled', async () => {
    const error = await userError(exposureFile(...VALID, 'depends_on:', "  - ref('off')"));
    expect(error.message).toContain("'off', which is disabled");
  });

  it('a depends_on entry that is not ref/source/metric is refused', async () => {
    const error = await userError(exposureFile(...VALID, 'depends_on:', '  - "{{ ref(\'fct_revenue\') }}"'));
    expect(error.line).toBe(7);
    expect(error.message).toContain('is not ref(), source() or metric()');
  });

  it('depends_on that is not a list is refused', async () => {
    const error = await userError(exposureFile(...VALID, "depends_on: ref('fct_revenue')"));
    expect(error.line).toBe(6);
    expect(error.message).toBe("'depends_on' of exposure 'weekly_kpis' must be a list");
  });

  it('metric() is refused while the project has no metrics', async () => {
    const error = await userError(exposureFile(...VALID, 'depends_on:', "  - metric('revenue')"));
    expect(error.message).toContain("metric 'revenue'");
  });

  it('a missing owner is an error at the entry', async () => {
    const error = await userError(exposureFile('type: dashboard'));
    expect(error.line).toBe(3);
    expect(error.message).toBe("exposure 'weekly_kpis' needs an 'owner' with a name or an email");
  });

  it('an owner without name or email is an error', async () => {
    const error = await userError(exposureFile('type: dashboard', 'owner: {}'));
    expect(error.line).toBe(5);
    expect(error.message).toContain('needs a name or an email');
  });

  it('an owner with an unknown key suggests the valid one', async () => {
    const error = await userError(exposureFile('type: dashboard', 'owner: {name: A, emial: a@b.c}'));
    expect(error.hint).toBe("did you mean 'email'?");
  });

  it('a bad type suggests the nearest valid one', async () => {
    const error = await userError(exposureFile('type: dashbord', 'owner: {name: A}'));
    expect(error.line).toBe(4);
    expect(error.message).toBe(`exposure 'weekly_kpis' cannot have type "dashbord"`);
    expect(error.hint).toBe("did you mean 'dashboard'?");
  });

  it('a missing type lists the valid ones', async () => {
    const error = await userError(exposureFile('owner: {name: A}'));
    expect(error.message).toContain("needs a 'type'");
    expect(error.hint).toBe('one of: dashboard, notebook, analysis, ml, application');
  });

  it('a bad maturity suggests the nearest valid one', async () => {
    const error = await userError(exposureFile(...VALID, 'maturity: hihg'));
    expect(error.line).toBe(6);
    expect(error.hint).toBe("did you mean 'high'?");
  });

  it('an unknown key is an error, as for models', async () => {
    const error = await userError(exposureFile(...VALID, 'maturty: high'));
    expect(error.line).toBe(6);
    expect(error.message).toBe("unknown key 'maturty' in exposure 'weekly_kpis'");
    expect(error.hint).toBe("did you mean 'maturity'?");
  });

  it('an unknown config key is an error', async () => {
    const error = await userError(exposureFile(...VALID, 'config: {materialized: table}'));
    expect(error.message).toBe("unknown config key 'materialized' for an exposure");
  });

  it('a name with spaces is refused with a hint to use label', async () => {
    const error = await userError({ 'models/exposures.yml': 'exposures:\n  - name: Weekly KPIs\n    type: ml\n    owner: {name: A}\n' });
    expect(error.line).toBe(2);
    expect(error.hint).toContain("label:");
  });

  it('two exposures with one name are refused, naming both places', async () => {
    const error = await userError({
      ...exposureFile(...VALID),
      'models/staging/more.yml': 'version: 2\nexposures:\n  - name: weekly_kpis\n    type: ml\n    owner: {email: a@b.c}\n',
    });
    expect(error.message).toBe("two exposures are named 'weekly_kpis'");
    expect([error.file, error.hint]).toContain('models/staging/more.yml');
    expect(`${error.file} ${error.hint}`).toContain('models/marts/exposures.yml:3');
  });

  it('a disabled exposure is kept apart and its refs are not checked', async () => {
    const project = await load(exposureFile(...VALID, 'config: {enabled: false}', 'depends_on:', "  - ref('nothing_here')"));
    expect(project.exposures.size).toBe(0);
    expect(project.disabled.get('exposure.shop.weekly_kpis')?.resource_type).toBe('exposure');
    expect(project.dag.hasNode('exposure.shop.weekly_kpis')).toBe(false);
  });
});

describe('project.yml exposures: configs', () => {
  it('+enabled, +tags and +meta apply by folder, under what the entry sets itself', async () => {
    const project = await load({
      'project.yml': 'name: shop\nexposures:\n  shop:\n    +tags: [bi]\n    marts:\n      +enabled: false\n      +meta: {tool: looker}\n',
      'models/marts/exposures.yml': ['exposures:', '  - name: off_by_folder', ...VALID.map((l) => `    ${l}`), '  - name: kept', ...VALID.map((l) => `    ${l}`), '    config: {enabled: true, tags: [exec], meta: {tool: metabase}}', ''].join('\n'),
      'models/staging/exposures.yml': ['exposures:', '  - name: elsewhere', ...VALID.map((l) => `    ${l}`), ''].join('\n'),
    });
    expect([...project.exposures.keys()].sort()).toEqual(['exposure.shop.elsewhere', 'exposure.shop.kept']);
    expect(project.disabled.has('exposure.shop.off_by_folder')).toBe(true);
    expect(project.exposures.get('exposure.shop.kept')!.config).toEqual({ enabled: true, tags: ['bi', 'exec'], meta: { tool: 'metabase' } });
    expect(project.exposures.get('exposure.shop.elsewhere')!.tags).toEqual(['bi']);
  });

  it('a config exposures cannot take is an error in project.yml', async () => {
    const error = await userError({ 'project.yml': 'name: shop\nexposures:\n  shop:\n    +materialized: table\n', ...exposureFile(...VALID) });
    expect(error.file).toBe('project.yml');
    expect(error.line).toBe(4);
    expect(error.message).toBe("unknown config key 'materialized' for an exposure");
  });
});

describe('parseExposureDependency', () => {
  it('reads the forms dbt accepts', () => {
    expect(parseExposureDependency("ref('a')")).toEqual({ kind: 'ref', ref: { name: 'a' } });
    expect(parseExposureDependency(' ref( "a" ) ')).toEqual({ kind: 'ref', ref: { name: 'a' } });
    expect(parseExposureDependency("ref('pkg', 'a')")).toEqual({ kind: 'ref', ref: { package: 'pkg', name: 'a' } });
    expect(parseExposureDependency("ref('a', v=2)")).toEqual({ kind: 'ref', ref: { name: 'a', version: 2 } });
    expect(parseExposureDependency("source('shop', \"orders\")")).toEqual({ kind: 'source', source: 'shop', table: 'orders' });
    expect(parseExposureDependency("metric('m')")).toEqual({ kind: 'metric', name: 'm', package: null });
  });

  it('refuses what is not one of them', () => {
    expect(parseExposureDependency('fct_orders')).toBeUndefined();
    expect(parseExposureDependency("ref('a\")")).toBeUndefined();
    expect(parseExposureDependency("source('shop')")).toBeUndefined();
    expect(parseExposureDependency("{{ ref('a') }}")).toBeUndefined();
  });
});
