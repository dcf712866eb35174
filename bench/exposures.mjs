#!/usr/bin/env node
// What exposures cost: cold `strata parse` of the synthetic project without and with an exposures
// file, and `strata ls -s +exposure:<one>` (the upstream walk from one exposure).
//   node bench/exposures.mjs [--models 10000] [--exposures 1000] [--runs 3] [--work bench/work/exposures]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateProject } from './generate-project.mjs';
import { median, measurementUnavailable } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath, strataCommandUnavailable } from './strata-cli.mjs';
import { createRandom, modelName } from './synthetic-graph.mjs';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '10000' },
    exposures: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    work: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'work', 'exposures') },
  },
});
const MODELS = Number(values.models);
const EXPOSURES = Number(values.exposures);
const RUNS = Number(values.runs);
const WORK = path.resolve(values.work);
const log = (line) => process.stdout.write(`${line}\n`);

const unavailable = measurementUnavailable() ?? strataCommandUnavailable('parse');
if (unavailable) {
  log(unavailable);
  process.exit(2);
}
const cli = strataCliPath();

/** Each exposure reads 1 to 5 models, from anywhere in the graph (seeded, so runs compare). */
function exposuresYaml(count, models) {
  const random = createRandom(7);
  const types = ['dashboard', 'notebook', 'analysis', 'ml', 'application'];
  const lines = ['version: 2', 'exposures:'];
  for (let i = 0; i < count; i++) {
    lines.push(`  - name: e_${String(i).padStart(5, '0')}`, `    type: ${types[i % types.length]}`, '    maturity: medium', `    url: https://bi.example.com/d/${i}`, '    owner: {name: Analytics, email: analytics@example.com}', '    depends_on:');
    const reads = random.int(1, 5);
    for (let k = 0; k < reads; k++) lines.push(`      - ref('${modelName(random.int(0, models - 1))}')`);
  }
  return `${lines.join('\n')}\n`;
}

/** One fresh process under GNU time: wall seconds, CPU seconds (user+sys) and peak RSS of the process. */
function timed(args, cwd) {
  const timeFile = path.join(WORK, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`strata ${args.join(' ')} exited ${result.status}:\n${(result.stderr || result.stdout).slice(-2000)}`);
  const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: result.stdout };
}

function measure(label, args, cwd) {
  const samples = [];
  for (let run = 1; run <= RUNS; run++) {
    rmSync(path.join(cwd, 'target'), { recursive: true, force: true });
    const sample = timed(args, cwd);
    samples.push(sample);
    log(`  ${label} run ${run}: ${sample.wall.toFixed(2)} s wall, ${sample.cpu.toFixed(2)} s CPU, ${sample.rssMb.toFixed(0)} MB (load ${loadavg()[0].toFixed(2)})`);
  }
  return { label, wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)), rssMb: Math.max(...samples.map((s) => s.rssMb)), last: samples.at(-1) };
}

const loadBefore = loadavg()[0];
const dir = path.join(WORK, `strata-${MODELS}`);
if (!existsSync(path.join(dir, 'project.yml'))) {
  log(`Generating ${MODELS.toLocaleString('en')} models in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  generateProject({ models: MODELS, out: dir });
}
const exposuresFile = path.join(dir, 'models', 'exposures.yml');
rmSync(exposuresFile, { force: true });
const without = measure('parse, no exposures', ['parse'], dir);
writeFileSync(exposuresFile, exposuresYaml(EXPOSURES, MODELS));
const withExposures = measure(`parse, ${EXPOSURES} exposures`, ['parse'], dir);
const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8'));
const written = Object.keys(manifest.exposures).length;
if (written !== EXPOSURES) throw new Error(`the manifest has ${written} exposures, not ${EXPOSURES}`);
const upstream = measure('ls -s +exposure:e_00000', ['ls', '-s', '+exposure:e_00000', '--resource-type', 'model', 'exposure', '--output', 'name'], dir);
const listed = upstream.last.stdout.trim().split('\n').filter(Boolean).length;
rmSync(exposuresFile, { force: true });

log('');
log(`${MODELS.toLocaleString('en')} models; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after, on ${availableParallelism()} cores; medians of ${RUNS} cold runs`);
log('');
log('| | wall | CPU (user+sys) | peak RSS |');
log('|---|---:|---:|---:|');
for (const r of [without, withExposures, upstream]) log(`| ${r.label} | ${r.wall.toFixed(2)} s | ${r.cpu.toFixed(2)} s | ${r.rssMb.toFixed(0)} MB |`);
log('');
log(`${EXPOSURES} exposures add ${(withExposures.cpu - without.cpu).toFixed(2)} s CPU to parse (${(((withExposures.cpu - without.cpu) / without.cpu) * 100).toFixed(1)}%); +exposure:e_00000 lists ${listed} nodes.`);
