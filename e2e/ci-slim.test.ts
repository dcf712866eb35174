import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { removeProject, strata, writeFiles } from './harness.js';
import { afterEach } from 'vitest';

// The CI recipe of docs/ci-slim.md, end to end: production builds everything; a pull request
// changes a macro and a model, and CI builds only what changed and what depends on it, reading
// every unchanged parent from production.

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeProject(dirs.pop()!);
});

const profiles = (prod: string, ci: string) => `shop:
  target: prod
  outputs:
    prod:
      type: duckdb
      ${prod}
    ci:
      type: duckdb
      ${ci}
`;

/** Production's project: seeds, two staging views, four marts tables and tests. */
function shopFiles(profilesYml: string): Record<string, string> {
  return {
    'project.yml': 'name: shop\nversion: "1.0"\nprofile: shop\nvars:\n  start_date: "2024-01-01"\nmodels:\n  shop:\n    staging:\n      +materialized: view\n      +schema: staging\n    marts:\n      +materialized: table\n',
    'profiles.yml': profilesYml,
    'seeds/raw_orders.csv': 'order_id,customer_id,amount_cents,ordered_at\n1,1,1050,2024-01-05\n2,1,2000,2024-02-01\n3,2,499,2024-03-01\n4,3,10049,2023-12-24\n',
    'seeds/raw_customers.csv': 'customer_id,name\n1,Ada\n2,Grace\n3,Linus\n',
    'macros/cents_to_dollars.sql': '({{column}} / 100.0)',
    'models/staging/stg_orders.sql': 'select order_id, customer_id, {{> cents_to_dollars column="amount_cents"}} as amount, ordered_at from {{ref "raw_orders"}}',
    'models/staging/stg_customers.sql': 'select customer_id, name from {{ref "raw_customers"}}',
    'models/marts/fct_orders.sql': 'select o.order_id, o.customer_id, c.name, o.amount\nfrom {{ref "stg_orders"}} o join {{ref "stg_customers"}} c using (customer_id)\nwhere o.ordered_at >= \'{{var "start_date"}}\'',
    'models/marts/customer_names.sql': 'select customer_id, upper(name) as name from {{ref "stg_customers"}}',
    'models/marts/dim_customers.sql': 'select c.customer_id, c.name, coalesce(sum(f.amount), 0) as revenue\nfrom {{ref "stg_customers"}} c left join {{ref "fct_orders"}} f using (customer_id)\ngroup by 1, 2',
    'models/marts/big_customers.sql': 'select customer_id, name from {{ref "dim_customers"}} where revenue > 20',
    'models/marts/_marts.yml':
      'version: 2\nmodels:\n  - name: fct_orders\n    columns:\n      - name: order_id\n        data_tests: [unique, not_null]\n      - name: customer_id\n        data_tests:\n          - relationships:\n              arguments: {to: ref(\'stg_customers\'), field: customer_id}\n  - name: customer_names\n    columns:\n      - name: customer_id\n        data_tests: [not_null]\n',
  };
}

/** A pull request: the macro rounds to whole dollars, dim_customers counts orders, customer_names only gains a comment. */
const pullRequest: Record<string, string> = {
  'macros/cents_to_dollars.sql': 'round({{column}} / 100.0, 0)',
  'models/marts/dim_customers.sql':
    'select c.customer_id, c.name, coalesce(sum(f.amount), 0) as revenue, count(f.order_id) as order_count\nfrom {{ref "stg_customers"}} c left join {{ref "fct_orders"}} f using (customer_id)\ngroup by 1, 2',
  'models/marts/customer_names.sql': '-- Names in capitals, for the mailing labels.\nselect customer_id,\n       upper(name) as name\nfrom {{ref "stg_customers"}}\n',
};

