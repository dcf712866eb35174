import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProject, strata, writeFiles } from './harness.js';

// Deferral details and the run-result and freshness selectors, on one DuckDB file shared by a
// `prod` and a `ci` target (production in its own schema), as docs/ci-slim.md recommends.

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeProject(dirs.pop()!);
});

const FILES: Record<string, string> = {
  'project.yml': 'name: shop\nversion: "1.0"\nprofile: shop\n',
  'profiles.yml': 'shop:\n  target: prod\n  outputs:\n    prod:\n      type: duckdb\n      path: ../shared.duckdb\n      schema: prod\n    ci:\n      type: duckdb\n      path: ../shared.duckdb\n      schema: pr_9\n',
  'models/sources.yml':
    'version: 2\nsources:\n  - name: app\n    schema: raw\n    loaded_at_field: loaded_at\n    freshness:\n      warn_after: {count: 1, period: day}\n    tables:\n      - name: events\n',
  'models/stg_events.sql': 'select id, kind from {{source "app" "events"}}',
  'models/event_counts.sql': '{{config materialized="table"}}\nselect kind, count(*) as n from {{ref "stg_events"}} group by 1',
  'models/other.sql': 'select 1 as one',
  'models/event_counts.yml': 'version: 2\nmodels:\n  - name: event_counts\n    columns:\n      - name: kind\n        data_tests: [not_null]\n',
};

async function sql(file: string, statements: string[]): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const s of statements) rows = (await connection.runAndReadAll(s)).getRowObjectsJson() as Record<string, unknown>[];
    return rows;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** <tmp>/shared.duckdb with raw.events; production built in <tmp>/prod; a copy in <tmp>/ci with its artifacts. */
async function setUp(): Promise<{ prod: string; ci: string; db: string }> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'strata-defer-'));
  dirs.push(parent);
  const db = path.join(parent, 'shared.duckdb');
  await sql(db, ['create schema raw', "create table raw.events as select * from (values (1, 'view', timestamp '2024-05-01 10:00:00'), (2, 'buy', timestamp '2024-05-01 11:00:00')) t(id, kind, loaded_at)"]);
  const prod = path.join(parent, 'prod');
  writeFiles(prod, FILES);
  const built = await strata(prod, 'build', '--target', 'prod');
  expect(built.code, built.output).toBe(0);
  await strata(prod, 'source', 'freshness', '--target', 'prod');
  const ci = path.join(parent, 'ci');
  writeFiles(ci, FILES);
  mkdirSync(path.join(ci, 'prod-artifacts'));
  for (const file of ['manifest.json', 'run_results.json', 'sources.json']) cpSync(path.join(prod, 'target', file), path.join(ci, 'prod-artifacts', file));
  return { prod, ci, db };
}

const compiled = (dir: string, model: string) => readFileSync(path.join(dir, 'target/compiled/shop/models', `${model}.sql`), 'utf8');

