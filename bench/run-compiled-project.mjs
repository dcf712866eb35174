#!/usr/bin/env node
// The peer of `strata build` on a whole project: the compiled SQL of its manifest, run straight
// through DuckDB on one connection, in DAG order: seeds loaded with read_csv and the seed's column
// types, views and tables created from each model's compiled SQL (ephemerals are already inlined),
// snapshots as a first run (the select plus dbt's validity columns), and every data test's query counted.
//   node bench/run-compiled-project.mjs --project-dir P --db DIR/shop.duckdb [--threads 1]
// --threads N runs up to N nodes at once (each on its own connection) once their parents are done, as strata does.
// --test-gates also makes a node wait for the data tests of the nodes it reads, as `strata build` schedules
// (core/runner/test-gates.ts: a failing test skips what is downstream).
// Needs target/manifest.json from a `strata build` (or compile) of P. Prints one JSON line:
// { nodes: {seed, model, snapshot, test}, failingTests, seconds (SQL only) }.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({ options: { 'project-dir': { type: 'string' }, db: { type: 'string' }, threads: { type: 'string', default: '1' }, 'test-gates': { type: 'boolean', default: false } } });
const projectDir = path.resolve(values['project-dir']);
const manifest = JSON.parse(readFileSync(path.join(projectDir, 'target', 'manifest.json'), 'utf8'));
const nodes = Object.values(manifest.nodes).filter((n) => ['seed', 'model', 'snapshot', 'test'].includes(n.resource_type));
const byId = new Map(nodes.map((n) => [n.unique_id, n]));

function dagOrder() {
  const done = new Set();
  const order = [];
  const visit = (node) => {
    if (done.has(node.unique_id)) return;
    done.add(node.unique_id);
    for (const parent of node.depends_on?.nodes ?? []) if (byId.has(parent)) visit(byId.get(parent));
    order.push(node);
  };
  for (const node of nodes) visit(node);
  return order;
}

const literal = (text) => `'${String(text).replace(/'/g, "''")}'`;
const relation = (node) => node.relation_name ?? `"${node.schema}"."${node.alias ?? node.name}"`;

function statementFor(node) {
  if (node.resource_type === 'seed') {
    const file = path.join(projectDir, node.original_file_path);
    const types = Object.entries(node.config.column_types ?? {}).map(([c, t]) => `${literal(c)}: ${literal(t)}`);
    return `create or replace table ${relation(node)} as select * from read_csv(${literal(file)}, header = true${types.length ? `, types = {${types.join(', ')}}` : ''})`;
  }
  if (!node.compiled_code) throw new Error(`no compiled SQL for ${node.unique_id}: run strata build or compile first`);
  if (node.resource_type === 'test') return `select count(*) from (\n${node.compiled_code}\n) as failures`;
  if (node.resource_type === 'snapshot') {
    return `create or replace table ${relation(node)} as select *, md5(cast(random() as varchar)) as dbt_scd_id, current_timestamp as dbt_updated_at, current_timestamp as dbt_valid_from, cast(null as timestamp) as dbt_valid_to from (\n${node.compiled_code}\n) as s`;
  }
  const kind = node.config.materialized === 'view' ? 'view' : 'table';
  return `create or replace ${kind} ${relation(node)} as\n${node.compiled_code}`;
}

const ordered = dagOrder().filter((n) => !(n.resource_type === 'model' && n.config.materialized === 'ephemeral'));
const statements = ordered.map((node) => ({ node, sql: statementFor(node) }));
const instance = await DuckDBInstance.create(values.db);
const threads = Math.max(1, Number(values.threads));
const connections = await Promise.all(Array.from({ length: threads }, () => instance.connect()));
const counts = { seed: 0, model: 0, snapshot: 0, test: 0 };
let failingTests = 0;
const started = performance.now();
for (const schema of new Set(ordered.filter((n) => n.resource_type !== 'test').map((n) => n.schema))) await connections[0].run(`create schema if not exists "${schema}"`);

async function execute(connection, { node, sql }) {
  if (node.resource_type === 'test') {
    const reader = await connection.runAndReadAll(sql);
    if (Number(reader.getRows()[0][0]) > 0 && node.config.severity?.toLowerCase() !== 'warn') failingTests++;
  } else {
    await connection.run(sql);
  }
  counts[node.resource_type]++;
}

// A node starts once the nodes it reads are done; an ephemeral parent is inlined, so its own parents count.
const pending = new Map(statements.map((s) => [s.node.unique_id, s]));
const done = new Set();
const isEphemeral = (id) => byId.get(id)?.resource_type === 'model' && byId.get(id).config.materialized === 'ephemeral';
// The gates of build's DAG: a data test becomes a parent of the children of the node it tests, unless the
// child comes before the test's last parent (a relationships test between parent and child).
const gates = new Map();
if (values['test-gates']) {
  const position = new Map(dagOrder().map((n, i) => [n.unique_id, i]));
  const children = new Map();
  for (const node of nodes) for (const parent of node.depends_on?.nodes ?? []) children.set(parent, [...(children.get(parent) ?? []), node.unique_id]);
  for (const test of nodes.filter((n) => n.resource_type === 'test')) {
    const parents = (test.depends_on?.nodes ?? []).filter((id) => byId.has(id));
    const lastParent = Math.max(...parents.map((p) => position.get(p)));
    for (const gate of test.attached_node ? [test.attached_node] : parents) {
      for (const child of children.get(gate) ?? []) {
        if (byId.get(child).resource_type === 'test' || position.get(child) <= lastParent) continue;
        gates.set(child, [...(gates.get(child) ?? []), test.unique_id]);
      }
    }
  }
}
const directParents = (node) => [...(node.depends_on?.nodes ?? []).filter((id) => byId.has(id)), ...(gates.get(node.unique_id) ?? [])];
const parentsOf = (node) => directParents(node).flatMap((id) => (isEphemeral(id) ? [...parentsOf(byId.get(id))] : [id]));
await new Promise((resolve, reject) => {
  let running = 0;
  const idle = [...connections];
  const pump = () => {
    if (!pending.size && !running) return resolve();
    for (const [id, statement] of pending) {
      if (!idle.length) break;
      if (!parentsOf(statement.node).every((p) => done.has(p))) continue;
      pending.delete(id);
      const connection = idle.pop();
      running++;
      execute(connection, statement).then(() => {
        running--;
        done.add(id);
        idle.push(connection);
        pump();
      }, reject);
    }
  };
  pump();
});
const seconds = (performance.now() - started) / 1000;
for (const connection of connections) connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ nodes: counts, threads, testGates: values['test-gates'], failingTests, seconds })}\n`);
