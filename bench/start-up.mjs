#!/usr/bin/env node
// Start-up of the Strata CLI against a bare Node start, side by side:
//   `node -e 0`                        against `strata --version`
//   `strata parse`                     of a 50-model and a 10,000-model synthetic project (target/ removed first)
//   `strata extract` of a 1,000-row MariaDB table: time from spawn to the first query the server receives,
//                                      against the MariaDB client's (`mariadb -e 'select 1'`) through the same proxy
// Wall seconds (measured here around the spawn) and CPU seconds (user + system, GNU time), medians of --runs.
// On a shared machine the CPU figures are the guide; the 1-minute load average is printed with each row.
//   node bench/start-up.mjs [--runs 5] [--baseline OTHER/cli/bin.js] [--skip-extract] [--skip-10000] [--work DIR]
// --baseline runs another build right after each run of this one (before/after under the same load).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startMariaDb } from './bench-mariadb.mjs';
import { generateProject } from './generate-project.mjs';
import { measurementUnavailable, median } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath } from './strata-cli.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    baseline: { type: 'string' },
    'skip-extract': { type: 'boolean', default: false },
    'skip-10000': { type: 'boolean', default: false },
    work: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const work = path.resolve(args.work ?? path.join(REPO_ROOT, 'bench/work/start-up'));
const PASSWORD = 'bench-password';
const unavailable = measurementUnavailable();
if (unavailable) {
  console.error(unavailable);
  process.exit(1);
}
const cli = strataCliPath();
if (!cli || !existsSync(cli)) {
  console.error('the Strata CLI is not built: run `npm ci && npm run build` first (or set STRATA_CLI)');
  process.exit(1);
}
const builds = [{ name: 'strata', cli }, ...(args.baseline ? [{ name: 'baseline', cli: path.resolve(args.baseline) }] : [])];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/** Runs `command args` once under GNU time; resolves { wall, cpu } (seconds), rejects when it fails. */
function timed(command, commandArgs, { cwd, env } = {}) {
  const timeFile = path.join(work, `time-${process.pid}.txt`);
  rmSync(timeFile, { force: true });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, command, ...commandArgs], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000;
      const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      if (code !== 0) reject(new Error(`${command} ${commandArgs.join(' ')} exited ${code}:\n${output.slice(-3000)}`));
      else resolve({ wall, cpu: user + sys });
    });
  });
}

const rows = [];
/** Measures `run()` (returning { wall, cpu, ...extra }) RUNS times per build, alternating builds; records the medians. */
async function measure(label, peer, run, extraKeys = []) {
  const samples = new Map(builds.map((b) => [b.name, []]));
  const peerSamples = [];
  const loads = [];
  for (let i = 0; i < RUNS; i++) {
    if (peer) peerSamples.push(await peer.run());
    for (const b of builds) samples.get(b.name).push(await run(b.cli));
    loads.push(Number(load()));
  }
  const med = (list, key) => median(list.map((s) => s[key]));
  const row = { label, peer: peer && { label: peer.label, wall: med(peerSamples, 'wall'), cpu: med(peerSamples, 'cpu'), ...Object.fromEntries(extraKeys.map((k) => [k, med(peerSamples, k)])) }, load: `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}` };
  for (const b of builds) row[b.name] = { wall: med(samples.get(b.name), 'wall'), cpu: med(samples.get(b.name), 'cpu'), ...Object.fromEntries(extraKeys.map((k) => [k, med(samples.get(b.name), k)])) };
  rows.push(row);
  print(row, extraKeys);
}

const s = (n) => (Number.isFinite(n) ? `${n.toFixed(3)} s` : '-');
function print(row, extraKeys) {
  const parts = [];
  if (row.peer) parts.push(`${row.peer.label}: wall ${s(row.peer.wall)}, CPU ${s(row.peer.cpu)}${extraKeys.map((k) => `, ${k} ${s(row.peer[k])}`).join('')}`);
  for (const b of builds) parts.push(`${b.name}: wall ${s(row[b.name].wall)}, CPU ${s(row[b.name].cpu)}${extraKeys.map((k) => `, ${k} ${s(row[b.name][k])}`).join('')}`);
  console.log(`${row.label} (median of ${RUNS}, load ${row.load})\n  ${parts.join('\n  ')}`);
}

mkdirSync(work, { recursive: true });
console.log(`strata: ${cli}${args.baseline ? `\nbaseline: ${builds[1].cli}` : ''}\nnode ${process.version}, load ${load()}`);
const bareNode = { label: 'node -e 0', run: () => timed(process.execPath, ['-e', '0']) };
await measure('--version', bareNode, (bin) => timed(process.execPath, [bin, '--version']));

