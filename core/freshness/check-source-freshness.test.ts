import { describe, expect, it } from 'vitest';
import type { Adapter, ColumnDef, QueryResult } from '../adapter/adapter.js';
import type { SourceNode } from '../manifest/nodes.js';
import { checkSourceFreshness, freshnessQuery } from './check-source-freshness.js';
import { UNSET_TIME, type FreshnessCriteria } from './freshness-criteria.js';
import { sourcesArtifact } from './sources-artifact.js';

const source = {
  unique_id: 'source.shop.shop.orders',
  resource_type: 'source',
  source_name: 'shop',
  name: 'orders',
  identifier: 'raw_orders',
  database: 'db',
  schema: 'raw',
  relation_name: '"db"."raw"."raw_orders"',
  original_file_path: 'models/sources.yml',
} as SourceNode;

const criteria: FreshnessCriteria = { warn_after: { count: 1, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null };

/** An adapter that answers the freshness query with one row, or fails it. */
function fakeAdapter(answer: { row?: unknown[]; fail?: string; columns?: ColumnDef[] }): Adapter & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    sql: { relation: () => 'unused' },
    async execute(sql: string): Promise<QueryResult> {
      queries.push(sql);
      if (answer.fail) throw new Error(`${answer.fail}\nLINE 1: ...`);
      return { columns: [], rows: answer.row ? [answer.row] : [], rowsAffected: null };
    },
    async getColumns() {
      return answer.columns ?? [];
    },
  } as unknown as Adapter & { queries: string[] };
}

describe('checking one source', () => {
  it('the query takes the newest load time and the warehouse clock, filtered when asked', () => {
    expect(freshnessQuery('"raw"."orders"', 'loaded_at', null)).toBe('select\n  max(loaded_at) as max_loaded_at,\n  current_timestamp as snapshotted_at\nfrom "raw"."orders"');
    expect(freshnessQuery('"raw"."orders"', 'cast(ts as timestamp)', "status <> 'test'")).toBe(
      'select\n  max(cast(ts as timestamp)) as max_loaded_at,\n  current_timestamp as snapshotted_at\nfrom "raw"."orders"\nwhere status <> \'test\'',
    );
  });

  it('computes the age from both values in UTC and the status from the criteria', async () => {
    const adapter = fakeAdapter({ row: ['2024-05-01 08:00:00', '2024-05-01 15:30:00+05:30'] });
    const result = await checkSourceFreshness(adapter, source, { ...criteria, filter: 'x = 1' }, 'loaded_at', 'Thread-2');
    expect(adapter.queries).toEqual([freshnessQuery('"db"."raw"."raw_orders"', 'loaded_at', 'x = 1')]);
    expect(result).toMatchObject({
      unique_id: 'source.shop.shop.orders',
      status: 'warn',
      max_loaded_at: '2024-05-01T08:00:00.000000Z',
      snapshotted_at: '2024-05-01T10:00:00.000000Z',
      max_loaded_at_time_ago_in_s: 7200,
      thread_id: 'Thread-2',
      error: null,
    });
    expect(result.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(result.execution_time).toBeGreaterThanOrEqual(0);
  });

  it('pass and error follow the age', async () => {
    const check = (max: string) => checkSourceFreshness(fakeAdapter({ row: [max, '2024-05-10 00:00:00+00'] }), source, criteria, 'loaded_at', 'Thread-1');
    expect((await check('2024-05-09 23:30:00')).status).toBe('pass');
    expect((await check('2024-05-08 00:00:00')).status).toBe('error');
  });

  it('a missing table is a runtime error that names the relation', async () => {
    const result = await checkSourceFreshness(fakeAdapter({ fail: 'Catalog Error: Table with name raw_orders does not exist!' }), source, criteria, 'loaded_at', 'Thread-1');
    expect(result).toMatchObject({ status: 'runtime error', error: 'table "db"."raw"."raw_orders" of source shop.orders does not exist', max_loaded_at: null });
  });

  it('a missing column is a runtime error that lists the columns there are', async () => {
    const adapter = fakeAdapter({ fail: 'Binder Error: column "loaded" not found', columns: [{ name: 'id', dataType: 'INTEGER' }, { name: 'loaded_at', dataType: 'TIMESTAMP' }] });
    const result = await checkSourceFreshness(adapter, source, criteria, 'loaded', 'Thread-1');
    expect(result.error).toBe(`"db"."raw"."raw_orders" has no column 'loaded' (the loaded_at_field of source shop.orders); its columns are id, loaded_at`);
  });

  it('other query failures keep the warehouse message', async () => {
    const adapter = fakeAdapter({ fail: 'Parser Error: syntax error at or near "from"', columns: [{ name: 'loaded_at', dataType: 'TIMESTAMP' }] });
    const result = await checkSourceFreshness(adapter, source, criteria, 'loaded_at', 'Thread-1');
    expect(result.error).toBe('the freshness query of source shop.orders failed: Parser Error: syntax error at or near "from"');
  });

  it('a null or non-timestamp max is a runtime error', async () => {
    const empty = await checkSourceFreshness(fakeAdapter({ row: [null, '2024-05-10 00:00:00+00'] }), source, criteria, 'loaded_at', 'Thread-1');
    expect(empty).toMatchObject({ status: 'runtime error', error: 'max(loaded_at) of "db"."raw"."raw_orders" is null: the table is empty or every value is null' });
    const number = await checkSourceFreshness(fakeAdapter({ row: [1714550400, '2024-05-10 00:00:00+00'] }), source, criteria, 'loaded_at', 'Thread-1');
    expect(number.status).toBe('runtime error');
    expect(number.error).toContain('is 1714550400, which is not a timestamp');
  });
});

describe('sources.json', () => {
  it('holds dbt v3 metadata, full results, and runtime errors as unique_id, error and status', async () => {
    const ok = await checkSourceFreshness(fakeAdapter({ row: ['2024-05-01 08:00:00', '2024-05-01 08:30:00+00'] }), source, { ...criteria, warn_after: UNSET_TIME }, 'loaded_at', 'Thread-1');
    const failed = await checkSourceFreshness(fakeAdapter({ fail: 'boom' }), { ...source, unique_id: 'source.shop.shop.gone' }, criteria, 'loaded_at', 'Thread-1');
    const artifact = sourcesArtifact({ invocationId: 'abc', results: [ok, failed], elapsedTime: 1.5, generatedAt: new Date('2024-05-01T00:00:00Z') }) as { metadata: Record<string, unknown>; results: Record<string, unknown>[]; elapsed_time: number };
    expect(artifact.metadata).toMatchObject({ dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', invocation_id: 'abc', generated_at: '2024-05-01T00:00:00.000Z' });
    expect(artifact.elapsed_time).toBe(1.5);
    expect(artifact.results[0]).toMatchObject({
      unique_id: 'source.shop.shop.orders',
      status: 'pass',
      max_loaded_at_time_ago_in_s: 1800,
      criteria: { warn_after: { count: null, period: null }, error_after: { count: 1, period: 'day' }, filter: null },
      adapter_response: { _message: 'OK' },
    });
    expect(artifact.results[0]).not.toHaveProperty('error');
    expect(artifact.results[1]).toEqual({ unique_id: 'source.shop.shop.gone', error: 'table "db"."raw"."raw_orders" of source shop.orders does not exist', status: 'runtime error' });
  });
});
