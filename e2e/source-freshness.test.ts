import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { strata, tempProjects } from './harness.js';

const project = tempProjects();
const sourcesJson = (dir: string, file = 'target/sources.json') => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const byId = (artifact: { results: { unique_id: string }[] }) => new Map(artifact.results.map((r) => [r.unique_id, r as Record<string, any>]));

const HOUR = 3600;
const DAY = 86400;
/** A naive timestamp literal in UTC, `seconds` before now. */
const utcAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace('T', ' ').replace('Z', '');

/** Creates the source tables in the project's DuckDB file before the CLI opens it. */
async function loadTables(dir: string, statements: string[]): Promise<void> {
  mkdirSync(path.join(dir, 'target'), { recursive: true });
  for (const sql of statements) await queryProject(dir, sql);
}

const table = (name: string, ...agesInSeconds: number[]) =>
  `create table raw.${name} as select * from (values ${agesInSeconds.map((s, i) => `(${i + 1}, timestamp '${utcAgo(s)}')`).join(', ')}) t(id, loaded_at)`;

const SHOP_YML = `version: 2
sources:
  - name: shop
    schema: raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: fresh
      - name: late
      - name: stale
      - name: customers
        freshness: null
  - name: crm
    schema: raw
    tables:
      - name: accounts
`;

async function shopProject(files: Record<string, string> = {}): Promise<string> {
  const dir = project({ 'models/sources.yml': SHOP_YML, ...files });
  await loadTables(dir, [
    'create schema raw',
    table('fresh', 3 * DAY, 60),
    table('late', 5 * DAY, 2 * HOUR),
    table('stale', 3 * DAY),
    table('customers', 3 * DAY),
    table('accounts', 3 * DAY),
  ]);
  return dir;
}