describe('deferral and state selectors', () => {
  it('tests of a deferred model run against the production relation they would read', async () => {
    const { ci, db } = await setUp();
    // Production's event_counts has a null kind; the CI schema has no event_counts at all.
    await sql(db, ["insert into prod.event_counts values (null, 7)"]);
    const tested = await strata(ci, 'test', '--select', 'event_counts', '--defer', '--state', 'prod-artifacts', '--target', 'ci');
    expect(tested.code, tested.output).toBe(1);
    expect(tested.output).toMatch(/FAIL 1 not_null_event_counts_kind/);
    const testSql = readFileSync(path.join(ci, 'target/compiled/shop/models/event_counts.yml/not_null_event_counts_kind.sql'), 'utf8');
    expect(testSql).toContain('"shared"."prod"."event_counts"');
  });

  it('without --favor-state a relation this target has wins; with it, production does', async () => {
    const { ci } = await setUp();
    expect((await strata(ci, 'run', '--select', 'stg_events', '--target', 'ci')).code).toBe(0);
    const own = await strata(ci, 'run', '--select', 'event_counts', '--defer', '--state', 'prod-artifacts', '--target', 'ci');
    expect(own.code, own.output).toBe(0);
    expect(compiled(ci, 'event_counts')).toContain('"shared"."pr_9"."stg_events"');
    const favored = await strata(ci, 'run', '--select', 'event_counts', '--defer', '--favor-state', '--state', 'prod-artifacts', '--target', 'ci');
    expect(favored.code, favored.output).toBe(0);
    expect(compiled(ci, 'event_counts')).toContain('"shared"."prod"."stg_events"');
    const without = await strata(ci, 'run', '--select', 'event_counts', '--target', 'ci');
    expect(without.code).toBe(0);
    expect(compiled(ci, 'event_counts')).toContain('"shared"."pr_9"."stg_events"');
  });

  it('compile --defer renders the SQL a deferred build would run', async () => {
    const { ci } = await setUp();
    const done = await strata(ci, 'compile', '--select', 'event_counts', '--defer', '--state', 'prod-artifacts', '--target', 'ci');
    expect(done.code, done.output).toBe(0);
    expect(compiled(ci, 'event_counts')).toContain('"shared"."prod"."stg_events"');
  });

  it('show --defer previews a model over production\'s parents', async () => {
    const { ci } = await setUp();
    const without = await strata(ci, 'show', '--select', 'event_counts', '--target', 'ci');
    expect(without.code).toBe(2);
    const shown = await strata(ci, 'show', '--select', 'event_counts', '--defer', '--state', 'prod-artifacts', '--target', 'ci', '--output', 'json');
    expect(shown.code, shown.output).toBe(0);
    const json = JSON.parse(shown.output.slice(shown.output.indexOf('{')));
    expect(json.show.map((r: { kind: string }) => r.kind).sort()).toEqual(['buy', 'view']);
  });

  it('source_status:fresher+ selects what reads newly loaded data', async () => {
    const { ci, db } = await setUp();
    const before = await strata(ci, 'source', 'freshness', '--target', 'ci');
    expect(before.code, before.output).not.toBe(2);
    const none = await strata(ci, 'ls', '--select', 'source_status:fresher+', '--state', 'prod-artifacts', '--resource-type', 'model', '--output', 'name', '--target', 'ci');
    expect(none.output.trim()).toBe('');
    await sql(db, ["insert into raw.events values (3, 'view', timestamp '2024-05-02 09:00:00')"]);
    await strata(ci, 'source', 'freshness', '--target', 'ci');
    const fresher = await strata(ci, 'ls', '--select', 'source_status:fresher+', '--state', 'prod-artifacts', '--resource-type', 'model', '--output', 'name', '--target', 'ci');
    expect(fresher.output.trim().split('\n')).toEqual(['event_counts', 'stg_events']);
  });

  it('secret-named --vars reach neither run_results.json nor the manifest', async () => {
    const { ci } = await setUp();
    const built = await strata(ci, 'run', '--select', 'other', '--vars', '{api_token: s3cr3t-value, start: 1}', '--target', 'ci');
    expect(built.code, built.output).toBe(0);
    const results = readFileSync(path.join(ci, 'target/run_results.json'), 'utf8');
    const manifest = readFileSync(path.join(ci, 'target/manifest.json'), 'utf8');
    expect(results).not.toContain('s3cr3t');
    expect(manifest).not.toContain('s3cr3t');
    expect(JSON.parse(results).args).toMatchObject({ vars: null, vars_omitted: true });
    expect(JSON.parse(manifest).metadata.var_checksums.api_token).toBe('secret');
  });

  it('result:error+ selects what failed last time and what is downstream', async () => {
    const { ci } = await setUp();
    writeFiles(ci, { 'models/stg_events.sql': 'select id, kind, missing_column from {{source "app" "events"}}' });
    expect((await strata(ci, 'build', '--target', 'ci')).code).toBe(1);
    const listed = await strata(ci, 'ls', '--select', 'result:error+', '--state', path.join(ci, 'target'), '--resource-type', 'model', '--output', 'name', '--target', 'ci');
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output.trim().split('\n')).toEqual(['event_counts', 'stg_events']);
    const skipped = await strata(ci, 'ls', '--select', 'result:skipped', '--state', path.join(ci, 'target'), '--resource-type', 'model', '--output', 'name', '--target', 'ci');
    expect(skipped.output.trim()).toBe('event_counts');
  });
});