for (const models of [50, ...(args['skip-10000'] ? [] : [10000])]) {
  const dir = path.join(work, `p${models}`);
  if (!existsSync(path.join(dir, 'project.yml'))) generateProject({ models, out: dir });
  await measure(`parse, ${models.toLocaleString('en-US')} models`, models === 50 ? bareNode : undefined, (bin) => {
    rmSync(path.join(dir, 'target'), { recursive: true, force: true });
    return timed(process.execPath, [bin, 'parse'], { cwd: dir });
  });
}

if (!args['skip-extract']) {
  if (spawnSync('which', ['mariadbd', 'mariadb-install-db'], { stdio: 'ignore' }).status !== 0 && !existsSync('/usr/sbin/mariadbd')) {
    console.log('extract: skipped (no mariadbd here: apt-get install mariadb-server)');
  } else {
    await measureExtract();
  }
}

/** The bench's mariadbd with a user and a 1,000-row table. */
async function startMariaDbWithOrders(dir) {
  const db = await startMariaDb(dir);
  const { sql } = db;
  sql(`create user 'strata'@'127.0.0.1' identified by '${PASSWORD}'; grant all on *.* to 'strata'@'127.0.0.1'; create database shop;
    create table shop.orders (order_id bigint primary key, customer_id bigint, status varchar(20), total_amount decimal(12,2), updated_at timestamp(6) null) engine=InnoDB;`);
  sql(`insert into orders select seq, 1 + seq % 200, elt(1 + seq % 4, 'placed', 'paid', 'shipped', 'delivered'), (seq % 50000) / 100,
    timestamp '2024-01-01 00:00:00' + interval seq second from seq_1_to_1000;`, 'shop');
  return db;
}

/**
 * A TCP proxy in front of the server that notes, for the process started last (`arm(t0)`), when
 * it connected and when its first query (COM_QUERY or COM_STMT_PREPARE) went to the server, in
 * seconds after t0.
 */
async function queryWatch(upstreamPort) {
  let t0 = 0;
  let seen = {};
  const sockets = new Set();
  const server = net.createServer((client) => {
    seen.connect ??= (performance.now() - t0) / 1000;
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      if (seen.query !== undefined) return;
      pending = Buffer.concat([pending, chunk]);
      // MySQL packets: 3-byte little-endian length, sequence id, payload (its first byte the command).
      while (pending.length >= 5) {
        const length = pending.readUIntLE(0, 3);
        const sequence = pending[3];
        const command = pending[4];
        if (sequence === 0 && (command === 0x03 || command === 0x16)) {
          seen.query = (performance.now() - t0) / 1000;
          break;
        }
        if (pending.length < 4 + length) break;
        pending = pending.subarray(4 + length);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    arm: (start) => {
      t0 = start;
      seen = {};
    },
    seen: () => seen,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function measureExtract() {
  const db = await startMariaDbWithOrders(path.join(work, 'mariadb'));
  const watch = await queryWatch(db.port);
  try {
    const project = path.join(work, 'extract');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(path.join(project, 'models'), { recursive: true });
    writeFileSync(path.join(project, 'project.yml'), 'name: bench\nversion: "1.0"\n');
    writeFileSync(
      path.join(project, 'models/sources.yml'),
      `sources:
  - name: shop_mysql
    loader: {type: mysql, host: 127.0.0.1, port: ${watch.port}, user: strata, password: '{{env "BENCH_MYSQL_PASSWORD"}}', database: shop}
    tables:
      - name: orders
        loader: {primary_key: order_id, cursor_field: updated_at}
`,
    );
    /** Runs a command, the proxy armed at its spawn; adds the connect and first-query times. */
    const watched = async (command, commandArgs, options) => {
      watch.arm(performance.now());
      const result = await timed(command, commandArgs, options);
      const { connect, query } = watch.seen();
      if (query === undefined) throw new Error(`${command} ${commandArgs.join(' ')} sent no query through the proxy`);
      return { ...result, connect, query };
    };
    const client = {
      label: "mariadb -e 'select 1'",
      run: () => watched('mariadb', ['--protocol=tcp', '-h127.0.0.1', `-P${watch.port}`, '-ustrata', `-p${PASSWORD}`, '-e', 'select 1']),
    };
    await measure('extract, 1,000 rows: seconds to the first query', client, (bin) => {
      for (const dir of ['lake', 'target']) rmSync(path.join(project, dir), { recursive: true, force: true });
      return watched(process.execPath, [bin, 'extract', '--full-refresh'], { cwd: project, env: { BENCH_MYSQL_PASSWORD: PASSWORD } });
    }, ['connect', 'query']);
  } finally {
    await watch.close();
    await db.stop();
  }
}
