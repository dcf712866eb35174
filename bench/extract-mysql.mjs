// `strata extract` of an orders table from MariaDB into the Parquet lake, against the MariaDB
// client dumping the same table (`mariadb --batch --quick -e 'select ...' > file`): wall time,
// rows per second and peak RSS of each, per table size, so that memory can be seen to stay flat.
//
//   node bench/extract-mysql.mjs [--rows 1000000,5000000] [--runs 1] [--work DIR] [--baseline CLI]
//
// --baseline CLI: also runs that build's `cli/bin.js` on the same table, alternating with this one
// run by run (before/after figures under the same load), reported on a line of its own.
// Starts its own mariadbd on 127.0.0.1 (a free port, data under the work folder) and stops it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMariaDb } from './bench-mariadb.mjs';
import { measureProcess, measurementUnavailable, median, tailOfLogs } from './measure-process.mjs';
import { REPO_ROOT, strataCliPath } from './strata-cli.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const sizes = (args.rows ?? '1000000,5000000').split(',').map(Number);
const runs = Number(args.runs ?? 1);
const work = path.resolve(args.work ?? path.join(REPO_ROOT, 'bench/work/extract-mysql'));
const PASSWORD = 'bench-password';

const unavailable = measurementUnavailable();
if (unavailable) {
  console.error(unavailable);
  process.exit(1);
}

const COLUMNS = `order_id bigint primary key, customer_id bigint, session_id varchar(36), sales_channel varchar(20), marketplace varchar(20), status varchar(20),
  currency char(3), shipping_country_code char(2), shipping_address_id bigint, items_amount decimal(12,2), discount_amount decimal(12,2),
  shipping_amount decimal(12,2), total_amount decimal(12,2), discount_code varchar(20), placed_at timestamp(6) null, updated_at timestamp(6) null`;

/** The orders table with `rows` rows shaped like the shop generator's, filled in batches. */
function fillOrders(db, rows) {
  db.sql(`drop database if exists shop; create database shop; create table shop.orders (${COLUMNS}) engine=InnoDB;`);
  const batch = 500_000;
  for (let from = 1; from <= rows; from += batch) {
    const to = Math.min(rows, from + batch - 1);
    db.sql(
      `insert into shop.orders select seq, 1 + seq % 200000, uuid(), elt(1 + seq % 3, 'web', 'app', 'marketplace'), if(seq % 3 = 2, elt(1 + seq % 2, 'amazon', 'zalando'), null),
         elt(1 + seq % 4, 'placed', 'paid', 'shipped', 'delivered'), elt(1 + seq % 3, 'EUR', 'GBP', 'USD'), elt(1 + seq % 5, 'DE', 'FR', 'GB', 'NL', 'US'), seq * 2,
         (seq % 50000) / 100, (seq % 500) / 100, 4.99, (seq % 50000) / 100 - (seq % 500) / 100 + 4.99, if(seq % 7 = 0, concat('SAVE', seq % 30), null),
         timestamp '2024-01-01 00:00:00' + interval seq second, timestamp '2024-01-01 00:00:00' + interval seq second + interval 3 hour
       from seq_${from}_to_${to};`,
      'shop',
    );
  }
  db.sql('analyze table shop.orders;');
}

function projectFiles(dir, port) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  writeFileSync(path.join(dir, 'project.yml'), 'name: bench\nversion: "1.0"\n');
  writeFileSync(
    path.join(dir, 'models/sources.yml'),
    `sources:
  - name: shop_mysql
    loader: {type: mysql, host: 127.0.0.1, port: ${port}, user: strata, password: '{{env "BENCH_MYSQL_PASSWORD"}}', database: shop}
    tables:
      - name: orders
        loader: {primary_key: order_id, cursor_field: updated_at}
`,
  );
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

/**
 * Runs a command under measureProcess (wall time, peak RSS of the process tree), inside GNU time
 * for its CPU seconds, and reads mariadbd's CPU seconds around it: on a busy machine CPU time
 * says more than wall time.
 */
