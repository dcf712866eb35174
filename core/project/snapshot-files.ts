import { didYouMean } from '../errors/did-you-mean.js';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import type { ManifestNode, NodeConfig } from '../manifest/nodes.js';
import { findHelperCalls } from '../template/static-calls.js';
import type { Template } from '../template/template-parser.js';
import type { TargetNaming } from './load-project.js';
import { uniqueKeyColumns } from './node-config.js';
import { parseModelFile, type StaticFacts } from './parse-model.js';

export type SnapshotStrategy = 'timestamp' | 'check';
export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

const STRATEGIES: readonly SnapshotStrategy[] = ['timestamp', 'check'];
const HARD_DELETES: readonly HardDeletes[] = ['ignore', 'invalidate', 'new_record'];

/** A snapshot's validated settings, in the form the materialization reads. */
export interface SnapshotSettings {
  uniqueKey: string[];
  strategy: SnapshotStrategy;
  /** Timestamp strategy: the source column that says when a row last changed. */
  updatedAt: string | null;
  /** Check strategy: the columns compared, or 'all' (every column of the select). */
  checkCols: 'all' | string[];
  hardDeletes: HardDeletes;
}

/** A snapshot node from one `.sql` file under a snapshot path, before configs are applied. */
export function parseSnapshotFile(input: { projectName: string; file: string; resourcePath: string; source: string; name?: string }): { node: ManifestNode; template: Template; facts: StaticFacts; configLine: number | undefined } {
  const { node, template, facts } = parseModelFile({ ...input, resourceType: 'snapshot' });
  const configLine = findHelperCalls(template, new Set(['config']))[0]?.line;
  return { node, template, facts, configLine };
}

/**
 * Checks a snapshot's merged config and normalises it (dbt's rules: a unique_key, a known
 * strategy with what it needs, hard_deletes or the legacy invalidate_hard_deletes).
 * `locate` says where a key was set, so the error names that file and line.
 */
export function resolveSnapshotConfig(node: ManifestNode, locate: (key: string) => SourceLocation): void {
  const config = node.config;
  config.materialized = 'snapshot';
  const fail = (key: string, message: string, hint?: string) => new UserError(`snapshot '${node.name}': ${message}`, { ...locate(key), hint });
  if (uniqueKeyColumns(config).length === 0) throw fail('unique_key', 'needs a unique_key', 'add unique_key="id" to its config (several columns: unique_key="a,b")');
  const strategy = config.strategy;
  if (strategy === undefined || strategy === null) throw fail('strategy', 'needs a strategy', 'add strategy="timestamp" with updated_at="...", or strategy="check" with check_cols="all"');
  if (typeof strategy !== 'string' || !STRATEGIES.includes(strategy as SnapshotStrategy)) {
    throw fail('strategy', `unknown strategy ${JSON.stringify(strategy)}`, didYouMean(String(strategy), STRATEGIES) || `one of: ${STRATEGIES.join(', ')}`);
  }
  if (strategy === 'timestamp' && (typeof config.updated_at !== 'string' || !config.updated_at)) {
    throw fail('updated_at', "the timestamp strategy needs updated_at, the column that says when a row last changed", 'add updated_at="updated_at" to its config');
  }
  if (strategy === 'check') {
    const cols = checkColumns(config);
    if (cols !== 'all' && cols.length === 0) throw fail('check_cols', 'the check strategy needs check_cols', 'add check_cols="all", or the columns to compare: check_cols="status,amount"');
  }
  if (config.hard_deletes === undefined || config.hard_deletes === null) {
    // The legacy switch, still accepted by dbt.
    config.hard_deletes = config.invalidate_hard_deletes === true ? 'invalidate' : 'ignore';
  }
  const hardDeletes = config.hard_deletes;
  if (typeof hardDeletes !== 'string' || !HARD_DELETES.includes(hardDeletes as HardDeletes)) {
    throw fail('hard_deletes', `hard_deletes cannot be ${JSON.stringify(hardDeletes)}`, didYouMean(String(hardDeletes), HARD_DELETES) || `one of: ${HARD_DELETES.join(', ')}`);
  }
}

/** The validated settings of a snapshot node (after resolveSnapshotConfig). */
export function snapshotSettings(node: ManifestNode): SnapshotSettings {
  const config = node.config;
  return {
    uniqueKey: uniqueKeyColumns(config),
    strategy: config.strategy as SnapshotStrategy,
    updatedAt: typeof config.updated_at === 'string' ? config.updated_at : null,
    checkCols: config.strategy === 'check' ? checkColumns(config) : [],
    hardDeletes: (config.hard_deletes ?? 'ignore') as HardDeletes,
  };
}

function checkColumns(config: NodeConfig): 'all' | string[] {
  const value = config.check_cols;
  if (value === 'all') return 'all';
  if (typeof value === 'string') return value.split(',').map((c) => c.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.map(String);
  return [];
}

/** `target_schema`/`target_database` name the snapshot's place as written, past generate_schema_name (as in dbt). */
export function applySnapshotTarget(node: ManifestNode, naming: TargetNaming): void {
  const schema = node.config.target_schema;
  const database = node.config.target_database;
  if (typeof schema === 'string' && schema) node.schema = schema;
  if (typeof database === 'string' && database) node.database = database;
  node.relation_name = naming.sql.relation({ database: node.database, schema: node.schema, identifier: node.alias });
}
