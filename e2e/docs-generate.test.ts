import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_PROJECT, pageOf, readSiteData } from './docs-fixture.js';
import { strata, tempProjects } from './harness.js';

const project = tempProjects();
const json = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, 'target', file), 'utf8'));

describe('strata docs generate', () => {
  it('writes catalog.json with the warehouse columns and types, and the static site', async () => {
    const dir = project(DOCS_PROJECT);
    expect((await strata(dir, 'build')).code).toBe(0);
    const result = await strata(dir, 'docs', 'generate');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Catalog: columns of 7 relations/);
    const catalog = json(dir, 'catalog.json');
    expect(catalog.metadata.dbt_schema_version).toContain('catalog/v1');
    const fct = catalog.nodes['model.shop.fct_orders'];
    expect(fct.metadata.type).toBe('BASE TABLE');
    expect(Object.values(fct.columns).map((c: any) => [c.name, c.type, c.index])).toEqual([
      ['order_id', 'INTEGER', 1],
      ['customer_name', 'VARCHAR', 2],
      ['amount', 'DOUBLE', 3],
      ['paid_amount', 'DOUBLE', 4],
      ['loaded_on', 'DATE', 5],
    ]);
    expect(catalog.nodes['model.shop.stg_orders'].metadata.type).toBe('VIEW');
    // Ephemeral models build nothing, so the warehouse has nothing to say about them.
    expect(catalog.nodes['model.shop.eph_paid']).toBeUndefined();
    for (const file of ['index.html', 'app.js', 'selection.js', 'style.css', 'vendor/sigma.min.js', 'vendor/graphology.umd.min.js', 'data/graph.js', 'data/pages-0.js', 'data/search.js']) {
      expect(existsSync(path.join(dir, 'target', 'docs', file)), file).toBe(true);
    }
  });

  it('follows columns through CTEs, joins, select *, ephemeral models and aggregates', async () => {
    const dir = project(DOCS_PROJECT);
    await strata(dir, 'build');
    expect((await strata(dir, 'docs', 'generate')).code).toBe(0);
    const site = readSiteData(dir);
    const fct = pageOf(site, 'model.shop.fct_orders');
    expect(fct.columns.customer_name.upstream).toEqual(['model.shop.stg_customers.name']);
    expect(fct.columns.customer_name.type).toBe('VARCHAR');
    expect(fct.columns.customer_name.description).toBe('Who placed the order.');
    expect(fct.columns.paid_amount.upstream?.sort()).toEqual(['model.shop.stg_orders.amount', 'model.shop.stg_orders.status']);
    expect(fct.columns.loaded_on).toMatchObject({ upstream: [], unknown: null });
    expect(fct.owner).toBe('analytics@example.com');
    expect(fct.tags).toContain('finance');
    // stg_customers is `select * exclude (email)`: its columns come from the seed's catalog entry.
    const stgCustomers = pageOf(site, 'model.shop.stg_customers');
    expect(Object.keys(stgCustomers.columns)).toEqual(['customer_id', 'name']);
    expect(stgCustomers.columns.name.upstream).toEqual(['seed.shop.raw_customers.name']);
    expect(stgCustomers.columns.name.downstream).toEqual(['model.shop.fct_orders.customer_name']);
    expect(pageOf(site, 'model.shop.stg_orders').columns.amount.upstream).toEqual(['seed.shop.raw_orders.amount_cents']);
    // DuckDB's `qualify` and `group by all` are not in the parser's grammar; lineage reads past them.
    const paid = pageOf(site, 'model.shop.fct_paid');
    expect(paid.columns.order_id.upstream).toEqual(['model.shop.eph_paid.order_id']);
    expect(paid.columns.paid_total.upstream).toEqual(['model.shop.eph_paid.amount']);
    expect(pageOf(site, 'model.shop.eph_paid').columns.amount.upstream).toEqual(['model.shop.stg_orders.amount']);
    // DuckDB's `* replace (...)` is beyond the parser: every column says so instead of guessing.
    const duck = pageOf(site, 'model.shop.duckdb_only');
    expect(duck.lineage_error).toMatch(/could not be parsed/);
    expect(Object.keys(duck.columns)).toEqual(['order_id', 'customer_id', 'amount', 'status']);
    expect(duck.columns.amount).toMatchObject({ upstream: [], unknown: expect.stringMatching(/could not be parsed/) });
  });

  it('shows the last run, its test results and timings, and source freshness', async () => {
    const dir = project({
      ...DOCS_PROJECT,
      'models/staging/_sources.yml': `version: 2
sources:
  - name: app
    schema: main
    loaded_at_field: loaded_at
    freshness: {warn_after: {count: 1, period: hour}}
    tables:
      - name: events
        description: Events from the app.
`,
      'models/staging/stg_events.sql': 'select event_id, loaded_at from {{source "app" "events"}}\n',
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    const { queryProject } = await import('./duckdb-query.js');
    await queryProject(dir, "create table main.events as select 1 as event_id, now()::timestamp - interval 3 hour as loaded_at");
    expect((await strata(dir, 'source', 'freshness')).code).toBe(0);
    expect((await strata(dir, 'build')).code).toBe(0);
    expect((await strata(dir, 'docs', 'generate')).code).toBe(0);
    const site = readSiteData(dir);
    const overview = site.graph.overview;
    expect(overview.run?.command).toBe('build');
    expect(overview.run?.statuses.pass).toBe(4);
    expect(overview.slowest.length).toBeGreaterThan(0);
    expect(overview.stale.map((s) => site.graph.id[s.node])).toEqual(['source.shop.app.events']);
    const events = pageOf(site, 'source.shop.app.events');
    expect(events.freshness?.status).toBe('warn');
    expect(events.columns.loaded_at.type).toBe('TIMESTAMP');
    expect(pageOf(site, 'model.shop.stg_events').columns.loaded_at.upstream).toEqual(['source.shop.app.events.loaded_at']);
    const stgOrders = pageOf(site, 'model.shop.stg_orders');
    expect(stgOrders.result).toMatchObject({ status: 'success' });
    expect(stgOrders.result?.execution_time).toBeGreaterThanOrEqual(0);
    expect(stgOrders.columns.order_id.tests.map((t) => site.graph.name[t]).sort()).toEqual(['not_null_stg_orders_order_id', 'unique_stg_orders_order_id']);
    const search = site.search[site.graph.id.indexOf('model.shop.fct_orders')];
    expect(search).toContain('revenue lives here');
    expect(search).toContain('customer_name');
  });

  it('works before anything is built: YAML columns, lineage by column name, no catalog entries', async () => {
    const dir = project(DOCS_PROJECT);
    const result = await strata(dir, 'docs', 'generate');
    expect(result.code, result.output).toBe(0);
    expect(json(dir, 'catalog.json').nodes).toEqual({});
    const site = readSiteData(dir);
    const fct = pageOf(site, 'model.shop.fct_orders');
    expect(fct.columns.customer_name).toMatchObject({ type: null, upstream: ['model.shop.stg_customers.name'] });
    // With no catalog, `select *` cannot be expanded: said, not guessed.
    const stgCustomers = pageOf(site, 'model.shop.stg_customers');
    expect(Object.keys(stgCustomers.columns)).toEqual([]);
    expect(site.graph.overview.run).toBeNull();
  });

  it('leaves a broken run_results.json out with a warning', async () => {
    const dir = project(DOCS_PROJECT);
    await strata(dir, 'seed');
    writeFileSync(path.join(dir, 'target', 'run_results.json'), '{ not json');
    const result = await strata(dir, 'docs', 'generate', '--empty-catalog');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/run_results\.json is not valid JSON/);
  });

  it('docs serve without a generated site says what to run, with exit code 2', async () => {
    const dir = project(DOCS_PROJECT);
    const result = await strata(dir, 'docs', 'serve', '--port', '0');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/no docs site in .*docs.*strata docs generate/s);
  });
});
