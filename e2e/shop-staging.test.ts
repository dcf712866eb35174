import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { strata } from './harness.js';

// The repository's project: `strata generate` lands the raw data, then the staging layer is built
// and tested on it; every staging model must hold exactly the rows the generator says it should.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCALE = process.env.SHOP_STAGING_TEST_SCALE ?? '0.03';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-shop-staging-'));
for (const entry of ['project.yml', 'models', 'seeds', 'macros', 'tests', 'snapshots']) {
  if (existsSync(path.join(REPO, entry))) cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the shop project on generated raw data', () => {
  it('generate, then build the staging layer with its tests; row counts equal the ground truth', async () => {
    const generated = await strata(dir, 'generate', '--scale', SCALE);
    expect(generated.code, generated.output).toBe(0);
    expect(generated.output).toMatch(/shop_mysql\.orders\s+[\d,]+ rows/);
    expect(generated.output).toMatch(/Generated [\d,]+ rows in 4 loads per table/);

    const again = await strata(dir, 'generate', '--scale', SCALE, '--if-missing');
    expect(again.output).toContain('nothing to do');

    // Cautious: singular tests that also read marts wait for the marts (with eager selection they would run and find no marts).
    const built = await strata(dir, 'build', '--select', 'staging', '--indirect-selection', 'cautious');
    const failures = built.output.split('\n').filter((l) => /FAIL|ERROR/.test(l)).slice(0, 20).join('\n');
    expect(built.code, failures).toBe(0);
    expect(built.output).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);

    const summary = JSON.parse(readFileSync(path.join(dir, 'lake/ground_truth/summary.json'), 'utf8')) as { staging_rows: Record<string, number> };
    const models = Object.keys(summary.staging_rows);
    expect(models).toHaveLength(15);
    const counts = await queryProject(dir, models.map((m) => `select '${m}' as model, count(*)::int as n from main_staging.${m}`).join(' union all '));
    expect(Object.fromEntries(counts.map((r) => [r.model, r.n]))).toEqual(summary.staging_rows);

    // The dirt is gone: one normalised e-mail per customer, one upper-case sku per stock report.
    const [clean] = await queryProject(dir, `select
      (select count(*) from main_staging.stg_shop_mysql__customers where email <> lower(trim(email)))::int as dirty_emails,
      (select count(*) from main_staging.stg_partner_sftp__inventory_snapshots where sku <> upper(trim(sku)))::int as dirty_skus,
      (select count(*) - count(distinct event_id) from main_staging.stg_web_api__events)::int as duplicate_events`);
    expect(clean).toEqual({ dirty_emails: 0, dirty_skus: 0, duplicate_events: 0 });
  }, 600_000);

  it('after --day 2, the incremental events model equals a full refresh (late and resent events included)', async () => {
    const events = `select count(*)::int as n, sum(hash(event_id, event_type, session_id, occurred_at, received_at, loaded_at))::varchar as h from main_staging.stg_web_api__events`;
    const [before] = await queryProject(dir, events);
    const day2 = await strata(dir, 'generate', '--scale', SCALE, '--day', '2');
    expect(day2.code, day2.output).toBe(0);
    expect(day2.output).toContain('Landing 1 load per table');
    // Cautious, as above: the singular test of sessions against events also reads fct_sessions, not built here.
    const incremental = await strata(dir, 'build', '--select', 'stg_web_api__events', '--indirect-selection', 'cautious');
    expect(incremental.code, incremental.output).toBe(0);
    const [after] = await queryProject(dir, events);
    expect(after.n).toBeGreaterThan(before.n as number);
    const summary = JSON.parse(readFileSync(path.join(dir, 'lake/ground_truth/summary.json'), 'utf8')) as { staging_rows: Record<string, number> };
    expect(after.n).toBe(summary.staging_rows.stg_web_api__events);
    const full = await strata(dir, 'build', '--select', 'stg_web_api__events', '--full-refresh', '--indirect-selection', 'cautious');
    expect(full.code, full.output).toBe(0);
    expect(await queryProject(dir, events)).toEqual([after]);
  }, 600_000);

  it('a bad flag is one message and exit code 2', async () => {
    const zero = await strata(dir, 'generate', '--scale', '0');
    expect(zero.code).toBe(2);
    expect(zero.output).toMatch(/--scale must be a number above 0, got 0/);
    const text = await strata(dir, 'generate', '--day', 'two');
    expect(text.code).toBe(2);
    expect(text.output).toContain("--day must be a number, got 'two'");
    expect(text.output).not.toContain('internal error');
  });
});
