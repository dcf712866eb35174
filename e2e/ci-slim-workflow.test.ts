import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { strata, writeFiles } from './harness.js';

// Runs the strata commands of docs/ci-slim-workflow.yml, in its order, on a project whose
// profiles.yml is the one docs/ci-slim.md shows: what the workflow does on GitHub, minus GitHub.

const repo = path.resolve(import.meta.dirname, '..');
const workflow = parse(readFileSync(path.join(repo, 'docs/ci-slim-workflow.yml'), 'utf8'));
const guide = readFileSync(path.join(repo, 'docs/ci-slim.md'), 'utf8');

/** The `npx strata ...` commands of a job's steps with the given names, as argument lists. */
function strataCommands(job: string, steps: string[]): string[][] {
  return workflow.jobs[job].steps
    .filter((s: { name?: string; run?: string }) => s.name && steps.includes(s.name))
    .flatMap((s: { run: string }) => s.run.split('\n'))
    .map((line: string) => line.trim())
    .filter((line: string) => line.startsWith('npx strata '))
    .map((line: string) => line.replace(/\s*>.*$/, '').slice('npx strata '.length).split(/\s+/));
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
  delete process.env.STRATA_PR_SCHEMA;
});

describe('docs/ci-slim-workflow.yml', () => {
  it('runs the slim build the e2e recipe test checks, and only on pull requests', () => {
    expect(workflow.jobs.production.if).toBe("github.event_name == 'push'");
    expect(workflow.jobs.slim.if).toBe("github.event_name == 'pull_request'");
    expect(strataCommands('slim', ['Slim build'])).toEqual([['build', '--select', 'state:modified+', '--defer', '--state', 'prod-artifacts', '--target', 'ci']]);
    expect(workflow.jobs.slim.env.STRATA_PR_SCHEMA).toBe('pr_${{ github.event.pull_request.number }}');
  });

  it("its commands work with the guide's profiles.yml, production's file restored where the workflow puts it", async () => {
    const profiles = /```yaml\n(shop:[\s\S]*?)```/.exec(guide)![1];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-workflow-'));
    dirs.push(dir);
    writeFiles(dir, {
      'project.yml': 'name: shop\nversion: "1.0"\nprofile: shop\n',
      'profiles.yml': profiles,
      'seeds/raw_orders.csv': 'order_id,amount\n1,10\n2,20\n',
      'models/stg_orders.sql': 'select order_id, amount from {{ref "raw_orders"}}',
      'models/order_total.sql': '{{config materialized="table"}}\nselect sum(amount) as total from {{ref "stg_orders"}}',
    });
    for (const args of strataCommands('production', ['Build production'])) expect((await strata(dir, ...args)).code).toBe(0);

    // A fresh runner: the checkout, production's artifacts downloaded flat, the database moved to target/.
    const kept = path.join(dir, '..', `${path.basename(dir)}-kept`);
    dirs.push(kept);
    mkdirSync(kept);
    for (const file of ['manifest.json', 'run_results.json', 'prod.duckdb']) cpSync(path.join(dir, 'target', file), path.join(kept, file));
    rmSync(path.join(dir, 'target'), { recursive: true });
    mkdirSync(path.join(dir, 'prod-artifacts'));
    for (const file of ['manifest.json', 'run_results.json', 'prod.duckdb']) cpSync(path.join(kept, file), path.join(dir, 'prod-artifacts', file));
    mkdirSync(path.join(dir, 'target'));
    renameSync(path.join(dir, 'prod-artifacts', 'prod.duckdb'), path.join(dir, 'target', 'prod.duckdb'));

    // The pull request doubles order_total.
    writeFiles(dir, { 'models/order_total.sql': '{{config materialized="table"}}\nselect 2 * sum(amount) as total from {{ref "stg_orders"}}' });
    process.env.STRATA_PR_SCHEMA = 'pr_5';
    const [slim] = strataCommands('slim', ['Slim build']);
    const built = await strata(dir, ...slim);
    expect(built.code, built.output).toBe(0);
    const [selected] = strataCommands('slim', ['What was selected, and why']);
    const listed = await strata(dir, ...selected);
    expect(listed.output.trim().split('\n').map((l) => JSON.parse(l).name)).toEqual(['order_total']);

    expect(existsSync(path.join(dir, 'target', 'ci.duckdb'))).toBe(true);
    const instance = await DuckDBInstance.create(path.join(dir, 'target', 'ci.duckdb'));
    const connection = await instance.connect();
    try {
      const tables = (await connection.runAndReadAll("select table_schema || '.' || table_name as t from information_schema.tables where table_catalog = 'ci'")).getRowObjectsJson();
      expect(tables).toEqual([{ t: 'pr_5.order_total' }]);
      expect((await connection.runAndReadAll('select total::int as total from pr_5.order_total')).getRowObjectsJson()).toEqual([{ total: 60 }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