/** Builds production in <tmp>/prod, then copies the project to <tmp>/ci with production's artifacts in prod-artifacts/. */
async function productionAndPullRequest(profilesYml: string): Promise<{ prod: string; ci: string }> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'strata-ci-slim-'));
  dirs.push(parent);
  const prod = path.join(parent, 'prod');
  writeFiles(prod, shopFiles(profilesYml));
  const built = await strata(prod, 'build', '--target', 'prod');
  expect(built.code, built.output).toBe(0);
  const ci = path.join(parent, 'ci');
  cpSync(prod, ci, { recursive: true, filter: (src) => !src.startsWith(path.join(prod, 'target')) && !src.endsWith('.duckdb') && !src.endsWith('.wal') });
  mkdirSync(path.join(ci, 'prod-artifacts'));
  for (const file of ['manifest.json', 'run_results.json']) cpSync(path.join(prod, 'target', file), path.join(ci, 'prod-artifacts', file));
  writeFiles(ci, pullRequest);
  return { prod, ci };
}

/** Rows of a query on a DuckDB file with production's file attached read-only (views in CI read it). */
async function query(file: string, sql: string, attach?: { file: string; as: string }): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    if (attach) await connection.run(`attach '${attach.file}' as ${attach.as} (read_only)`);
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const runResults = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8'));

