#!/usr/bin/env node
// Cold `strata parse` / `strata compile` against `dataform compile --json` on the same synthetic graphs.
//   node bench/parse-compile.mjs [--sizes 1000,10000] [--runs 3] [--skip-dataform] [--work bench/work] [--delete-targets]
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { dataformCliPath, ensureDataformToolchain, pinnedVersions } from './dataform-toolchain.mjs';
import { generateProject } from './generate-project.mjs';
import { measureProcess, measurementUnavailable, median, tailOfLogs } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath, strataCommandUnavailable } from './strata-cli.mjs';

const TARGET_SECONDS = 1;
const TARGET_SIZE = 10_000;
// One Dataform run is enough when it is this slow; the spread between runs is small next to it.
const SLOW_SINGLE_RUN_SECONDS = 100;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '3' },
    'skip-dataform': { type: 'boolean', default: false },
    work: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'work') },
    // Delete target/ before each run instead of moving it aside (see cleanTarget).
    'delete-targets': { type: 'boolean', default: false },
  },
});
const WORK = path.resolve(values.work);
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const log = (line) => process.stdout.write(`${line}\n`);
const loadBefore = loadavg()[0];
// Anything else running on the machine skews timings: say how busy it was.
const loadNote = () => `1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after, on ${availableParallelism()} cores`;

const unmeasurable = measurementUnavailable();
if (unmeasurable) {
  log(unmeasurable);
  process.exit(2);
}
const strataMissing = strataCommandUnavailable('parse') ?? strataCommandUnavailable('compile');
if (strataMissing) log(`Strata not measured: ${strataMissing}`);
const withDataform = !values['skip-dataform'];
if (withDataform) ensureDataformToolchain(log);

