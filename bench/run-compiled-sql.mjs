#!/usr/bin/env node
// The peer of `strata run`: executes a compiled project's SQL straight through DuckDB, in DAG order.
//   node bench/run-compiled-sql.mjs --project-dir P --db DIR/bench.duckdb
// Prints one JSON line: { models, seconds (SQL only), perModelMs: { unique_id: ms } }.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({ options: { 'project-dir': { type: 'string' }, db: { type: 'string' } } });
const projectDir = values['project-dir'];
const manifest = JSON.parse(readFileSync(path.join(projectDir, 'target', 'manifest.json'), 'utf8'));
const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model');

/** The compiled SQL of a model: from the manifest if compile stored it there, else target/compiled/. */
function compiledSql(node) {
  if (node.compiled_code) return node.compiled_code;
  const file = path.join(projectDir, 'target', 'compiled', node.package_name, node.original_file_path);
  if (!existsSync(file)) throw new Error(`no compiled SQL for ${node.unique_id}: run strata compile first`);
  return readFileSync(file, 'utf8');
}

function dagOrder(nodes) {
  const byId = new Map(nodes.map((n) => [n.unique_id, n]));
  const done = new Set();
  const order = [];
  const visit = (node) => {
    if (done.has(node.unique_id)) return;
    done.add(node.unique_id);
    for (const parent of node.depends_on.nodes) if (byId.has(parent)) visit(byId.get(parent));
    order.push(node);
  };
  for (const node of nodes) visit(node);
  return order;
}

const ordered = dagOrder(models).map((node) => ({ node, sql: compiledSql(node) }));
// The file has the name Strata's target uses, so the database part of relation names resolves.
const instance = await DuckDBInstance.create(values.db);
const connection = await instance.connect();
const perModelMs = {};
const started = performance.now();
for (const schema of new Set(models.map((n) => n.schema))) await connection.run(`create schema if not exists "${schema}"`);
for (const { node, sql } of ordered) {
  const relation = node.relation_name ?? `"${node.schema}"."${node.alias ?? node.name}"`;
  const t0 = performance.now();
  await connection.run(`create or replace table ${relation} as ${sql}`);
  perModelMs[node.unique_id] = performance.now() - t0;
}
const seconds = (performance.now() - started) / 1000;
connection.closeSync();
instance.closeSync();
process.stdout.write(`${JSON.stringify({ models: ordered.length, seconds, perModelMs })}\n`);
