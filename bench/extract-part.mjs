// One 100,000-row part of the extract bench's orders table (the same columns and values as
// bench/extract-mysql.mjs fills, as MySQL's text-protocol row packets in 64 KB buffers) into
// Parquet ZSTD, both ways the MySQL source can: the vector path (packets -> typed arrays ->
// DuckDB table function -> COPY) and the text path (packets -> CSV text -> read_csv -> COPY).
// CPU seconds of the whole process (every thread) per part, min of --runs after a warm-up; no
// server, so it is a steadier guide than the extract's wall time on a busy machine.
//
//   node bench/extract-part.mjs [--rows 100000] [--runs 8]
//
// Uses the build of dist/ (or of $STRATA_CLI's folder).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strataCliPath } from './strata-cli.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const rows = Number(args.rows ?? 100_000);
const runs = Number(args.runs ?? 8);
const cli = strataCliPath();
if (!cli) {
  console.error('the Strata CLI is not built: run `npm run build` first');
  process.exit(1);
}
const dist = path.dirname(path.dirname(cli));
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { MySqlTextRows } = await load('adapters/sources/mysql/mysql-text-rows.js');
const { MySqlVectorRows, vectorKinds } = await load('adapters/sources/mysql/mysql-vector-rows.js');
const { DuckDBParquetAppender } = await load('adapters/duckdb/duckdb-parquet-appender.js');

const columns = [
  ['order_id', 'BIGINT'], ['customer_id', 'BIGINT'], ['session_id', 'VARCHAR'], ['sales_channel', 'VARCHAR'], ['marketplace', 'VARCHAR'], ['status', 'VARCHAR'],
  ['currency', 'VARCHAR'], ['shipping_country_code', 'VARCHAR'], ['shipping_address_id', 'BIGINT'], ['items_amount', 'DECIMAL(12,2)'], ['discount_amount', 'DECIMAL(12,2)'],
  ['shipping_amount', 'DECIMAL(12,2)'], ['total_amount', 'DECIMAL(12,2)'], ['discount_code', 'VARCHAR'], ['placed_at', 'TIMESTAMPTZ'], ['updated_at', 'TIMESTAMPTZ'],
].map(([name, type]) => ({ column: { name, type }, ...(type === 'TIMESTAMPTZ' ? { fix: 'zone-utc' } : {}) }));
const constants = [
  { column: { name: '_strata_load_id', type: 'VARCHAR' }, value: '20261201T113208Z-004f5049' },
  { column: { name: '_strata_loaded_at', type: 'TIMESTAMPTZ' }, value: '2026-12-01T11:32:08.719Z' },
];

const cents = (n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
const at = (seconds) => new Date(Date.UTC(2024, 0, 1) + seconds * 1000).toISOString().replace('T', ' ').replace('Z', '000');
/** Row `seq` as extract-mysql.mjs's insert makes it (uuid() as MariaDB's time-based text). */
function row(seq) {
  const items = seq % 50000;
  const discount = seq % 500;
  return [
    String(seq), String(1 + (seq % 200000)), `${(0xa26942c0 + seq * 3).toString(16).padStart(8, '0').slice(-8)}-ed7a-11f1-bda3-02fc00000001`,
    ['web', 'app', 'marketplace'][seq % 3], seq % 3 === 2 ? ['amazon', 'zalando'][seq % 2] : null, ['placed', 'paid', 'shipped', 'delivered'][seq % 4],
    ['EUR', 'GBP', 'USD'][seq % 3], ['DE', 'FR', 'GB', 'NL', 'US'][seq % 5], String(seq * 2), cents(items), cents(discount), '4.99', cents(items - discount + 499),
    seq % 7 === 0 ? `SAVE${seq % 30}` : null, at(seq), at(seq + 3 * 3600),
  ];
}

// Row packets: each field length-coded, 0xfb for null, packed into 64 KB buffers as socket reads bring them.
const packets = [];
let buffer = Buffer.alloc(0);
let used = 0;
for (let seq = 1; seq <= rows; seq++) {
  const fields = row(seq).map((v) => (v === null ? Buffer.from([0xfb]) : Buffer.concat([Buffer.from([Buffer.byteLength(v)]), Buffer.from(v)])));
  const bytes = Buffer.concat(fields);
  if (used + bytes.length > buffer.length) {
    buffer = Buffer.alloc(65536);
    used = 0;
  }
  bytes.copy(buffer, used);
  packets.push({ buffer, offset: used, end: used + bytes.length });
  used += bytes.length;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const lakeColumns = columns.map((c) => c.column);
const kinds = vectorKinds(columns);
const options = { cursor: 'updated_at', primaryKey: ['order_id'] };

async function measure(name, part) {
  const encoder = new DuckDBParquetAppender();
  let best = Infinity;
  let bestParse = Infinity;
  let bytes;
  for (let r = 0; r <= runs; r++) {
    const started = cpu();
    const { parsed, file } = await part(encoder);
    const total = cpu() - started;
    bytes = file;
    // The first part warms up the JIT and DuckDB.
    if (r === 0) continue;
    best = Math.min(best, total);
    bestParse = Math.min(bestParse, parsed - started);
  }
  await encoder.close();
  return { name, best, bestParse, bytes };
}

let reuse;
const vector = await measure('vector: packets -> typed arrays -> table function -> COPY', async (encoder) => {
  const collector = new MySqlVectorRows(columns, kinds, { ...options, reuse });
  for (const p of packets) collector.row(p);
  reuse = collector.take();
  const parsed = cpu();
  return { parsed, file: await encoder.encodeColumns(reuse, lakeColumns, constants) };
});
let spare;
const text = await measure('text: packets -> CSV text -> read_csv -> COPY', async (encoder) => {
  const collector = new MySqlTextRows(columns, { ...options, buffer: spare });
  for (const p of packets) collector.row(p);
  const batch = collector.take();
  const parsed = cpu();
  const file = await encoder.encodeText(batch.text, lakeColumns, constants, batch.longestLine);
  spare = Buffer.from(batch.text.buffer, batch.text.byteOffset - 1);
  return { parsed, file };
});

const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
console.log(`\n${rows.toLocaleString('en-US')} orders rows per part, min of ${runs} (1-minute load ${loadAverage}):\n`);
console.log('| path | CPU per part | of which packets to vectors / text | Parquet bytes |');
console.log('|---|---:|---:|---:|');
for (const r of [vector, text]) console.log(`| ${r.name} | ${(r.best * 1000).toFixed(0)} ms | ${(r.bestParse * 1000).toFixed(0)} ms | ${r.bytes.length.toLocaleString('en-US')} |`);
console.log(`\nvector / text: ${(vector.best / text.best).toFixed(2)}x the CPU${Buffer.compare(Buffer.from(vector.bytes), Buffer.from(text.bytes)) === 0 ? '; the two Parquet files are byte for byte the same' : ''}`);
