import { batchMetadataColumns, lakeUrl, tableMetadataColumns, type LakeLoader, type LakeTableLoad } from '../../core/adapter/lake-loading.js';
import type { RelationRef } from '../../core/adapter/adapter.js';

/** How Redshift reads the lake's bucket. */
export interface RedshiftLakeOptions {
  /** The IAM role Redshift assumes to read the bucket: `arn:aws:iam::123456789012:role/strata-lake`. */
  iamRole: string;
}

/** Redshift's type for a lake column's DuckDB type. */
export function redshiftType(duckdbType: string): string {
  const t = duckdbType.trim().toUpperCase();
  if (t === 'TINYINT' || t === 'UTINYINT' || t === 'SMALLINT') return 'smallint';
  if (t === 'USMALLINT' || t === 'INTEGER') return 'integer';
  if (t === 'UINTEGER' || t === 'BIGINT') return 'bigint';
  if (t === 'UBIGINT') return 'decimal(20,0)';
  if (t === 'HUGEINT' || t === 'UHUGEINT') return 'decimal(38,0)';
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  if (t === 'FLOAT') return 'real';
  if (t === 'DOUBLE') return 'double precision';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP') return 'timestamp';
  if (t === 'TIMESTAMPTZ' || t === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (t === 'TIME') return 'time';
  if (t === 'BLOB') return 'varbyte';
  if (t === 'JSON' || /^(STRUCT|MAP)\b/.test(t) || t.endsWith(']')) return 'super';
  return 'varchar(65535)';
}

/**
 * Loads landed tables into Redshift with `COPY ... FORMAT AS PARQUET` from S3. Redshift maps Parquet
 * columns by position, so each load is copied into a temporary table of exactly that load's columns,
 * then inserted by name into the raw table (columns a load lacks stay null; new ones are added).
 * Merge deletes the keys the new loads bring and inserts their newest row per key, in one transaction.
 */
export class RedshiftLakeLoader implements LakeLoader {
  constructor(private readonly options: RedshiftLakeOptions) {}

  canLoadFromLake(): boolean {
    return true;
  }

  loadFromLakeSql(load: LakeTableLoad): string[] {
    if (!load.lakeRoot.startsWith('s3://')) throw new Error(`Redshift copies from S3 only; the lake root is ${load.lakeRoot}`);
    const target = relation(load.relation);
    const columns = [...load.schema, ...tableMetadataColumns(load)];
    const statements = [
      `create schema if not exists ${quote(load.relation.schema)}`,
      `create table if not exists ${target} (\n  ${columns.map((c) => `${quote(c.name)} ${redshiftType(c.type)}`).join(',\n  ')}\n)`,
    ];
    const existing = new Set(load.existingColumns ?? []);
    if (existing.size) for (const c of columns.filter((c) => !existing.has(c.name))) statements.push(`alter table ${target} add column ${quote(c.name)} ${redshiftType(c.type)}`);
    const chosen = load.disposition === 'replace' ? load.loads.slice(-1) : load.loads;
    // A load without rows has no part files, and COPY from a prefix with no objects fails.
    const batches = chosen.filter((b) => !b.empty);
    const stagingNames = batches.map((_b, i) => quote(`${load.relation.identifier}__strata_load_${i}`));
    batches.forEach((batch, i) => {
      const fileColumns = [...batch.schema, ...batchMetadataColumns(batch)];
      statements.push(
        `create temporary table ${stagingNames[i]} (\n  ${fileColumns.map((c) => `${quote(c.name)} ${redshiftType(c.type)}`).join(',\n  ')}\n)`,
        // A key prefix: only the load's part files, not its _manifest.json.
        `copy ${stagingNames[i]}\nfrom ${literal(lakeUrl(load.lakeRoot, `${batch.folder}/part-`))}\niam_role ${literal(this.options.iamRole)}\nformat as parquet`,
      );
    });
    const names = columns.map((c) => quote(c.name));
    const selectFrom = (i: number) => {
      const has = new Set([...batches[i].schema, ...batchMetadataColumns(batches[i])].map((c) => c.name));
      return `select ${columns.map((c) => (has.has(c.name) ? quote(c.name) : `cast(null as ${redshiftType(c.type)}) as ${quote(c.name)}`)).join(', ')} from ${stagingNames[i]}`;
    };
    const all = batches.map((_b, i) => selectFrom(i)).join('\nunion all\n');
    if (load.disposition === 'append') {
      // A changed file's new version replaces the rows of the old one.
      if (load.supersededLoads?.length) statements.push(`delete from ${target}\nwhere ${quote('_strata_load_id')} in (${load.supersededLoads.map(literal).join(', ')})`);
      if (batches.length) statements.push(`insert into ${target} (${names.join(', ')})\n${all}`);
    } else if (load.disposition === 'replace') {
      if (chosen.length) statements.push(`truncate ${target}`);
      if (batches.length) statements.push(`insert into ${target} (${names.join(', ')})\n${all}`);
    } else if (batches.length && load.groupKey?.length) {
      // Child tables: each group in the new loads is replaced whole by its newest load's rows.
      const key = load.primaryKey.map(quote);
      const group = load.groupKey.map(quote);
      const newRows = quote(`${load.relation.identifier}__strata_new`);
      statements.push(
        `create temporary table ${newRows} as\nselect ${names.join(', ')} from (\n  select *, max(${quote('_strata_load_id')}) over (partition by ${group.join(', ')}) as strata_newest\n  from (\n${all}\n  ) as strata_loads\n) as strata_grouped\nwhere ${quote('_strata_load_id')} = strata_newest`,
        `delete from ${target} using ${newRows} where ${group.map((k) => `${target}.${k} = ${newRows}.${k}`).join(' and ')}`,
        `insert into ${target} (${names.join(', ')})\nselect ${names.join(', ')} from ${newRows}\nwhere ${key.map((k) => `${k} is not null`).join(' and ')}`,
        `drop table ${newRows}`,
      );
    } else if (batches.length) {
      const key = load.primaryKey.map(quote);
      const newRows = quote(`${load.relation.identifier}__strata_new`);
      const order = [`${quote('_strata_load_id')} desc`, ...(load.cursorField ? [`${quote(load.cursorField)} desc nulls last`] : [])].join(', ');
      statements.push(
        `create temporary table ${newRows} as\nselect ${names.join(', ')} from (\n  select *, row_number() over (partition by ${key.join(', ')} order by ${order}) as strata_rank\n  from (\n${all}\n  ) as strata_loads\n) as strata_ranked\nwhere strata_rank = 1`,
        `delete from ${target} using ${newRows} where ${key.map((k) => `${target}.${k} = ${newRows}.${k}`).join(' and ')}`,
        `insert into ${target} (${names.join(', ')})\nselect ${names.join(', ')} from ${newRows}`,
        `drop table ${newRows}`,
      );
    }
    for (const name of stagingNames) statements.push(`drop table ${name}`);
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
