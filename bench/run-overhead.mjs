#!/usr/bin/env node
// What `strata run` adds per model over executing the same compiled SQL directly in DuckDB.
//   node bench/run-overhead.mjs [--models 200] [--runs 3] [--work bench/work]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generateProject } from './generate-project.mjs';
import { measureProcess, measurementUnavailable, median, tailOfLogs } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath, strataCommandUnavailable } from './strata-cli.mjs';

const { values } = parseArgs({
  options: { models: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' }, work: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'work') } },
});
const WORK = path.resolve(values.work);
const size = Number(values.models);
const runs = Number(values.runs);
const log = (line) => process.stdout.write(`${line}\n`);
const loadBefore = loadavg()[0];
// Anything else running on the machine skews timings: say how busy it was.
const loadNote = () => `1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after, on ${availableParallelism()} cores`;

const missing = measurementUnavailable() ?? strataCommandUnavailable('compile') ?? strataCommandUnavailable('run');
if (missing) {
  log(`strata run overhead: not yet measured: ${missing}`);
  process.exit(3);
}

const cli = strataCliPath();
const projectDir = path.join(WORK, `run${size}`, 'strata');
const directDir = path.join(WORK, `run${size}`, 'direct');
const logs = path.join(WORK, 'logs');
generateProject({ models: size, out: projectDir, materialized: 'table' });
log(`generated ${size} models, all materialized as tables: ${path.relative(REPO_ROOT, projectDir)}`);

async function mustRun(label, args, timeoutMs = 300_000) {
  const result = await measureProcess(process.execPath, args, { cwd: REPO_ROOT, timeoutMs, logPrefix: path.join(logs, label) });
  if (result.code !== 0) throw new Error(`${label} ${result.timedOut ? 'timed out' : `exited ${result.code}`}:\n${tailOfLogs(result.logPrefix)}`);
  return result;
}

// The warehouse Strata uses without profiles.yml: target/<project>.duckdb, project name 'bench'.
const removeDatabase = (dir) => ['bench.duckdb', 'bench.duckdb.wal'].forEach((f) => rmSync(path.join(dir, f), { force: true }));

await mustRun('overhead-compile', [cli, 'compile', '--project-dir', projectDir]);
const samples = { threads1: [], threadsDefault: [], direct: [], directSql: [] };
let runResults;
let direct;
for (let run = 1; run <= runs; run++) {
  for (const [key, extra] of [['threads1', ['--threads', '1']], ['threadsDefault', []]]) {
    removeDatabase(path.join(projectDir, 'target'));
    const result = await mustRun(`overhead-strata-run-${key}-run${run}`, [cli, 'run', '--project-dir', projectDir, ...extra]);
    samples[key].push(result.seconds);
    if (key === 'threads1') runResults = JSON.parse(readFileSync(path.join(projectDir, 'target', 'run_results.json'), 'utf8'));
    log(`  strata run ${extra.join(' ') || '(default threads)'} run ${run}: ${result.seconds.toFixed(2)}s`);
  }
  rmSync(directDir, { recursive: true, force: true });
  mkdirSync(directDir, { recursive: true });
  const result = await mustRun(`overhead-direct-run${run}`, [path.join(REPO_ROOT, 'bench', 'run-compiled-sql.mjs'), '--project-dir', projectDir, '--db', path.join(directDir, 'bench.duckdb')]);
  direct = JSON.parse(readFileSync(`${result.logPrefix}.out`, 'utf8').trim().split('\n').at(-1));
  samples.direct.push(result.seconds);
  samples.directSql.push(direct.seconds);
  log(`  direct DuckDB run ${run}: ${result.seconds.toFixed(2)}s (SQL alone ${direct.seconds.toFixed(2)}s)`);
}

const failed = (runResults?.results ?? []).filter((r) => r.status !== 'success');
if (!runResults || failed.length || runResults.results.length !== size) {
  log(`strata run did not build all ${size} models: ${failed.length} not successful, ${runResults?.results?.length} results`);
  process.exit(1);
}
if (direct.models !== size) throw new Error(`direct run executed ${direct.models} models, expected ${size}`);

const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
// Per node, from the last runs: Strata's own execution_time against the bare statement's time.
const perNode = runResults.results.filter((r) => typeof r.execution_time === 'number' && direct.perModelMs[r.unique_id] !== undefined).map((r) => r.execution_time * 1000 - direct.perModelMs[r.unique_id]);
const perModel = (seconds) => `${(((seconds - m.direct) / size) * 1000).toFixed(1)} ms`;
log('');
log(`${size} models, all tables, DuckDB file; median of ${runs} cold runs (fresh process each, empty database).`);
log('| what | wall time | per model over direct | ratio to direct |');
log('|---|---:|---:|---:|');
log(`| direct DuckDB (one process, one connection, create or replace table ... as <compiled SQL>) | ${m.direct.toFixed(2)}s (SQL alone ${m.directSql.toFixed(2)}s) | | 1.0x |`);
log(`| strata run --threads 1 | ${m.threads1.toFixed(2)}s | ${perModel(m.threads1)} | ${(m.threads1 / m.direct).toFixed(1)}x |`);
log(`| strata run (default threads) | ${m.threadsDefault.toFixed(2)}s | ${perModel(m.threadsDefault)} | ${(m.threadsDefault / m.direct).toFixed(1)}x |`);
log(loadNote());
if (perNode.length) log(`\nper node (run_results execution_time minus the bare statement, --threads 1): median ${median(perNode).toFixed(1)} ms over ${perNode.length} models`);
writeFileSync(path.join(WORK, 'run-overhead.json'), JSON.stringify({ size, runs, load: loadNote(), samples, medians: m, perNodeMedianMs: perNode.length ? median(perNode) : null }, null, 2) + '\n');
log(`raw figures: ${path.relative(REPO_ROOT, path.join(WORK, 'run-overhead.json'))}`);