describe('CI slim runs on DuckDB', () => {
  it('builds only the changed models and their children into the PR schema, reading unchanged parents from production', async () => {
    const { prod, ci } = await productionAndPullRequest(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));

    const slim = await strata(ci, 'build', '--select', 'state:modified+', '--defer', '--state', path.join(ci, 'prod-artifacts'), '--target', 'ci');
    expect(slim.code, slim.output).toBe(0);
    expect(slim.output).toMatch(/Attached the state's DuckDB file .*prod\.duckdb read-only as 'prod'/);
    expect(slim.output).toMatch(/Deferred to the state in .*prod-artifacts: refs to raw_orders, stg_customers read its relations/);

    const ran = runResults(ci).results.map((r: { unique_id: string }) => r.unique_id).sort();
    const models = ran.filter((id: string) => id.startsWith('model.'));
    // stg_orders calls the changed macro, dim_customers changed; fct_orders and big_customers are their children.
    expect(models).toEqual(['model.shop.big_customers', 'model.shop.dim_customers', 'model.shop.fct_orders', 'model.shop.stg_orders']);
    // Seeds, stg_customers and customer_names (a comment and whitespace only) were not built.
    expect(ran.some((id: string) => id.startsWith('seed.'))).toBe(false);
    expect(ran).not.toContain('model.shop.customer_names');
    expect(ran.filter((id: string) => id.startsWith('test.')).length).toBe(3);
    expect(runResults(ci).results.every((r: { status: string }) => r.status === 'success' || r.status === 'pass')).toBe(true);

    // Unchanged parents are read from production: compiled SQL names production's relations.
    const compiled = (model: string) => readFileSync(path.join(ci, 'target/compiled/shop/models', model), 'utf8');
    expect(compiled('marts/fct_orders.sql')).toContain('"prod"."main_staging"."stg_customers"');
    expect(compiled('marts/fct_orders.sql')).toContain('"ci"."pr_42_staging"."stg_orders"');
    expect(compiled('staging/stg_orders.sql')).toContain('"prod"."main"."raw_orders"');
    expect(compiled('marts/dim_customers.sql')).toContain('"ci"."pr_42"."fct_orders"');

    // Only the built relations exist in the PR schemas.
    const relations = await query(path.join(ci, 'ci.duckdb'), "select table_schema || '.' || table_name as r from information_schema.tables where table_catalog = 'ci' order by 1");
    expect(relations.map((r) => r.r)).toEqual(['pr_42.big_customers', 'pr_42.dim_customers', 'pr_42.fct_orders', 'pr_42_staging.stg_orders']);

    // The results are those of the new code over production's data.
    const prodFile = { file: path.join(prod, 'prod.duckdb'), as: 'prod' };
    expect(await query(path.join(ci, 'ci.duckdb'), 'select order_id, amount::double as amount from pr_42.fct_orders order by 1', prodFile)).toEqual([
      { order_id: 1, amount: 11 },
      { order_id: 2, amount: 20 },
      { order_id: 3, amount: 5 },
    ]);
    expect(await query(path.join(ci, 'ci.duckdb'), 'select customer_id, name, revenue::double as revenue, order_count::int as order_count from pr_42.dim_customers order by 1', prodFile)).toEqual([
      { customer_id: 1, name: 'Ada', revenue: 31, order_count: 2 },
      { customer_id: 2, name: 'Grace', revenue: 5, order_count: 1 },
      { customer_id: 3, name: 'Linus', revenue: 0, order_count: 0 },
    ]);
    expect(await query(path.join(ci, 'ci.duckdb'), 'select name from pr_42.big_customers', prodFile)).toEqual([{ name: 'Ada' }]);
    // Production is untouched: its amounts are still in cents / 100.
    expect(await queryProject(prod, 'select amount::double as amount from main.fct_orders where order_id = 1', 'prod.duckdb')).toEqual([{ amount: 10.5 }]);
  });

  it('ls explains why each node is selected', async () => {
    const { ci } = await productionAndPullRequest(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));
    const listed = await strata(ci, 'ls', '--select', 'state:modified', '--state', 'prod-artifacts', '--output', 'json', '--resource-type', 'model', '--target', 'ci');
    expect(listed.code, listed.output).toBe(0);
    const nodes = listed.output.trim().split('\n').map((line) => JSON.parse(line));
    expect(nodes.map((n) => n.name)).toEqual(['dim_customers', 'stg_orders']);
    const byName = Object.fromEntries(nodes.map((n) => [n.name, n]));
    expect(byName.stg_orders.selected_because).toEqual(["state:modified: modified: macros (macro 'cents_to_dollars' changed)"]);
    expect(byName.stg_orders.state).toEqual({ status: 'modified', changes: [{ part: 'macros', detail: "macro 'cents_to_dollars' changed" }] });
    expect(byName.dim_customers.selected_because[0]).toMatch(/^state:modified: modified: body/);

    const children = await strata(ci, 'ls', '--select', 'state:modified+', '--state', 'prod-artifacts', '--output', 'json', '--resource-type', 'model', '--target', 'ci');
    const fct = children.output.trim().split('\n').map((line) => JSON.parse(line)).find((n) => n.name === 'fct_orders');
    expect(fct.selected_because).toEqual(['state:modified+: downstream of stg_orders']);
    expect(fct.state.status).toBe('unmodified');
  });

  it('production in the same DuckDB file under another schema needs no attach', async () => {
    const { ci, prod } = await productionAndPullRequest(profiles('path: ../shared.duckdb\n      schema: prod', 'path: ../shared.duckdb\n      schema: pr_7'));
    // Both copies point at one file beside them: the CI copy lives next to production's.
    expect(path.dirname(ci)).toBe(path.dirname(prod));
    const slim = await strata(ci, 'build', '--select', 'state:modified+', '--defer', '--state', 'prod-artifacts', '--target', 'ci');
    expect(slim.code, slim.output).toBe(0);
    expect(slim.output).not.toMatch(/Attached/);
    const shared = path.join(path.dirname(ci), 'shared.duckdb');
    expect(readFileSync(path.join(ci, 'target/compiled/shop/models/marts/fct_orders.sql'), 'utf8')).toContain('"shared"."prod_staging"."stg_customers"');
    expect(await query(shared, 'select count(*)::int as n from pr_7.fct_orders')).toEqual([{ n: 3 }]);
    expect(await query(shared, "select count(*)::int as n from information_schema.tables where table_schema like 'pr_7%'")).toEqual([{ n: 4 }]);
  });

  it('a changed var modifies the models that read it', async () => {
    const { ci } = await productionAndPullRequest(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));
    // Undo the pull request's code changes: only the var differs from production.
    const original = shopFiles(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));
    writeFiles(ci, { 'macros/cents_to_dollars.sql': original['macros/cents_to_dollars.sql'], 'models/marts/dim_customers.sql': original['models/marts/dim_customers.sql'] });
    const listed = await strata(ci, 'ls', '--select', 'state:modified', '--state', 'prod-artifacts', '--vars', '{start_date: "2024-02-01"}', '--output', 'name', '--resource-type', 'model', '--target', 'ci');
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output.trim()).toBe('fct_orders');
    const unchanged = await strata(ci, 'ls', '--select', 'state:modified', '--state', 'prod-artifacts', '--output', 'name', '--resource-type', 'model', '--target', 'ci');
    expect(unchanged.code).toBe(0);
    expect(unchanged.output.trim()).toBe('');
  });

  it('clone creates views of the production relations', async () => {
    const { ci, prod } = await productionAndPullRequest(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));
    const cloned = await strata(ci, 'clone', '--select', 'stg_customers', 'customer_names', '--state', 'prod-artifacts', '--target', 'ci');
    expect(cloned.code, cloned.output).toBe(0);
    expect(cloned.output).toMatch(/duckdb cannot clone tables without copying them: creating views/);
    expect(cloned.output).toMatch(/view of "prod"\."main"\."customer_names"/);
    const prodFile = { file: path.join(prod, 'prod.duckdb'), as: 'prod' };
    expect(await query(path.join(ci, 'ci.duckdb'), "select table_schema, table_name, table_type from information_schema.tables where table_catalog = 'ci' order by 1, 2", prodFile)).toEqual([
      { table_schema: 'pr_42', table_name: 'customer_names', table_type: 'VIEW' },
      { table_schema: 'pr_42_staging', table_name: 'stg_customers', table_type: 'VIEW' },
    ]);
    expect(await query(path.join(ci, 'ci.duckdb'), 'select name from pr_42.customer_names order by 1', prodFile)).toEqual([{ name: 'ADA' }, { name: 'GRACE' }, { name: 'LINUS' }]);
    const again = await strata(ci, 'clone', '--select', 'customer_names', '--state', 'prod-artifacts', '--target', 'ci');
    expect(again.output).toMatch(/exists, kept/);
  });

  it('retry reruns only what errored or was skipped, with the same flags', async () => {
    const { ci } = await productionAndPullRequest(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));
    writeFileSync(path.join(ci, 'models/staging/stg_orders.sql'), 'select order_id, customer_id, no_such_column as amount, ordered_at from {{ref "raw_orders"}}');
    const failed = await strata(ci, 'build', '--select', 'state:modified+', '--defer', '--state', 'prod-artifacts', '--target', 'ci');
    expect(failed.code).toBe(1);
    const first = runResults(ci).results as { unique_id: string; status: string }[];
    const toRetry = first.filter((r) => r.status === 'error' || r.status === 'skipped').map((r) => r.unique_id).sort();
    expect(toRetry).toContain('model.shop.stg_orders');
    expect(toRetry).toContain('model.shop.fct_orders');
    expect(first.some((r) => r.status === 'success')).toBe(false);

    writeFiles(ci, { 'models/staging/stg_orders.sql': shopFiles('')['models/staging/stg_orders.sql'] });
    const retried = await strata(ci, 'retry');
    expect(retried.code, retried.output).toBe(0);
    expect(retried.output).toContain(`Retrying ${toRetry.length} nodes of the last \`strata build\``);
    const second = runResults(ci);
    expect(second.results.map((r: { unique_id: string }) => r.unique_id).sort()).toEqual(toRetry);
    // Same flags: deferred to production again, into the CI target.
    expect(second.args).toMatchObject({ which: 'build', defer: true, target: 'ci', select: ['state:modified+'] });
    expect(readFileSync(path.join(ci, 'target/compiled/shop/models/marts/fct_orders.sql'), 'utf8')).toContain('"prod"."main_staging"."stg_customers"');
    const nothing = await strata(ci, 'retry');
    expect(nothing.output).toContain('Nothing to retry');
  });

  it('state selection without --state, or --defer without --state, is a clear mistake', async () => {
    const { ci } = await productionAndPullRequest(profiles('path: prod.duckdb\n      schema: main', 'path: ci.duckdb\n      schema: pr_42'));
    // (ls prints its errors on stderr, so the messages are checked on build.)
    const noState = await strata(ci, 'build', '--select', 'state:modified', '--target', 'ci');
    expect(noState.code).toBe(2);
    expect(noState.output).toMatch(/'state:modified' compares with a previous run, and no --state was given/);
    const noDefer = await strata(ci, 'build', '--defer', '--target', 'ci');
    expect(noDefer.code).toBe(2);
    expect(noDefer.output).toMatch(/--defer needs --state DIR/);
    const badValue = await strata(ci, 'build', '--select', 'state:changed', '--state', 'prod-artifacts');
    expect(badValue.code).toBe(2);
    expect(badValue.output).toMatch(/'changed' is not a state/);
    const missing = await strata(ci, 'build', '--select', 'state:modified', '--state', 'nowhere');
    expect(missing.output).toMatch(/--state nowhere: no such folder/);
  });
});
