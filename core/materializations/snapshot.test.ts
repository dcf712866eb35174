import { describe, expect, it } from 'vitest';
import type { RelationRef, SqlDialect } from '../adapter/adapter.js';
import type { SnapshotSettings } from '../project/snapshot-files.js';
import { applySnapshotSql, firstSnapshotSql, scdHash, snapshotTime, stagingSnapshotSql, type SnapshotPlan } from './snapshot.js';

// Only quoting and relation names are dialect-specific here; core imports no concrete adapter.
const quote = (identifier: string) => `"${identifier}"`;
const sql = { quote, relation: (rel: RelationRef) => [rel.schema, rel.identifier].map(quote).join('.') } as SqlDialect;
const src = { database: null, schema: 's', identifier: 'snap__src' };
const target = { database: null, schema: 's', identifier: 'snap' };
const plan = (settings: Partial<SnapshotSettings>, columns = ['id', 'name', 'updated_at']): SnapshotPlan => ({
  settings: { uniqueKey: ['id'], strategy: 'timestamp', updatedAt: 'updated_at', checkCols: [], hardDeletes: 'ignore', ...settings },
  now: "cast('2024-05-01 10:00:00' as timestamp)",
  columns,
});

describe('snapshot SQL', () => {
  it('hashes like dbt: values cast to text, nulls as empty, separated by |', () => {
    expect(scdHash(['a', 'b'])).toBe(`md5(coalesce(cast(a as varchar), '') || '|' || coalesce(cast(b as varchar), ''))`);
  });

  it('stamps a run with one UTC timestamp literal', () => {
    expect(snapshotTime(new Date('2024-05-01T10:00:00.123Z'))).toBe("cast('2024-05-01 10:00:00.123' as timestamp)");
  });

  it('adds dbt_is_deleted only with hard_deletes new_record', () => {
    expect(firstSnapshotSql(sql, plan({}), src)).not.toContain('dbt_is_deleted');
    expect(firstSnapshotSql(sql, plan({ hardDeletes: 'new_record' }), src)).toContain(`'False' as dbt_is_deleted`);
  });

  it('stages deletions only when hard deletes are not ignored', () => {
    expect(stagingSnapshotSql(sql, plan({}), src, target, ['id', 'name', 'updated_at'])).not.toContain('union all');
    const invalidate = stagingSnapshotSql(sql, plan({ hardDeletes: 'invalidate' }), src, target, ['id', 'name', 'updated_at']);
    expect(invalidate).toContain('union all');
    expect(invalidate).toContain('false as strata_insert');
    expect(stagingSnapshotSql(sql, plan({ hardDeletes: 'new_record' }), src, target, ['id', 'name', 'updated_at', 'dbt_is_deleted'])).toContain('true as strata_insert\nfrom current_rows as c');
  });

  it('check strategy compares null-safely only the columns the snapshot table has', () => {
    const staging = stagingSnapshotSql(sql, plan({ strategy: 'check', updatedAt: null, checkCols: 'all' }, ['id', 'name', 'added']), src, target, ['id', 'name']);
    expect(staging).toContain('(c."id" is distinct from s."id" or c."name" is distinct from s."name")');
    expect(staging).not.toContain('c."added" is distinct');
  });

  it('closes current rows by key and inserts the staged rows to insert', () => {
    const [update, insert] = applySnapshotSql(sql, plan({ uniqueKey: ['id', 'line'] }), { ...target, identifier: 'stg' }, target);
    expect(update).toContain('t.dbt_valid_to is null and t."id" = stg."id" and t."line" = stg."line"');
    expect(insert).toContain('where strata_insert');
  });
});