/** Measures `runs` fresh processes; `prepare` runs untimed before each. Stops early when `singleIfSlower` is exceeded. */
async function measureRuns(label, command, args, { prepare, timeoutMs, singleIfSlower, env, cwd }) {
  const samples = [];
  for (let run = 1; run <= runs; run++) {
    prepare?.();
    const logPrefix = path.join(WORK, 'logs', `${label}-run${run}`);
    // CPU seconds (user, system) of the process and its threads: steadier than wall time on a shared machine.
    const cpuFile = `${logPrefix}.cpu`;
    rmSync(cpuFile, { force: true });
    const result = await measureProcess('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, command, ...args], { cwd, env, timeoutMs, logPrefix });
    if (result.timedOut || result.code !== 0) {
      const why = result.timedOut ? `timed out after ${timeoutMs / 1000}s` : `exited ${result.code}`;
      return { label, error: `${why}\n${tailOfLogs(result.logPrefix)}`, samples };
    }
    const [user, system] = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN];
    Object.assign(result, { userSeconds: user, systemSeconds: system, load: loadavg()[0] });
    samples.push(result);
    log(`  ${label} run ${run}: ${result.seconds.toFixed(2)}s, CPU ${user.toFixed(2)} user + ${system.toFixed(2)} sys, peak RSS ${result.peakRssMb.toFixed(0)} MB, load ${result.load.toFixed(2)}`);
    if (singleIfSlower && result.seconds > singleIfSlower) {
      log(`  ${label}: one run only (over ${singleIfSlower}s)`);
      break;
    }
  }
  return {
    label,
    samples,
    seconds: median(samples.map((s) => s.seconds)),
    userSeconds: median(samples.map((s) => s.userSeconds ?? NaN)),
    systemSeconds: median(samples.map((s) => s.systemSeconds ?? NaN)),
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
}

/**
 * The floor (parse-compile-floor.mjs): Node's start-up (`node -e 0`), and in a process doing nothing
 * else, reading the project's files, JSON.stringify of the manifests Strata wrote and writing them,
 * and writing the compiled files. Medians of `runs` runs each. What a run wrote is moved into the
 * trash folder after it (deleted when the bench ends, as the moved-aside targets are).
 */
async function measureFloor(strataDir, floorDir, trash) {
  const start = await measureRuns('node-start', process.execPath, ['-e', '0'], { cwd: REPO_ROOT, timeoutMs: 60_000 });
  if (start.error) return { error: start.error };
  const script = path.join(REPO_ROOT, 'bench', 'parse-compile-floor.mjs');
  const out = path.join(floorDir, 'out');
  const moveOutAside = () => moveAside(out, trash);
  const parts = {};
  for (const mode of ['parse', 'compile']) {
    const args = [script, mode, strataDir, path.join(floorDir, `manifest-${mode}.json`), out, ...(mode === 'compile' ? [path.join(strataDir, 'target', 'compiled')] : [])];
    const measured = await measureRuns(`${path.basename(floorDir)}-${mode}`, process.execPath, args, { cwd: REPO_ROOT, prepare: moveOutAside, timeoutMs: 300_000 });
    if (measured.error) return { error: measured.error };
    const samples = measured.samples.map((s) => JSON.parse(readFileSync(`${s.logPrefix}.out`, 'utf8').trim().split('\n').at(-1)));
    const mid = (key) => median(samples.map((s) => s[key]));
    parts[mode] = { files: samples[0].files, readMs: mid('readMs'), manifestBytes: samples[0].manifestBytes, stringifyMs: mid('stringifyMs'), writeMs: mid('writeMs'), compiledFiles: samples[0].compiledFiles, compiledMs: mid('compiledMs') };
    log(`  floor ${mode}: read ${parts[mode].files} files ${parts[mode].readMs.toFixed(0)} ms, stringify ${(parts[mode].manifestBytes / 1e6).toFixed(0)} MB ${parts[mode].stringifyMs.toFixed(0)} ms, write ${parts[mode].writeMs.toFixed(0)} ms${mode === 'compile' ? `, ${parts[mode].compiledFiles} compiled files ${parts[mode].compiledMs.toFixed(0)} ms` : ''}`);
  }
  moveOutAside();
  const seconds = (mode) => start.seconds + (parts[mode].readMs + parts[mode].stringifyMs + parts[mode].writeMs + parts[mode].compiledMs) / 1000;
  return { startSeconds: start.seconds, ...parts, parseSeconds: seconds('parse'), compileSeconds: seconds('compile') };
}

/** Moves a folder, if there is one, into the trash folder, which is deleted when the bench ends (see cleanTarget for why not now). */
function moveAside(dir, trash) {
  if (!existsSync(dir)) return;
  mkdirSync(trash, { recursive: true });
  renameSync(dir, path.join(trash, `${path.basename(dir)}-${process.pid}-${Date.now()}`));
}

/** Compiled models, and compiled generic tests (dbt's layout: under a folder named after their YAML file). */
function countCompiled(dir) {
  if (!existsSync(dir)) return { models: 0, tests: 0 };
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.sql'));
  const tests = files.filter((f) => /\.ya?ml[\\/]/.test(f)).length;
  return { models: files.length - tests, tests };
}

const results = [];
for (const size of sizes) {
  const strataDir = path.join(WORK, `p${size}`, 'strata');
  const dataformDir = path.join(WORK, `p${size}`, 'dataform');
  const started = performance.now();
  generateProject({ models: size, out: strataDir, dataform: withDataform ? dataformDir : undefined });
  log(`generated ${size} models in ${((performance.now() - started) / 1000).toFixed(1)}s: ${path.relative(REPO_ROOT, strataDir)}${withDataform ? `, ${path.relative(REPO_ROOT, dataformDir)}` : ''}`);
  const row = { size };
  if (!strataMissing) {
    const cli = strataCliPath();
    // Cold: no target/ at all. By default the old one is moved aside and deleted when the bench ends:
    // on this VM's ext4 (no journal), creating files within minutes of deleting as many makes the kernel
    // scan the recently deleted inodes on each create (recently_deleted in ext4's inode allocator), so a
    // compile right after `rm -rf target` took 15-30 s of system time where one on a fresh disk takes 1-2 s.
    const trash = path.join(WORK, 'trash');
    const cleanTarget = () => {
      const target = path.join(strataDir, 'target');
      if (values['delete-targets']) return rmSync(target, { recursive: true, force: true });
      moveAside(target, trash);
    };
    process.on('exit', () => rmSync(trash, { recursive: true, force: true }));
    const floorDir = path.join(WORK, `floor-${size}`);
    mkdirSync(floorDir, { recursive: true });
    for (const command of ['parse', 'compile']) {
      row[command] = await measureRuns(`strata-${command}-${size}`, process.execPath, [cli, command, '--project-dir', strataDir], { cwd: REPO_ROOT, prepare: cleanTarget, timeoutMs: 120_000 });
      // The manifest of this command, for the floor below.
      if (!row[command].error) copyFileSync(path.join(strataDir, 'target', 'manifest.json'), path.join(floorDir, `manifest-${command}.json`));
    }
    // Each model's YAML entry declares two tests (unique, not_null on id), which compile renders too.
    const compiled = countCompiled(path.join(strataDir, 'target', 'compiled'));
    if (!row.parse.error && !row.compile.error) row.floor = await measureFloor(strataDir, floorDir, trash);
    // Warm: target/ of the last compile left in place, so target/partial_parse.jsonl holds every file's analysis.
    row.warmParse = await measureRuns(`strata-parse-warm-${size}`, process.execPath, [cli, 'parse', '--project-dir', strataDir], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    // The same without writing manifest.json (dbt's --no-write-json): what the artifact costs a parse.
    row.warmNoJson = await measureRuns(`strata-parse-warm-no-write-json-${size}`, process.execPath, [cli, 'parse', '--no-write-json', '--project-dir', strataDir], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    if (!row.compile.error && (compiled.models !== size || compiled.tests !== 2 * size)) {
      row.compile.error = `expected ${size} compiled models and ${2 * size} compiled tests in target/compiled, found ${compiled.models} and ${compiled.tests}`;
    }
  }
  if (withDataform) {
    // --timeout: the CLI's own compile limit is 60 s by default, which 10,000 models exceed.
    row.dataform = await measureRuns(`dataform-compile-${size}`, process.execPath, [dataformCliPath(), 'compile', '--json', '--timeout', '20m', dataformDir], {
      cwd: REPO_ROOT,
      env: { npm_config_offline: 'true' },
      timeoutMs: 25 * 60_000,
      singleIfSlower: SLOW_SINGLE_RUN_SECONDS,
    });
    if (!row.dataform.error) {
      const out = JSON.parse(readFileSync(`${row.dataform.samples[0].logPrefix}.out`, 'utf8'));
      const errors = out.graphErrors?.compilationErrors?.length ?? 0;
      if (out.tables?.length !== size || errors) row.dataform.error = `expected ${size} tables and no errors, got ${out.tables?.length} tables, ${errors} compilation errors`;
      row.dataform.assertions = out.assertions?.length ?? 0;
    }
  }
  results.push(row);
}

const fmt = (m) => (!m ? 'not measured' : m.error ? 'FAILED' : `${m.seconds.toFixed(2)}s`);
const mem = (m) => (!m || m.error ? '' : `${m.peakRssMb.toFixed(0)} MB`);
const ratio = (peer, own) => (peer && own && !peer.error && !own.error ? `${(peer.seconds / own.seconds).toFixed(1)}x` : '');
const lines = [
  '| models | strata parse | peak RSS | strata compile | peak RSS | dataform compile --json | peak RSS | dataform / strata compile | dataform / strata parse |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of results) {
  const runsNote = r.dataform && !r.dataform.error ? ` (${r.dataform.samples.length} run${r.dataform.samples.length === 1 ? '' : 's'})` : '';
  lines.push(`| ${r.size.toLocaleString('en-US')} | ${fmt(r.parse)} | ${mem(r.parse)} | ${fmt(r.compile)} | ${mem(r.compile)} | ${fmt(r.dataform)}${runsNote} | ${mem(r.dataform)} | ${ratio(r.dataform, r.compile)} | ${ratio(r.dataform, r.parse)} |`);
}
log('');
log(`Strata: median of ${runs} cold runs (a fresh node process each, target/ ${values['delete-targets'] ? 'deleted' : 'moved aside'} first). Dataform ${withDataform ? `CLI ${pinnedVersions().cli}, core ${pinnedVersions().core}` : 'skipped'}.`);
log(lines.join('\n'));
const cpu = (m) => (!m || m.error ? '' : `${m.userSeconds.toFixed(2)} + ${m.systemSeconds.toFixed(2)} s`);
log('\n| models | strata parse CPU (user + sys) | strata compile CPU (user + sys) | warm strata parse (partial_parse.jsonl) | its CPU (user + sys) | warm parse --no-write-json | its CPU (user + sys) |\n|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) log(`| ${r.size.toLocaleString('en-US')} | ${cpu(r.parse)} | ${cpu(r.compile)} | ${fmt(r.warmParse)} | ${cpu(r.warmParse)} | ${fmt(r.warmNoJson)} | ${cpu(r.warmNoJson)} |`);
const ms = (v) => `${(v / 1000).toFixed(2)}s`;
log('\nFloor: what no tool writing these artifacts can skip here (parse-compile-floor.mjs; medians).');
log('| models | Node start | read the files | JSON.stringify parse manifest | write it | compile manifest: stringify + write | write the compiled files | floor parse | strata parse / floor | floor compile | strata compile / floor |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const f = r.floor;
  if (!f || f.error) {
    log(`| ${r.size.toLocaleString('en-US')} | ${f?.error ? 'FAILED' : 'not measured'} |`);
    continue;
  }
  log(`| ${r.size.toLocaleString('en-US')} | ${f.startSeconds.toFixed(2)}s | ${ms(f.parse.readMs)} (${f.parse.files} files) | ${ms(f.parse.stringifyMs)} (${(f.parse.manifestBytes / 1e6).toFixed(0)} MB) | ${ms(f.parse.writeMs)} | ${ms(f.compile.stringifyMs + f.compile.writeMs)} (${(f.compile.manifestBytes / 1e6).toFixed(0)} MB) | ${ms(f.compile.compiledMs)} (${f.compile.compiledFiles} files) | ${f.parseSeconds.toFixed(2)}s | ${(r.parse.seconds / f.parseSeconds).toFixed(1)}x | ${f.compileSeconds.toFixed(2)}s | ${(r.compile.seconds / f.compileSeconds).toFixed(1)}x |`);
}
log(loadNote());
for (const r of results) for (const m of [r.parse, r.compile, r.warmParse, r.warmNoJson, r.dataform, r.floor]) if (m?.error) log(`\n${m.label ?? 'floor'} failed: ${m.error}`);

const target = results.find((r) => r.size === TARGET_SIZE);
let verdict = `target (${TARGET_SIZE.toLocaleString('en-US')} models parsed and compiled in under ${TARGET_SECONDS}s): `;
if (!target || !target.compile || target.compile.error || target.parse.error) verdict += 'NOT MEASURED';
else verdict += target.compile.seconds < TARGET_SECONDS && target.parse.seconds < TARGET_SECONDS ? `PASS (compile ${target.compile.seconds.toFixed(2)}s)` : `FAIL (compile ${target.compile.seconds.toFixed(2)}s)`;
log(`\n${verdict}`);
writeFileSync(path.join(WORK, 'parse-compile.json'), JSON.stringify({ runs, load: loadNote(), results, verdict }, null, 2) + '\n');
log(`raw figures: ${path.relative(REPO_ROOT, path.join(WORK, 'parse-compile.json'))}`);
process.exitCode = results.some((r) => r.parse?.error || r.compile?.error || r.warmParse?.error || r.warmNoJson?.error || r.dataform?.error || r.floor?.error) ? 1 : 0;
