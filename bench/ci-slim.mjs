#!/usr/bin/env node
// A CI slim run (docs/ci-slim.md) against a full build of the same project: nodes run and wall time.
//   node bench/ci-slim.mjs [--models 1000] [--changed 3] [--runs 3] [--work bench/work]
// Production is built in full into prod.duckdb; a pull request changes --changed models; CI runs
// `strata build --select state:modified+ --defer --state prod-artifacts` into ci.duckdb. The set of
// nodes it ran is checked against the changed models and their descendants in the manifest.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generateProject } from './generate-project.mjs';
import { measurementUnavailable, median } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath, strataCommandUnavailable } from './strata-cli.mjs';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '1000' },
    changed: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    work: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'work') },
  },
});
const size = Number(values.models);
const changedCount = Number(values.changed);
const runs = Number(values.runs);
const WORK = path.resolve(values.work);
const log = (line) => process.stdout.write(`${line}\n`);
const loadBefore = loadavg()[0];

const missing = measurementUnavailable() ?? strataCommandUnavailable('build') ?? strataCommandUnavailable('retry');
if (missing) {
  log(`ci slim: not yet measured: ${missing}`);
  process.exit(3);
}
const cli = strataCliPath();
const projectDir = path.join(WORK, `slim${size}`, 'project');
const artifacts = path.join(WORK, `slim${size}`, 'prod-artifacts');
const logs = path.join(WORK, 'logs');

generateProject({ models: size, out: projectDir });
// Production and the pull request's schema in two DuckDB files; CI attaches production's read-only.
writeFileSync(
  path.join(projectDir, 'profiles.yml'),
  'bench:\n  target: prod\n  outputs:\n    prod:\n      type: duckdb\n      path: prod.duckdb\n      schema: main\n    ci:\n      type: duckdb\n      path: ci.duckdb\n      schema: pr_1\n',
);
const removeDatabase = (name) => [`${name}.duckdb`, `${name}.duckdb.wal`].forEach((f) => rmSync(path.join(projectDir, f), { force: true }));

// Wall time and CPU time (user + system, DuckDB's threads included): on a busy machine the CPU
// time is the steadier figure, so both are reported.
function mustRun(label, args) {
  mkdirSync(logs, { recursive: true });
  const timeFile = path.join(logs, `${label}.time`);
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, process.execPath, cli, ...args, '--project-dir', projectDir], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 900_000 });
  writeFileSync(path.join(logs, `${label}.out`), result.stdout ?? '');
  if (result.status !== 0) throw new Error(`${label} exited ${result.status}:\n${(result.stdout ?? '').split('\n').slice(-12).join('\n')}${result.stderr ?? ''}`);
  const [wall, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds: wall, cpu: user + system };
}
const runResults = () => JSON.parse(readFileSync(path.join(projectDir, 'target', 'run_results.json'), 'utf8'));
const countByType = (results) => results.reduce((m, r) => m.set(r.unique_id.split('.')[0], (m.get(r.unique_id.split('.')[0]) ?? 0) + 1), new Map());
const describeCounts = (counts) => [...counts].map(([t, n]) => `${n} ${t}s`).join(', ');

// Full builds of production, each on an empty database; the last one's artifacts are the state.
const full = [];
const fullCpu = [];
let fullResults;
for (let run = 1; run <= runs; run++) {
  removeDatabase('prod');
  const result = mustRun(`slim-full-run${run}`, ['build', '--target', 'prod']);
  full.push(result.seconds);
  fullCpu.push(result.cpu);
  fullResults = runResults();
  log(`  full build run ${run}: ${result.seconds.toFixed(2)}s wall, ${result.cpu.toFixed(2)}s CPU, ${fullResults.results.length} nodes`);
}
if (fullResults.results.some((r) => r.status !== 'success' && r.status !== 'pass')) throw new Error('the full build did not succeed everywhere');
mkdirSync(artifacts, { recursive: true });
for (const file of ['manifest.json', 'run_results.json']) copyFileSync(path.join(projectDir, 'target', file), path.join(artifacts, file));

