import type { Adapter } from '../adapter/adapter.js';
import type { Timing } from '../artifacts/run-results.js';
import type { SourceNode } from '../manifest/nodes.js';
import type { FreshnessCriteria } from './freshness-criteria.js';
import { freshnessStatus, type FreshnessStatus } from './freshness-status.js';
import { formatUtcMicros, secondsBetween, toUtcMicros } from './utc-timestamp.js';

/** The outcome of checking one source table; sources.json is written from these. */
export interface SourceFreshnessResult {
  unique_id: string;
  status: FreshnessStatus;
  /** ISO 8601 in UTC; null on a runtime error. */
  max_loaded_at: string | null;
  snapshotted_at: string | null;
  max_loaded_at_time_ago_in_s: number | null;
  criteria: FreshnessCriteria;
  adapter_response: Record<string, unknown>;
  timing: Timing[];
  thread_id: string;
  execution_time: number;
  /** What went wrong, on a runtime error. */
  error: string | null;
}

/** dbt's collect_freshness query: the newest load time and the warehouse's clock, in one row. */
export function freshnessQuery(relation: string, loadedAtField: string, filter: string | null): string {
  const where = filter ? `\nwhere ${filter}` : '';
  return `select\n  max(${loadedAtField}) as max_loaded_at,\n  current_timestamp as snapshotted_at\nfrom ${relation}${where}`;
}

/** Fails a check with a message that names the source and what is wrong. */
class FreshnessCheckError extends Error {}

/**
 * Queries one source table and compares the age of its newest row with the criteria.
 * Never throws: a failed query or an unreadable value becomes a `runtime error` result.
 */
export async function checkSourceFreshness(
  adapter: Adapter,
  source: SourceNode,
  criteria: FreshnessCriteria,
  loadedAtField: string,
  threadId: string,
): Promise<SourceFreshnessResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const relation = source.relation_name ?? adapter.sql.relation({ database: source.database, schema: source.schema, identifier: source.identifier });
  const result: SourceFreshnessResult = {
    unique_id: source.unique_id,
    status: 'runtime error',
    max_loaded_at: null,
    snapshotted_at: null,
    max_loaded_at_time_ago_in_s: null,
    criteria,
    adapter_response: {},
    timing: [],
    thread_id: threadId,
    execution_time: 0,
    error: null,
  };
  const compiledAt = new Date().toISOString();
  try {
    const rows = await adapter.execute(freshnessQuery(relation, loadedAtField, criteria.filter)).then(
      (r) => r.rows,
      async (error: unknown) => {
        throw new FreshnessCheckError(await explainQueryFailure(adapter, source, relation, loadedAtField, error));
      },
    );
    const [rawMax, rawNow] = rows[0] ?? [];
    if (rawMax === null || rawMax === undefined) {
      const why = criteria.filter ? `the table is empty or the filter (${criteria.filter}) matches no rows` : 'the table is empty or every value is null';
      throw new FreshnessCheckError(`max(${loadedAtField}) of ${relation} is null: ${why}`);
    }
    const maxLoadedAt = toUtcMicros(rawMax);
    if (maxLoadedAt === undefined) {
      throw new FreshnessCheckError(`max(${loadedAtField}) of ${relation} is ${JSON.stringify(rawMax)}, which is not a timestamp; loaded_at_field must be a timestamp or date column or expression`);
    }
    const snapshottedAt = toUtcMicros(rawNow);
    if (snapshottedAt === undefined) throw new FreshnessCheckError(`the warehouse returned ${JSON.stringify(rawNow)} for current_timestamp, which is not a timestamp`);
    const age = secondsBetween(maxLoadedAt, snapshottedAt);
    result.max_loaded_at = formatUtcMicros(maxLoadedAt);
    result.snapshotted_at = formatUtcMicros(snapshottedAt);
    result.max_loaded_at_time_ago_in_s = age;
    result.status = freshnessStatus(criteria, age);
    result.adapter_response = { _message: 'OK', rows_affected: null };
  } catch (error) {
    if (!(error instanceof FreshnessCheckError)) throw error;
    result.error = error.message;
  }
  const completedAt = new Date().toISOString();
  result.timing = [
    { name: 'compile', started_at: startedAt, completed_at: compiledAt },
    { name: 'execute', started_at: compiledAt, completed_at: completedAt },
  ];
  result.execution_time = (performance.now() - started) / 1000;
  return result;
}

/** Says whether the table or the column is missing, since warehouses word that differently. */
async function explainQueryFailure(adapter: Adapter, source: SourceNode, relation: string, loadedAtField: string, error: unknown): Promise<string> {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  const where = `source ${source.source_name}.${source.name}`;
  const columns = await adapter.getColumns({ database: source.database, schema: source.schema, identifier: source.identifier }).catch(() => undefined);
  if (columns && columns.length === 0) return `table ${relation} of ${where} does not exist`;
  const column = columns?.find((c) => c.name.toLowerCase() === loadedAtField.toLowerCase());
  // loaded_at_field may be an expression; only a bare name can be looked up among the columns.
  if (columns && !column && /^\w+$/.test(loadedAtField)) {
    return `${relation} has no column '${loadedAtField}' (the loaded_at_field of ${where}); its columns are ${columns.map((c) => c.name).join(', ')}`;
  }
  return `the freshness query of ${where} failed: ${message}`;
}
