#!/usr/bin/env node
// `strata build` of the repository's e-commerce project on generated raw data, at several scales,
// against the same compiled SQL run straight through DuckDB (run-compiled-project.mjs).
//   node bench/shop-build.mjs [--scales 1,10] [--runs 1] [--work bench/work]
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { measureProcess, measurementUnavailable, median, tailOfLogs } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath, strataCommandUnavailable } from './strata-cli.mjs';

const { values } = parseArgs({
  options: { scales: { type: 'string', default: '1,10' }, runs: { type: 'string', default: '1' }, work: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'work') } },
});
const WORK = path.resolve(values.work);
const scales = values.scales.split(',').map(Number);
const runs = Number(values.runs);
const log = (line) => process.stdout.write(`${line}\n`);
const loadBefore = loadavg()[0];
const loadNote = () => `1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after, on ${availableParallelism()} cores`;

const missing = measurementUnavailable() ?? strataCommandUnavailable('generate') ?? strataCommandUnavailable('build');
if (missing) {
  log(`shop build: not yet measured: ${missing}`);
  process.exit(3);
}
const cli = strataCliPath();
const logs = path.join(WORK, 'logs');
const PROJECT_FILES = ['project.yml', 'models', 'seeds', 'macros', 'tests', 'snapshots'];

async function mustRun(label, args, timeoutMs = 1_800_000) {
  const result = await measureProcess(process.execPath, args, { cwd: REPO_ROOT, timeoutMs, logPrefix: path.join(logs, label) });
  if (result.code !== 0) throw new Error(`${label} ${result.timedOut ? 'timed out' : `exited ${result.code}`}:\n${tailOfLogs(result.logPrefix)}`);
  return result;
}

/** Bytes of the files under dir (the raw lake: the build's input). */
function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

const results = [];
for (const scale of scales) {
  const dir = path.join(WORK, `shop-s${scale}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of PROJECT_FILES) cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  const generated = await mustRun(`shop-generate-s${scale}`, [cli, 'generate', '--scale', String(scale), '--project-dir', dir]);
  const summary = JSON.parse(readFileSync(path.join(dir, 'lake', 'ground_truth', 'summary.json'), 'utf8'));
  const rows = Object.values(summary.staging_rows ?? {}).reduce((a, b) => a + Number(b), 0);
  log(`scale ${scale}: generated in ${generated.seconds.toFixed(1)}s (${(folderBytes(path.join(dir, 'lake', 'raw')) / 2 ** 20).toFixed(0)} MB of raw files, ${rows.toLocaleString('en')} staging rows)`);

  const samples = { build: [], buildRss: [], direct: [], directSql: [], directRss: [] };
  let direct;
  for (let run = 1; run <= runs; run++) {
    rmSync(path.join(dir, 'target'), { recursive: true, force: true });
    const build = await mustRun(`shop-build-s${scale}-run${run}`, [cli, 'build', '--project-dir', dir]);
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')).results;
    const bad = results.filter((r) => !['success', 'pass'].includes(r.status));
    if (bad.length) throw new Error(`strata build at scale ${scale}: ${bad.length} nodes not successful: ${bad.slice(0, 5).map((r) => `${r.unique_id} ${r.status}`).join(', ')}`);
    samples.build.push(build.seconds);
    samples.buildRss.push(build.peakRssMb);
    log(`  strata build run ${run}: ${build.seconds.toFixed(2)}s, peak RSS ${build.peakRssMb.toFixed(0)} MB (${results.length} nodes)`);

    // The peer runs the SQL of that cold build (its manifest holds the first-run form of incremental models).
    const directDir = path.join(dir, 'direct');
    rmSync(directDir, { recursive: true, force: true });
    mkdirSync(directDir, { recursive: true });
    const peer = await mustRun(`shop-direct-s${scale}-run${run}`, [path.join(REPO_ROOT, 'bench', 'run-compiled-project.mjs'), '--project-dir', dir, '--db', path.join(directDir, 'shop.duckdb')]);
    direct = JSON.parse(readFileSync(`${peer.logPrefix}.out`, 'utf8').trim().split('\n').at(-1));
    if (direct.failingTests) throw new Error(`the direct run at scale ${scale} found ${direct.failingTests} failing tests`);
    samples.direct.push(peer.seconds);
    samples.directSql.push(direct.seconds);
    samples.directRss.push(peer.peakRssMb);
    log(`  direct DuckDB run ${run}: ${peer.seconds.toFixed(2)}s (SQL alone ${direct.seconds.toFixed(2)}s), peak RSS ${peer.peakRssMb.toFixed(0)} MB`);
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, k.endsWith('Rss') ? Math.max(...v) : median(v)]));
  results.push({ scale, generateSeconds: generated.seconds, stagingRows: rows, nodes: direct.nodes, samples, medians: m });
}

log('');
log(`Median of ${runs} cold run(s) per scale (fresh process, target/ removed); peak RSS is the largest.`);
log('| scale | staging rows | strata build | peak RSS | direct DuckDB (SQL alone) | peak RSS | build / direct |');
log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const m = r.medians;
  log(`| ${r.scale} | ${r.stagingRows.toLocaleString('en')} | ${m.build.toFixed(2)} s | ${m.buildRss.toFixed(0)} MB | ${m.direct.toFixed(2)} s (${m.directSql.toFixed(2)} s) | ${m.directRss.toFixed(0)} MB | ${(m.build / m.direct).toFixed(2)}x |`);
}
log(loadNote());
writeFileSync(path.join(WORK, 'shop-build.json'), JSON.stringify({ runs, load: loadNote(), results }, null, 2) + '\n');
log(`raw figures: ${path.relative(REPO_ROOT, path.join(WORK, 'shop-build.json'))}`);
