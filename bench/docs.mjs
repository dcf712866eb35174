#!/usr/bin/env node
// Docs site at scale: `strata docs generate` on a synthetic project (10,000 models by default), the
// site's size, and the time until its lineage graph is interactive in headless Chromium.
//   node bench/docs.mjs [--models 10000] [--runs 3] [--generate-runs N] [--work bench/work] [--build]
// --build runs `strata run` first, so the catalog step reads real columns from DuckDB.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateProject } from './generate-project.mjs';
import { measureProcess, measurementUnavailable, median, tailOfLogs } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath, strataCommandUnavailable } from './strata-cli.mjs';

const TARGET_MS = 2000;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// The first-load files: what index.html needs before the graph can be drawn.
const FIRST_LOAD = ['index.html', 'style.css', 'app.js', 'selection.js', 'graph-data.js', 'vendor/graphology.umd.min.js', 'vendor/sigma.min.js', 'data/graph.js'];

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    'generate-runs': { type: 'string' },
    work: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'work') },
    build: { type: 'boolean', default: false },
  },
});
const models = Number(values.models);
const runs = Number(values.runs);
const generateRuns = Number(values['generate-runs'] ?? values.runs);
const log = (line) => process.stdout.write(`${line}\n`);

for (const problem of [measurementUnavailable(), strataCommandUnavailable('docs'), existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: apt-get install chromium`]) {
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
}
const cli = strataCliPath();
const project = path.join(path.resolve(values.work), `docs-p${models}`);
if (!existsSync(path.join(project, 'project.yml'))) {
  log(`generating ${models} models into ${project}`);
  generateProject({ models, out: project });
}

// CPU seconds (user + system, all threads) say more than wall time on a machine shared with others.
const strata = async (args, name, timeoutMs = 900_000) => {
  const logPrefix = path.join(project, 'logs', name);
  const cpuFile = `${logPrefix}.cpu`;
  const result = await measureProcess('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, process.execPath, cli, ...args, '--project-dir', project], { cwd: REPO_ROOT, env: { CI: 'true' }, timeoutMs, logPrefix });
  const cpu = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN];
  return { ...result, cpuSeconds: cpu[0] + cpu[1] };
};
const ensureOk = (result, what) => {
  if (result.code !== 0) {
    process.stderr.write(`${what} failed (exit ${result.code}${result.timedOut ? ', timed out' : ''}):\n${tailOfLogs(result.logPrefix)}\n`);
    process.exit(1);
  }
};

if (values.build) {
  log('strata run (so the catalog has columns)...');
  const run = await strata(['run'], 'run');
  ensureOk(run, 'strata run');
  log(`  strata run: ${run.seconds.toFixed(1)} s`);
}

const loadBefore = os.loadavg();
const generations = [];
for (let r = 0; r < generateRuns; r++) {
  const result = await strata(['docs', 'generate'], `docs-generate-${r}`);
  ensureOk(result, 'strata docs generate');
  const summary = readFileSync(`${result.logPrefix}.out`, 'utf8');
  const parts = /compile ([\d.]+)s, catalog ([\d.]+)s, lineage ([\d.]+)s on (\d+) thread/.exec(summary);
  const layout = /layout ([\d.]+)s by ELK/.exec(summary);
  generations.push({ ...result, compile: Number(parts?.[1]), catalog: Number(parts?.[2]), lineage: Number(parts?.[3]), threads: Number(parts?.[4]), layout: Number(layout?.[1]) });
  log(`  docs generate run ${r + 1}: ${result.seconds.toFixed(2)} s wall, ${result.cpuSeconds.toFixed(2)} s CPU, peak RSS ${result.peakRssMb.toFixed(0)} MB (compile ${parts?.[1]} s, catalog ${parts?.[2]} s, lineage ${parts?.[3]} s on ${parts?.[4]} threads, layout ${layout?.[1] ?? '?'} s)`);
}

const docs = path.join(project, 'target', 'docs');
const sizes = { files: 0, bytes: 0 };
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) walk(full);
    else (sizes.files++, (sizes.bytes += stat.size));
  }
};
walk(docs);
const firstLoad = FIRST_LOAD.reduce((sum, f) => sum + statSync(path.join(docs, f)).size, 0);
const graphBytes = statSync(path.join(docs, 'data', 'graph.js')).size;
const searchBytes = statSync(path.join(docs, 'data', 'search.js')).size;
const nodeCount = Number(/Docs site for (\d+) nodes/.exec(readFileSync(`${generations[0].logPrefix}.out`, 'utf8'))?.[1]);

const { chromium } = await import('playwright-core');
const loads = [];
for (let r = 0; r < runs; r++) {
  // A fresh profile each time: nothing cached, as on a first visit.
  const profile = mkdtempSync(path.join(os.tmpdir(), 'strata-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1400, height: 900 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // CPU time of all of this Chromium's processes (renderer, GPU/SwiftShader, browser) while the
    // page loads: a steadier figure than wall time on a shared machine.
    const cpuBefore = chromiumCpuSeconds(profile);
    await page.goto(pathToFileURL(path.join(docs, 'index.html')).href);
    await page.waitForFunction(() => document.body.dataset.graphReady === 'true', null, { timeout: 120_000 });
    const cpuMs = (chromiumCpuSeconds(profile) - cpuBefore) * 1000;
    const load = await page.evaluate(() => ({ interactive: window.strataDocs.interactiveAt, ...window.strataDocs.timings, renderer: window.strataDocs.renderer().getGraph().order }));
    load.cpuMs = cpuMs;
    // Interactions, each timed until its frame is drawn and the main thread is free again.
    const select = await page.evaluate(async (name) => {
      const t = performance.now();
      const result = window.strataDocs.select(`+${name}`);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return { ms: performance.now() - t, nodes: result.nodes.length };
    }, lastModelName(models));
    const clear = await page.evaluate(async () => {
      const t = performance.now();
      window.strataDocs.select('');
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t;
    });
    const zoom = await page.evaluate(async () => {
      const camera = window.strataDocs.renderer().getCamera();
      const t = performance.now();
      camera.setState({ ...camera.getState(), ratio: 0.25 });
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t;
    });
    const searchStarted = Date.now();
    await page.fill('#search', 'm_0500');
    await page.waitForSelector('#results li[data-node]', { timeout: 30_000 });
    const searchMs = Date.now() - searchStarted;
    // With the index loaded: a query matching names of many nodes, one matching only descriptions and columns.
    const typed = await page.evaluate(() => ['m_09', 'updated_at'].map((q) => {
      const t = performance.now();
      const found = window.strataDocs.search(q, 20).length;
      return { q, ms: performance.now() - t, found };
    }));
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const typedMs = Math.max(...typed.map((t) => t.ms));
    loads.push({ ...load, selectMs: select.ms, selected: select.nodes, clearMs: clear, zoomMs: zoom, searchMs, typedMs });
    log(`  chromium run ${r + 1}: interactive at ${load.interactive.toFixed(0)} ms, Chromium CPU ${load.cpuMs.toFixed(0)} ms (data ${load.dataLoaded.toFixed(0)}, graph ${load.graphBuilt.toFixed(0)}, sigma ${load.sigmaReady.toFixed(0)}); select +${lastModelName(models)} (${select.nodes} nodes) ${select.ms.toFixed(0)} ms, show all ${clear.toFixed(0)} ms, zoom ${zoom.toFixed(0)} ms, first search ${searchMs} ms, then a search ${typedMs.toFixed(1)} ms`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const med = (key, list) => median(list.map((x) => x[key]));
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const interactive = med('interactive', loads);
log('');
log(`| models | nodes | docs generate | CPU | peak RSS | compile | catalog | lineage | layout | site | files | first load | graph.js | search.js |`);
log(`|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
log(`| ${models.toLocaleString('en')} | ${nodeCount.toLocaleString('en')} | ${med('seconds', generations).toFixed(2)} s | ${med('cpuSeconds', generations).toFixed(2)} s | ${Math.max(...generations.map((g) => g.peakRssMb)).toFixed(0)} MB | ${med('compile', generations).toFixed(2)} s | ${med('catalog', generations).toFixed(2)} s | ${med('lineage', generations).toFixed(2)} s (${generations[0].threads} threads) | ${med('layout', generations).toFixed(2)} s | ${mb(sizes.bytes)} | ${sizes.files} | ${mb(firstLoad)} | ${mb(graphBytes)} | ${mb(searchBytes)} |`);
log('');
log(`| interactive (median) | runs | Chromium CPU until then | data loaded | graph built | sigma ready | select | show all | zoom | first search | next search |`);
log(`|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
log(`| ${(interactive / 1000).toFixed(2)} s | ${loads.map((l) => (l.interactive / 1000).toFixed(2)).join(', ')} | ${med('cpuMs', loads).toFixed(0)} ms | ${med('dataLoaded', loads).toFixed(0)} ms | ${med('graphBuilt', loads).toFixed(0)} ms | ${med('sigmaReady', loads).toFixed(0)} ms | ${med('selectMs', loads).toFixed(0)} ms | ${med('clearMs', loads).toFixed(0)} ms | ${med('zoomMs', loads).toFixed(0)} ms | ${med('searchMs', loads).toFixed(0)} ms | ${med('typedMs', loads).toFixed(1)} ms |`);
log('');
log(`load average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.availableParallelism()} cores)`);
log(`Target, graph interactive in under 2 s at ${models.toLocaleString('en')} models: ${interactive < TARGET_MS ? 'PASS' : 'FAIL'} (${(interactive / 1000).toFixed(2)} s)`);

/** User + system seconds of every process whose command line names this Chromium's profile folder. */
function chromiumCpuSeconds(profile) {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profile)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

function lastModelName(n) {
  return `m_${String(n - 1).padStart(5, '0')}`;
}
