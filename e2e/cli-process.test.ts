import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { makeProject, projectYml, removeProject, writeFiles } from './harness.js';

// These tests run the built binary as a user would; `npm ci` builds it (the prepare script).
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'dist/cli/bin.js');

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeProject(dirs.pop()!);
});
beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
});

describe('the strata binary', () => {
  it('is executable, so npx strata runs it directly', () => {
    expect(() => accessSync(bin, constants.X_OK)).not.toThrow();
    const direct = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('npx-style invocation works with --project-dir and exits with the right codes', () => {
    const dir = makeProject({ 'project.yml': projectYml(), 'models/a.sql': 'select 1 as id' });
    dirs.push(dir);
    const ok = spawnSync(process.execPath, [bin, 'run', '--project-dir', dir], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Done. PASS=1');
    const usage = spawnSync(process.execPath, [bin, 'run', '--threads', 'many', '--project-dir', dir], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stdout).toContain('--threads must be a whole number');
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });

  it('ls prints only names on stdout; its warnings go to stderr', () => {
    const dir = makeProject({ 'project.yml': projectYml(), 'models/a.sql': 'select 1 as id', 'models/b.sql': 'select 2 as id' });
    dirs.push(dir);
    const listed = spawnSync(process.execPath, [bin, 'ls', '--output', 'name', '-s', 'a', 'nosuch', '--project-dir', dir], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toBe('a\n');
    expect(listed.stderr).toContain("The selection criterion 'nosuch' does not match any enabled nodes");
  });

  it('init makes a project that builds as it is, and refuses a bad name or a folder in use', async () => {
    const parent = makeProject({});
    dirs.push(parent);
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: parent, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const made = run('init', 'my_shop');
    expect(made.status, made.stdout + made.stderr).toBe(0);
    expect(made.stdout).toContain('Next: npx strata build --project-dir my_shop');
    const built = run('build', '--project-dir', 'my_shop');
    expect(built.status, built.stdout).toBe(0);
    // A seed, a view, a table and three tests.
    expect(built.stdout).toContain('Done. PASS=6 WARN=0 ERROR=0 SKIP=0 TOTAL=6');
    expect(await queryProject(path.join(parent, 'my_shop'), 'select orders::int as orders, revenue::double as revenue from main.daily_revenue order by order_date', 'target/my_shop.duckdb')).toEqual([
      { orders: 2, revenue: 52.5 },
      { orders: 1, revenue: 9.9 },
    ]);
    const again = run('init', 'my_shop');
    expect(again.status).toBe(2);
    expect(again.stdout).toContain('already exists and is not empty');
    const bad = run('init', '1st-project');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain("'1st-project' cannot name a project");
  });

  it('a build killed mid-way leaves the old table whole, and the next run recovers', async () => {
    const dir = makeProject({ 'project.yml': projectYml(), 'models/t.sql': "{{config materialized=\"table\"}}\nselect 1 as id, 'old' as v" });
    dirs.push(dir);
    expect(spawnSync(process.execPath, [bin, 'run', '--project-dir', dir], { encoding: 'utf8' }).status).toBe(0);
    // A rebuild that takes seconds, so the kill lands while the new table is being written.
    writeFiles(dir, { 'models/t.sql': '{{config materialized="table"}}\nselect sum(a.range * b.range) as id, \'new\' as v from range(30000) a, range(30000) b' });
    const child = spawn(process.execPath, [bin, 'run', '--project-dir', dir], { env: { ...process.env, CI: 'true' } });
    let output = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('START sql table model main.t')) setTimeout(() => child.kill('SIGKILL'), 700);
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');
    expect(await queryProject(dir, 'select * from t')).toEqual([{ id: 1, v: 'old' }]);
    writeFiles(dir, { 'models/t.sql': "{{config materialized=\"table\"}}\nselect 2 as id, 'new' as v" });
    const again = spawnSync(process.execPath, [bin, 'run', '--project-dir', dir], { encoding: 'utf8' });
    expect(again.status, again.stdout).toBe(0);
    expect(await queryProject(dir, 'select * from t')).toEqual([{ id: 2, v: 'new' }]);
    expect(await queryProject(dir, "select table_name from information_schema.tables where table_name like '%strata%'")).toEqual([]);
  });
});