describe('source freshness', () => {
  it('reports pass, warn and error by age, skips sources without criteria, and exits 1 on an error', async () => {
    const dir = await shopProject();
    const before = Date.now();
    const { code, output } = await strata(dir, 'source', 'freshness');
    expect(code, output).toBe(1);
    expect(output).toMatch(/1 of 3 START freshness of shop\.fresh \.+ \[RUN\]/);
    expect(output).toMatch(/1 of 3 PASS freshness of shop\.fresh \(age 1 minute \d+ seconds?\) \.+ \[PASS in \d+\.\d\ds\]/);
    expect(output).toMatch(/2 of 3 WARN freshness of shop\.late \(age (1 hour 59|2 hours 0) minutes?\) \.+ \[WARN in/);
    expect(output).toMatch(/3 of 3 ERROR STALE freshness of shop\.stale \(age (2 days 23|3 days 0) hours?\) \.+ \[ERROR STALE in/);
    expect(output).toContain('Not checked, no freshness criteria or no loaded_at_field: crm.accounts, shop.customers');
    expect(output).toContain('Source shop.stale is stale (models/sources.yml)');
    expect(output).toContain('Done. PASS=1 WARN=1 ERROR=1 SKIP=0 TOTAL=3');

    const artifact = sourcesJson(dir);
    expect(artifact.metadata).toMatchObject({ dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', strata_schema_version: 1 });
    expect(artifact.elapsed_time).toBeGreaterThan(0);
    const results = byId(artifact);
    expect([...results.keys()].sort()).toEqual(['source.shop.shop.fresh', 'source.shop.shop.late', 'source.shop.shop.stale']);
    expect(results.get('source.shop.shop.fresh')!.status).toBe('pass');
    expect(results.get('source.shop.shop.late')!.status).toBe('warn');
    expect(results.get('source.shop.shop.stale')!.status).toBe('error');

    const late = results.get('source.shop.shop.late')!;
    expect(Object.keys(late)).toEqual(['unique_id', 'max_loaded_at', 'snapshotted_at', 'max_loaded_at_time_ago_in_s', 'status', 'criteria', 'adapter_response', 'timing', 'thread_id', 'execution_time']);
    expect(late.criteria).toEqual({ warn_after: { count: 1, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null });
    expect(late.max_loaded_at_time_ago_in_s).toBeGreaterThan(2 * HOUR - 5);
    expect(late.max_loaded_at_time_ago_in_s).toBeLessThan(2 * HOUR + 120);
    expect(late.max_loaded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const snapshotted = Date.parse(late.snapshotted_at);
    expect(snapshotted).toBeGreaterThanOrEqual(before - 1000);
    expect(snapshotted).toBeLessThanOrEqual(Date.now() + 1000);
    expect((snapshotted - Date.parse(late.max_loaded_at)) / 1000).toBeCloseTo(late.max_loaded_at_time_ago_in_s, 2);
    expect(late.thread_id).toMatch(/^Thread-\d+$/);
    expect(late.timing.map((t: { name: string }) => t.name)).toEqual(['compile', 'execute']);
    expect(results.get('source.shop.shop.stale')!.max_loaded_at_time_ago_in_s).toBeGreaterThan(3 * DAY - 5);
  });

  it("takes criteria and loaded_at_field from project.yml's sources: configs, under the YAML's own", async () => {
    // crm.accounts has no criteria in its YAML: the project's make it checked (3 days old: an error);
    // shop's own criteria still win over the project's looser ones, and customers' freshness: null stays off.
    const dir = await shopProject({
      'project.yml': 'name: shop\nversion: "1.0"\nsources:\n  shop:\n    +loaded_at_field: loaded_at\n    +freshness: {warn_after: {count: 30, period: day}}\n    crm:\n      +freshness: {error_after: {count: 2, period: day}}\n',
    });
    const { code, output } = await strata(dir, 'source', 'freshness');
    expect(code, output).toBe(1);
    expect(output).toContain('Not checked, no freshness criteria or no loaded_at_field: shop.customers');
    const results = byId(sourcesJson(dir));
    expect(results.get('source.shop.crm.accounts')!).toMatchObject({ status: 'error', criteria: { warn_after: { count: 30, period: 'day' }, error_after: { count: 2, period: 'day' } } });
    expect(results.get('source.shop.shop.late')!).toMatchObject({ status: 'warn', criteria: { warn_after: { count: 1, period: 'hour' }, error_after: { count: 1, period: 'day' } } });
  });

  it('exits 0 when the worst is a warning, and follows --select and --exclude', async () => {
    const dir = await shopProject();
    const selected = await strata(dir, 'source', 'freshness', '-s', 'source:shop.fresh', 'source:shop.late', '--threads', '1');
    expect(selected.code, selected.output).toBe(0);
    expect(selected.output).toContain('Concurrency: 1 threads');
    expect(selected.output).toContain('Done. PASS=1 WARN=1 ERROR=0 SKIP=0 TOTAL=2');
    const results = byId(sourcesJson(dir));
    expect([...results.keys()].sort()).toEqual(['source.shop.shop.fresh', 'source.shop.shop.late']);
    expect([...results.values()].map((r) => r.thread_id)).toEqual(['Thread-1', 'Thread-1']);

    const excluded = await strata(dir, 'source', 'freshness', '--select', 'source:shop', '--exclude', 'source:shop.fresh', 'source:shop.late');
    expect(excluded.code, excluded.output).toBe(1);
    expect([...byId(sourcesJson(dir)).keys()]).toEqual(['source.shop.shop.stale']);
  });

  it('table settings override the source: thresholds, loaded_at_field, and freshness on a source without any', async () => {
    const dir = project({
      'models/sources.yml': `version: 2
sources:
  - name: shop
    schema: raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: late_strict
        identifier: late
        freshness:
          error_after: {count: 90, period: minute}
      - name: late_no_warn
        identifier: late
        config:
          freshness:
            warn_after: null
      - name: by_other_column
        identifier: two_columns
        loaded_at_field: updated_at
  - name: crm
    schema: raw
    tables:
      - name: accounts
        loaded_at_field: loaded_at
        freshness:
          warn_after: {count: 1, period: day}
`,
    });
    await loadTables(dir, [
      'create schema raw',
      table('late', 2 * HOUR),
      table('accounts', 2 * DAY),
      `create table raw.two_columns as select timestamp '${utcAgo(3 * DAY)}' as loaded_at, timestamp '${utcAgo(60)}' as updated_at`,
    ]);
    const { code, output } = await strata(dir, 'source', 'freshness');
    expect(code, output).toBe(1);
    const results = byId(sourcesJson(dir));
    expect(results.get('source.shop.shop.late_strict')).toMatchObject({
      status: 'error',
      criteria: { warn_after: { count: 1, period: 'hour' }, error_after: { count: 90, period: 'minute' } },
    });
    expect(results.get('source.shop.shop.late_no_warn')).toMatchObject({
      status: 'pass',
      criteria: { warn_after: { count: null, period: null }, error_after: { count: 1, period: 'day' } },
    });
    expect(results.get('source.shop.shop.by_other_column')!.status).toBe('pass');
    expect(results.get('source.shop.crm.accounts')).toMatchObject({ status: 'warn', criteria: { warn_after: { count: 1, period: 'day' }, error_after: { count: null, period: null } } });
  });

  it('a filter limits the rows the freshness query looks at', async () => {
    const dir = project({
      'models/sources.yml': `version: 2
sources:
  - name: shop
    schema: raw
    loaded_at_field: loaded_at
    freshness:
      error_after: {count: 1, period: day}
    tables:
      - name: events
      - name: real_events
        identifier: events
        freshness:
          filter: not is_test
`,
    });
    await loadTables(dir, [
      'create schema raw',
      `create table raw.events as select * from (values (timestamp '${utcAgo(60)}', true), (timestamp '${utcAgo(3 * DAY)}', false)) t(loaded_at, is_test)`,
    ]);
    const { code, output } = await strata(dir, 'source', 'freshness');
    expect(code, output).toBe(1);
    const results = byId(sourcesJson(dir));
    expect(results.get('source.shop.shop.events')!.status).toBe('pass');
    expect(results.get('source.shop.shop.real_events')).toMatchObject({ status: 'error', criteria: { filter: 'not is_test', error_after: { count: 1, period: 'day' } } });
    expect(results.get('source.shop.shop.real_events')!.max_loaded_at_time_ago_in_s).toBeGreaterThan(3 * DAY - 5);
  });

  it('a missing table, a missing column, an empty table and a broken filter are runtime errors that say what is wrong', async () => {
    const dir = project({
      'models/sources.yml': `version: 2
sources:
  - name: shop
    schema: raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
    tables:
      - name: fresh
      - name: nope
      - name: no_column
        loaded_at_field: synced_at
      - name: empty
      - name: bad_filter
        identifier: fresh
        freshness:
          filter: no_such_flag = 1
`,
    });
    await loadTables(dir, ['create schema raw', table('fresh', 60), table('no_column', 60), 'create table raw.empty (id integer, loaded_at timestamp)']);
    const { code, output } = await strata(dir, 'source', 'freshness');
    expect(code, output).toBe(1);
    expect(output).toMatch(/ERROR freshness of shop\.nope \.+ \[ERROR in/);
    expect(output).toContain('table "shop"."raw"."nope" of source shop.nope does not exist');
    expect(output).toContain(`"shop"."raw"."no_column" has no column 'synced_at' (the loaded_at_field of source shop.no_column); its columns are id, loaded_at`);
    expect(output).toContain('max(loaded_at) of "shop"."raw"."empty" is null');
    expect(output).toMatch(/the freshness query of source shop\.bad_filter failed: .*no_such_flag/);
    expect(output).toContain('Done. PASS=1 WARN=0 ERROR=4 SKIP=0 TOTAL=5');
    const results = byId(sourcesJson(dir));
    expect(results.get('source.shop.shop.fresh')!.status).toBe('pass');
    const nope = results.get('source.shop.shop.nope')!;
    expect(nope).toEqual({ unique_id: 'source.shop.shop.nope', error: expect.stringContaining('does not exist'), status: 'runtime error' });
    expect(results.get('source.shop.shop.no_column')!.status).toBe('runtime error');
    expect(results.get('source.shop.shop.empty')!.status).toBe('runtime error');
  });

  describe('time zones', () => {
    const savedTz = process.env.TZ;
    afterEach(() => {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    });

    it('a TIMESTAMP column is read as UTC and a TIMESTAMPTZ one by its zone, whatever the session and process zones', async () => {
      // Neither the Node process nor the DuckDB session runs in UTC here: a naive value read
      // as local time would be hours off.
      process.env.TZ = 'America/Los_Angeles';
      const dir = project({
        'profiles.yml': `shop:
  target: kolkata
  outputs:
    kolkata:
      type: duckdb
      path: target/shop.duckdb
      settings: {TimeZone: Asia/Kolkata}
    new_york:
      type: duckdb
      path: target/shop.duckdb
      settings: {TimeZone: America/New_York}
`,
        'models/sources.yml': `version: 2
sources:
  - name: shop
    schema: raw
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 3, period: hour}
    tables:
      - name: naive
        loaded_at_field: loaded_at
      - name: zoned
        loaded_at_field: loaded_at
`,
      });
      const twoHoursAgo = new Date(Date.now() - 2 * HOUR * 1000);
      await loadTables(dir, [
        'create schema raw',
        `create table raw.naive as select timestamp '${twoHoursAgo.toISOString().replace('T', ' ').replace('Z', '')}' as loaded_at`,
        // The same instant written with a +05:30 offset.
        `create table raw.zoned as select timestamptz '${new Date(twoHoursAgo.getTime() + 5.5 * HOUR * 1000).toISOString().replace('T', ' ').replace('Z', '')}+05:30' as loaded_at`,
      ]);
      for (const target of ['kolkata', 'new_york']) {
        const { code, output } = await strata(dir, 'source', 'freshness', '--target', target);
        expect(code, output).toBe(0);
        const results = byId(sourcesJson(dir));
        for (const id of ['source.shop.shop.naive', 'source.shop.shop.zoned']) {
          const result = results.get(id)!;
          expect(result.status, `${id} on ${target}`).toBe('warn');
          expect(result.max_loaded_at_time_ago_in_s).toBeGreaterThan(2 * HOUR - 5);
          expect(result.max_loaded_at_time_ago_in_s).toBeLessThan(2 * HOUR + 120);
          expect(result.max_loaded_at).toBe(`${twoHoursAgo.toISOString().slice(0, -1)}000Z`);
        }
      }
    });
  });

  it('a bad period or count in freshness is a project error naming the file and line', async () => {
    const dir = project({
      'models/sources.yml': `version: 2
sources:
  - name: shop
    loaded_at_field: loaded_at
    tables:
      - name: orders
        freshness:
          warn_after:
            count: 12
            period: hours
`,
    });
    const { code, output } = await strata(dir, 'source', 'freshness');
    expect(code).toBe(2);
    expect(output).toContain(`models/sources.yml:10: 'period' in 'warn_after' cannot be "hours"`);
    expect(output).toContain("hint: did you mean 'hour'?");

    const count = project({
      'models/sources.yml': 'version: 2\nsources:\n  - name: shop\n    freshness:\n      error_after: {count: -1, period: day}\n    tables:\n      - name: orders\n',
    });
    const bad = await strata(count, 'source', 'freshness');
    expect(bad.code).toBe(2);
    expect(bad.output).toContain(`models/sources.yml:5: 'count' in 'error_after' must be a whole number of at least 1, got -1`);
  });

  it('--output writes the results elsewhere and --log-format json prints one event a line', async () => {
    const dir = await shopProject();
    const out = path.join(dir, 'elsewhere/fresh.json');
    const { code, output } = await strata(dir, 'source', 'freshness', '-s', 'source:shop.late', '-o', out, '--log-format', 'json');
    expect(code, output).toBe(0);
    expect(existsSync(path.join(dir, 'target/sources.json'))).toBe(false);
    expect(byId(sourcesJson(dir, 'elsewhere/fresh.json')).get('source.shop.shop.late')!.status).toBe('warn');
    const events = output.trim().split('\n').map((line) => JSON.parse(line));
    const finished = events.find((e) => e.event === 'freshness_finished');
    expect(finished.data).toMatchObject({ unique_id: 'source.shop.shop.late', status: 'warn', index: 1, total: 1 });
    expect(finished.data.age_seconds).toBeGreaterThan(2 * HOUR - 5);
    expect(events.find((e) => e.event === 'run_summary').data).toEqual({ pass: 0, warn: 1, error: 0, skip: 0, total: 1 });
  });

  it('with nothing to check it says so, exits 0 and writes an empty sources.json', async () => {
    const dir = await shopProject();
    const { code, output } = await strata(dir, 'source', 'freshness', '-s', 'source:crm');
    expect(code, output).toBe(0);
    expect(output).toContain('Nothing to do');
    expect(sourcesJson(dir).results).toEqual([]);
  });
});