// The pull request: `+ 1` becomes `+ 2` in models spread over the graph (the amounts change, so does the SQL).
const files = readdirSync(path.join(projectDir, 'models'), { recursive: true }).filter((f) => f.endsWith('.sql')).sort();
const editable = files.filter((f) => readFileSync(path.join(projectDir, 'models', f), 'utf8').includes('p0.amount + 1 as amount'));
const picked = Array.from({ length: changedCount }, (_, k) => editable[Math.floor(((k + 1) * editable.length) / (changedCount + 1))]);
for (const file of picked) {
  const full = path.join(projectDir, 'models', file);
  writeFileSync(full, readFileSync(full, 'utf8').replace('p0.amount + 1 as amount', 'p0.amount + 2 as amount'));
}
const changedIds = picked.map((f) => `model.bench.${path.basename(f, '.sql')}`);

// What the slim run must run: the changed models and every descendant (models and tests).
const manifest = JSON.parse(readFileSync(path.join(artifacts, 'manifest.json'), 'utf8'));
const expected = new Set(changedIds);
const todo = [...changedIds];
while (todo.length) for (const child of manifest.child_map[todo.pop()] ?? []) if (!expected.has(child)) expected.add(child) && todo.push(child);

const slim = [];
const slimCpu = [];
let slimResults;
for (let run = 1; run <= runs; run++) {
  removeDatabase('ci');
  const result = mustRun(`slim-ci-run${run}`, ['build', '--select', 'state:modified+', '--defer', '--state', artifacts, '--target', 'ci']);
  slim.push(result.seconds);
  slimCpu.push(result.cpu);
  slimResults = runResults();
  log(`  slim build run ${run}: ${result.seconds.toFixed(2)}s wall, ${result.cpu.toFixed(2)}s CPU, ${slimResults.results.length} nodes`);
}
const ran = new Set(slimResults.results.map((r) => r.unique_id));
const wrong = [...ran].filter((id) => !expected.has(id)).concat([...expected].filter((id) => !ran.has(id)));
if (wrong.length || slimResults.results.some((r) => r.status !== 'success' && r.status !== 'pass')) {
  log(`the slim run did not run exactly the changed models and their descendants: ${wrong.slice(0, 10).join(', ')}`);
  process.exit(1);
}

const fullMedian = median(full);
const slimMedian = median(slim);
log('');
log(`${size} models; a pull request changing ${changedCount} of them (${changedIds.map((id) => id.split('.').pop()).join(', ')}); median of ${runs} cold runs, empty target database each time.`);
const fullCpuMedian = median(fullCpu);
const slimCpuMedian = median(slimCpu);
const list = (values) => values.map((s) => s.toFixed(2)).join(', ');
log('| run | nodes | of which | wall time (median) | CPU time (median) | wall, each run | CPU, each run |');
log('|---|---:|---|---:|---:|---|---|');
log(`| full \`strata build\` | ${fullResults.results.length} | ${describeCounts(countByType(fullResults.results))} | ${fullMedian.toFixed(2)} s | ${fullCpuMedian.toFixed(2)} s | ${list(full)} | ${list(fullCpu)} |`);
log(`| slim \`build --select state:modified+ --defer\` | ${slimResults.results.length} | ${describeCounts(countByType(slimResults.results))} | ${slimMedian.toFixed(2)} s | ${slimCpuMedian.toFixed(2)} s | ${list(slim)} | ${list(slimCpu)} |`);
log('');
log(`slim / full: ${((100 * slimResults.results.length) / fullResults.results.length).toFixed(1)}% of the nodes; ${((100 * slimMedian) / fullMedian).toFixed(1)}% of the wall time (${(fullMedian / slimMedian).toFixed(1)}x faster), ${((100 * slimCpuMedian) / fullCpuMedian).toFixed(1)}% of the CPU time (${(fullCpuMedian / slimCpuMedian).toFixed(1)}x).`);
log(`checked: the slim run ran exactly the ${expected.size} changed or downstream nodes, all successful.`);
log(`1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after, on ${availableParallelism()} cores`);
