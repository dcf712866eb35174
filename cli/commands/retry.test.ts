import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planRetry } from './retry.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'strata-retry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(path.join(root, 'project.yml'), 'name: shop\n');
mkdirSync(path.join(root, 'target'));
const lastRun = (artifact: unknown) => writeFileSync(path.join(root, 'target', 'run_results.json'), JSON.stringify(artifact));

describe('planRetry', () => {
  it('reruns errored, failed and skipped nodes with the last run\'s flags; flags given to retry win', () => {
    lastRun({
      results: [
        { unique_id: 'model.shop.a', status: 'success' },
        { unique_id: 'model.shop.b', status: 'error' },
        { unique_id: 'model.shop.c', status: 'skipped' },
        { unique_id: 'test.shop.t', status: 'fail' },
        { unique_id: 'test.shop.w', status: 'warn' },
      ],
      args: { which: 'build', select: ['state:modified+'], threads: 4, target: 'ci', defer: true, favor_state: false, state: '/prod-artifacts', full_refresh: true, warn_error: true, vars: '{x: 1}' },
    });
    const plan = planRetry({ projectDir: root, threads: '1' });
    expect(plan.command).toBe('build');
    expect([...plan.ids].sort()).toEqual(['model.shop.b', 'model.shop.c', 'test.shop.t']);
    expect(plan.options).toMatchObject({ select: ['state:modified+'], target: 'ci', defer: true, state: '/prod-artifacts', fullRefresh: true, warnError: true, vars: '{x: 1}', threads: '1' });
    expect(plan.varsOmitted).toBe(false);
  });

  it('asks for --vars again when the last run kept them out', () => {
    lastRun({ results: [], args: { which: 'run', vars: null, vars_omitted: true } });
    expect(planRetry({ projectDir: root }).varsOmitted).toBe(true);
    expect(planRetry({ projectDir: root, vars: '{api_token: x}' }).varsOmitted).toBe(false);
  });

  it('refuses what it cannot repeat, and a missing or broken run_results.json', () => {
    lastRun({ results: [], args: { which: 'docs' } });
    expect(() => planRetry({ projectDir: root })).toThrow(/the last run was 'docs', which retry cannot repeat/);
    writeFileSync(path.join(root, 'target', 'run_results.json'), '{"results": [');
    expect(() => planRetry({ projectDir: root })).toThrow(/not valid JSON/);
    rmSync(path.join(root, 'target', 'run_results.json'));
    expect(() => planRetry({ projectDir: root })).toThrow(/nothing to retry/);
  });
});