async function measured(name, command, commandArgs, env, cwd) {
  const cpuFile = path.join(work, `logs/${name}.cpu`);
  const serverBefore = db.cpuSeconds();
  const result = await measureProcess('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, command, ...commandArgs], { cwd, env, timeoutMs: 1_800_000, logPrefix: path.join(work, `logs/${name}`) });
  if (result.code !== 0) throw new Error(`${name} failed:\n${tailOfLogs(result.logPrefix)}`);
  const [user, system] = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN];
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  return { ...result, cpuSeconds: user + system, serverCpuSeconds: db.cpuSeconds() - serverBefore, load };
}
const cli = strataCliPath();
const db = await startMariaDb(path.join(work, 'mariadb'), ['--innodb-buffer-pool-size=2G', '--innodb-flush-log-at-trx-commit=2', '--innodb-log-file-size=512M']);
const results = [];
try {
  db.sql(`create user 'strata'@'127.0.0.1' identified by '${PASSWORD}'; grant all on *.* to 'strata'@'127.0.0.1';`);
  for (const rows of sizes) {
    const loadStarted = Date.now();
    fillOrders(db, rows);
    console.error(`filled ${fmt(rows)} orders in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
    const dumps = [];
    const extracts = [];
    const baselines = [];
    for (let run = 0; run < runs; run++) {
      const dumpFile = path.join(work, `dump-${rows}.tsv`);
      const dump = await measured(`dump-${rows}-${run}`, '/bin/sh', ['-c', `mariadb --batch --quick -h127.0.0.1 -P${db.port} -ustrata -p"$BENCH_MYSQL_PASSWORD" shop -e 'select * from orders' > ${dumpFile}`], { BENCH_MYSQL_PASSWORD: PASSWORD }, work);
      dumps.push({ ...dump, bytes: statSync(dumpFile).size });
      rmSync(dumpFile, { force: true });
      const project = path.join(work, `project-${rows}`);
      projectFiles(project, db.port);
      const extract = await measured(`extract-${rows}-${run}`, process.execPath, [cli, 'extract', '--project-dir', project], { BENCH_MYSQL_PASSWORD: PASSWORD, CI: 'true' }, project);
      const lakeBytes = Number(spawnSync('du', ['-sb', path.join(project, 'lake')], { encoding: 'utf8' }).stdout.split('\t')[0]);
      extracts.push({ ...extract, bytes: lakeBytes });
      if (args.baseline) {
        projectFiles(project, db.port);
        const baseline = await measured(`baseline-${rows}-${run}`, process.execPath, [path.resolve(args.baseline), 'extract', '--project-dir', project], { BENCH_MYSQL_PASSWORD: PASSWORD, CI: 'true' }, project);
        baselines.push({ ...baseline, bytes: Number(spawnSync('du', ['-sb', path.join(project, 'lake')], { encoding: 'utf8' }).stdout.split('\t')[0]) });
      }
    }
    const pick = (list) => ({
      seconds: median(list.map((r) => r.seconds)), peakRssMb: Math.max(...list.map((r) => r.peakRssMb)), bytes: list[0].bytes,
      cpu: median(list.map((r) => r.cpuSeconds)), serverCpu: median(list.map((r) => r.serverCpuSeconds)), load: list.map((r) => r.load).join('/'),
    });
    results.push({ rows, dump: pick(dumps), extract: pick(extracts), ...(baselines.length ? { baseline: pick(baselines) } : {}) });
  }
} finally {
  await db.stop();
}

console.log(`\n| rows | dump wall | dump rows/s | dump CPU (client + server) | dump peak RSS | dump output | extract wall | extract rows/s | extract CPU (strata + server) | extract peak RSS | lake | wall ratio | load avg |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const { rows, dump, extract, baseline } of results) {
  for (const [label, run] of [['', extract], ...(baseline ? [[' (baseline)', baseline]] : [])]) console.log(
    `| ${fmt(rows)}${label} | ${dump.seconds.toFixed(2)} s | ${fmt(rows / dump.seconds)} | ${dump.cpu.toFixed(1)} + ${dump.serverCpu.toFixed(1)} s | ${fmt(dump.peakRssMb)} MB | ${fmt(dump.bytes / 2 ** 20)} MB | ` +
      `${run.seconds.toFixed(2)} s | ${fmt(rows / run.seconds)} | ${run.cpu.toFixed(1)} + ${run.serverCpu.toFixed(1)} s | ${fmt(run.peakRssMb)} MB | ${fmt(run.bytes / 2 ** 20)} MB | ${(run.seconds / dump.seconds).toFixed(2)}x | ${dump.load} / ${run.load} |`,
  );
}
