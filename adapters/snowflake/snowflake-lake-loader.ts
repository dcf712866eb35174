import { tableMetadataColumns, type LakeLoader, type LakeTableLoad } from '../../core/adapter/lake-loading.js';
import type { RelationRef } from '../../core/adapter/adapter.js';

/** Where Snowflake finds the lake: a named external stage on the lake root (`create stage ... url = 's3://bucket/prefix'`). */
export interface SnowflakeLakeOptions {
  /** The stage, e.g. `@strata_lake` or `@raw.strata_lake`. */
  stage: string;
}

/** Snowflake's type for a lake column's DuckDB type. */
export function snowflakeType(duckdbType: string): string {
  const t = duckdbType.trim().toUpperCase();
  if (/^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|U?HUGEINT)$/.test(t)) return 'NUMBER(38,0)';
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return `NUMBER(${decimal[1]},${decimal[2]})`;
  if (t === 'FLOAT' || t === 'DOUBLE') return 'FLOAT';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'DATE') return 'DATE';
  if (t === 'TIMESTAMP') return 'TIMESTAMP_NTZ';
  if (t === 'TIMESTAMPTZ' || t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP_TZ';
  if (t === 'TIME') return 'TIME';
  if (t === 'BLOB') return 'BINARY';
  if (t === 'JSON' || /^(STRUCT|MAP)\b/.test(t) || t.endsWith(']')) return 'VARIANT';
  return 'VARCHAR';
}

/**
 * Loads landed tables into Snowflake with `COPY INTO` from a stage on the lake root, by column
 * name (Parquet columns are named; a load without a column leaves it null). Append copies each
 * new load; replace truncates, then copies the newest load; merge copies the new loads into a
 * temporary table and merges the newest row per key. Snowflake's own load history also skips a
 * file it has already copied, so a rerun after a crash does not load a file twice.
 */
export class SnowflakeLakeLoader implements LakeLoader {
  constructor(private readonly options: SnowflakeLakeOptions) {}

  canLoadFromLake(): boolean {
    return true;
  }

  loadFromLakeSql(load: LakeTableLoad): string[] {
    const target = relation(load.relation);
    const columns = [...load.schema, ...tableMetadataColumns(load)];
    const statements = [
      `create schema if not exists ${load.relation.database ? `${quote(load.relation.database)}.` : ''}${quote(load.relation.schema)}`,
      `create table if not exists ${target} (\n  ${columns.map((c) => `${quote(c.name)} ${snowflakeType(c.type)}`).join(',\n  ')}\n)`,
    ];
    // Columns new in these loads: added, older rows read null (schema evolution).
    const existing = new Set(load.existingColumns ?? []);
    if (existing.size) for (const c of columns.filter((c) => !existing.has(c.name))) statements.push(`alter table ${target} add column if not exists ${quote(c.name)} ${snowflakeType(c.type)}`);
    const copy = (into: string, folder: string) =>
      `copy into ${into}\n  from ${this.options.stage.replace(/\/+$/, '')}/${folder}/\n  pattern = '.*part-[0-9]+[.]parquet'\n  file_format = (type = parquet)\n  match_by_column_name = case_sensitive`;
    if (load.disposition === 'append') {
      // A changed file's new version replaces the rows of the old one.
      if (load.supersededLoads?.length) statements.push(`delete from ${target}\nwhere ${quote('_strata_load_id')} in (${load.supersededLoads.map(literal).join(', ')})`);
      for (const batch of load.loads) if (!batch.empty) statements.push(copy(target, batch.folder));
      return statements;
    }
    if (load.disposition === 'replace') {
      const newest = load.loads.at(-1);
      if (!newest) return statements;
      statements.push(`truncate table ${target}`);
      if (!newest.empty) statements.push(copy(target, newest.folder));
      return statements;
    }
    const staging = relation({ ...load.relation, identifier: `${load.relation.identifier}__strata_load` });
    const names = columns.map((c) => quote(c.name));
    const key = load.primaryKey.map(quote);
    const order = [`${quote('_strata_load_id')} desc`, ...(load.cursorField ? [`${quote(load.cursorField)} desc nulls last`] : [])].join(', ');
    statements.push(`create or replace temporary table ${staging} like ${target}`);
    for (const batch of load.loads) if (!batch.empty) statements.push(copy(staging, batch.folder));
    if (load.groupKey?.length) {
      // Child tables: each group in the new loads is replaced whole by its newest load's rows.
      const group = load.groupKey.map(quote);
      statements.push(
        `delete from ${target} using (select distinct ${group.join(', ')} from ${staging}) as s\nwhere ${group.map((k) => `${target}.${k} = s.${k}`).join(' and ')}`,
        // The newest load is found among all rows, markers of emptied groups included, before they are dropped.
        `insert into ${target} (${names.join(', ')})\nselect ${names.join(', ')} from (\n  select *, max(${quote('_strata_load_id')}) over (partition by ${group.join(', ')}) as strata_newest from ${staging}\n) as strata_grouped\nwhere ${quote('_strata_load_id')} = strata_newest and ${key.map((k) => `${k} is not null`).join(' and ')}`,
        `drop table if exists ${staging}`,
      );
      return statements;
    }
    statements.push(
      `merge into ${target} as t\nusing (\n  select * from ${staging}\n  qualify row_number() over (partition by ${key.join(', ')} order by ${order}) = 1\n) as s\n` +
        `on ${key.map((k) => `t.${k} = s.${k}`).join(' and ')}\n` +
        `when matched then update set ${names.filter((n) => !key.includes(n)).map((n) => `${n} = s.${n}`).join(', ')}\n` +
        `when not matched then insert (${names.join(', ')}) values (${names.map((n) => `s.${n}`).join(', ')})`,
      `drop table if exists ${staging}`,
    );
    return statements;
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function relation(rel: RelationRef): string {
  return [rel.database, rel.schema, rel.identifier].filter((p): p is string => Boolean(p)).map(quote).join('.');
}
