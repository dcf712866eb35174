import { lakeUrl, type LakeLoader, type LakeTableLoad } from '../../core/adapter/lake-loading.js';
import { tableGlobs } from '../../core/lake/lake-layout.js';
import type { ColumnDef, Constraint, ConstraintDialect, ConstraintSupport, ConstraintType, ContractColumn, ExternalFiles, FileReadingDialect, IncrementalOptions, InferredType, RelationRef, RelationType } from '../../core/adapter/adapter.js';

const TYPE_FOR: Record<InferredType, string> = {
  boolean: 'BOOLEAN',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  text: 'VARCHAR',
};

/** DuckDB's synonyms, mapped to the name DuckDB itself reports (duckdb_columns().data_type). */
const SYNONYMS: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INTEGER: 'INTEGER',
  SIGNED: 'INTEGER',
  INT8: 'BIGINT',
  LONG: 'BIGINT',
  BIGINT: 'BIGINT',
  INT2: 'SMALLINT',
  SHORT: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  INT1: 'TINYINT',
  TINYINT: 'TINYINT',
  INT128: 'HUGEINT',
  HUGEINT: 'HUGEINT',
  DOUBLE: 'DOUBLE',
  FLOAT8: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  // In DuckDB FLOAT is the 4-byte REAL, unlike in some other warehouses.
  FLOAT: 'FLOAT',
  FLOAT4: 'FLOAT',
  REAL: 'FLOAT',
  VARCHAR: 'VARCHAR',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  CHAR: 'VARCHAR',
  BPCHAR: 'VARCHAR',
  NVARCHAR: 'VARCHAR',
  CHARACTER: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  LOGICAL: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  DATETIME: 'TIMESTAMP',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP WITH TIME ZONE',
  TIMETZ: 'TIME WITH TIME ZONE',
  'TIME WITH TIME ZONE': 'TIME WITH TIME ZONE',
  BLOB: 'BLOB',
  BYTEA: 'BLOB',
  BINARY: 'BLOB',
  VARBINARY: 'BLOB',
};

const CONSTRAINT_SUPPORT: Record<ConstraintType, ConstraintSupport> = {
  not_null: 'enforced',
  unique: 'enforced',
  primary_key: 'enforced',
  check: 'enforced',
  // DuckDB enforces foreign keys, but then refuses to drop the referenced table, which every
  // rebuild of that parent model does (drop old, rename new).
  foreign_key: 'not_supported',
  custom: 'not_supported',
};

/** SQL text for DuckDB (1.4 and later: MERGE INTO is used for upserts). */
export class DuckDBDialect implements ConstraintDialect, FileReadingDialect, LakeLoader {
  quote(identifier: string): string {
    return `"${identifier.replaceAll('"', '""')}"`;
  }

  relation(rel: RelationRef): string {
    const parts = rel.database ? [rel.database, rel.schema, rel.identifier] : [rel.schema, rel.identifier];
    return parts.map((p) => this.quote(p)).join('.');
  }

  createTableAs(rel: RelationRef, select: string): string {
    return `create table ${this.relation(rel)} as\n${trimSelect(select)}\n`;
  }

  createViewAs(rel: RelationRef, select: string): string {
    return `create view ${this.relation(rel)} as\n${trimSelect(select)}\n`;
  }

  createTable(rel: RelationRef, columns: ColumnDef[]): string {
    const defs = columns.map((c) => `${this.quote(c.name)} ${c.dataType}`).join(', ');
    return `create table ${this.relation(rel)} (${defs})`;
  }

  drop(rel: RelationRef, type: RelationType): string {
    return `drop ${type} if exists ${this.relation(rel)}`;
  }

  rename(rel: RelationRef, type: RelationType, newIdentifier: string): string {
    return `alter ${type} ${this.relation(rel)} rename to ${this.quote(newIdentifier)}`;
  }

  insertFrom(target: RelationRef, source: RelationRef, columns: string[]): string {
    const list = this.columnList(columns);
    return `insert into ${this.relation(target)} (${list})\nselect ${list} from ${this.relation(source)}`;
  }

  deleteInsert(target: RelationRef, source: RelationRef, uniqueKey: string[], columns: string[], options: IncrementalOptions = {}): string[] {
    requireKey(uniqueKey);
    // EXISTS rather than `(k1, k2) in (select ...)` so one- and many-column keys read the same.
    const match = this.keyMatch(uniqueKey, 'strata_target', 'strata_source');
    return [
      `delete from ${this.relation(target)} as strata_target\nwhere exists (select 1 from ${this.relation(source)} as strata_source where ${match})${predicateSql(options.predicates)}`,
      this.insertFrom(target, source, columns),
    ];
  }

  merge(target: RelationRef, source: RelationRef, uniqueKey: string[], columns: string[], options: IncrementalOptions = {}): string[] {
    requireKey(uniqueKey);
    const keys = new Set(uniqueKey.map((k) => k.toLowerCase()));
    // DuckDB matches identifiers case-insensitively, so the key test is too.
    const updated = (options.updateColumns ?? columns).filter((c) => !keys.has(c.toLowerCase()));
    const whenMatched = updated.length
      ? `update set ${updated.map((c) => `${this.quote(c)} = strata_source.${this.quote(c)}`).join(', ')}`
      : 'do nothing';
    return [
      [
        `merge into ${this.relation(target)} as strata_target`,
        `using ${this.relation(source)} as strata_source`,
        `on (${this.keyMatch(uniqueKey, 'strata_target', 'strata_source')})${predicateSql(options.predicates)}`,
        `when matched then ${whenMatched}`,
        `when not matched then insert (${this.columnList(columns)}) values (${columns.map((c) => `strata_source.${this.quote(c)}`).join(', ')})`,
      ].join('\n'),
    ];
  }

  addColumn(rel: RelationRef, column: ColumnDef): string {
    return `alter table ${this.relation(rel)} add column ${this.quote(column.name)} ${column.dataType}`;
  }

  dropColumn(rel: RelationRef, column: string): string {
    return `alter table ${this.relation(rel)} drop column ${this.quote(column)}`;
  }

  alterColumnType(rel: RelationRef, column: ColumnDef): string {
    return `alter table ${this.relation(rel)} alter column ${this.quote(column.name)} set data type ${column.dataType}`;
  }

  limit(select: string, limit: number): string {
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`limit must be a whole number >= 0, got ${limit}`);
    // The newline keeps a trailing `-- comment` in the model from swallowing the parenthesis.
    return `select * from (\n${trimSelect(select)}\n) as strata_limited limit ${limit}`;
  }

  typeFor(kind: InferredType): string {
    return TYPE_FOR[kind];
  }

  sameType(a: string, b: string): boolean {
    return normalizeType(a) === normalizeType(b);
  }

  canApplyConstraints(): this is ConstraintDialect {
    return true;
  }

  canReadFiles(): this is FileReadingDialect {
    return true;
  }

  externalRelation(external: ExternalFiles): string {
    const files = stringLiteral(external.files);
    // The load id is in every row (_strata_load_id), so the folder names are not read as columns.
    const read =
      external.format === 'jsonl'
        ? // Documents vary in shape: every row is sampled, so a key that appears late still gets a column.
          `read_json(${files}, format = 'newline_delimited', union_by_name = true, hive_partitioning = false, sample_size = -1)`
        : external.format === 'csv'
          ? // A quoted "" stays an empty string, not null.
            `read_csv(${files}, header = true, union_by_name = true, hive_partitioning = false, allow_quoted_nulls = false)`
          : `read_parquet(${files}, union_by_name = true, hive_partitioning = false)`;
    // Loads without a manifest (a failed or running write) are left out; a replace load hides the loads
    // before it, and a load of a whole file (source_file) hides the earlier loads of that file.
    const loads = `select load_id, disposition, source_file from read_json(${stringLiteral(external.manifests)}, columns = {load_id: 'VARCHAR', disposition: 'VARCHAR', source_file: 'VARCHAR'})`;
    const visible = `select load_id from strata_loads where load_id >= coalesce((select max(load_id) from strata_loads where disposition = 'replace'), '') qualify source_file is null or load_id = max(load_id) over (partition by source_file)`;
    let sql = `with strata_loads as (${loads}) select * from ${read} where "_strata_load_id" in (${visible})`;
    if (external.primaryKey?.length && external.groupKey?.length) {
      // Child tables: a group's rows all come from the newest load holding the group; its null-key rows only mark it emptied.
      const group = external.groupKey.map((k) => this.quote(k)).join(', ');
      sql = `select * from (${sql} qualify "_strata_load_id" = max("_strata_load_id") over (partition by ${group})) as strata_groups where ${external.primaryKey.map((k) => `${this.quote(k)} is not null`).join(' and ')}`;
    } else if (external.primaryKey?.length) {
      const order = [`"_strata_load_id" desc`, ...(external.cursorField ? [`${this.quote(external.cursorField)} desc nulls last`] : [])].join(', ');
      sql += ` qualify row_number() over (partition by ${external.primaryKey.map((k) => this.quote(k)).join(', ')} order by ${order}) = 1`;
    }
    return `(${sql})`;
  }

  canLoadFromLake(): boolean {
    return true;
  }

  loadsInPlace(): boolean {
    return true;
  }

  /** A view over the table's committed lake files (read in place, so every load is in it at once). */
  loadFromLakeSql(load: LakeTableLoad): string[] {
    const globs = tableGlobs(lakeUrl(load.lakeRoot, load.folder), load.format);
    const relation = this.externalRelation({ ...globs, format: load.format, primaryKey: load.disposition === 'merge' ? load.primaryKey : undefined, groupKey: load.disposition === 'merge' ? load.groupKey : undefined, cursorField: load.cursorField });
    const schema = load.relation.database ? `${this.quote(load.relation.database)}.${this.quote(load.relation.schema)}` : this.quote(load.relation.schema);
    return [`create schema if not exists ${schema}`, `create or replace view ${this.relation(load.relation)} as select * from ${relation} as strata_lake`];
  }

  constraintSupport(type: ConstraintType): ConstraintSupport {
    return CONSTRAINT_SUPPORT[type] ?? 'not_supported';
  }

  createTableWithConstraints(rel: RelationRef, columns: ContractColumn[], constraints: Constraint[]): string {
    const defs = columns.map((c) => [`${this.quote(c.name)} ${c.dataType}`, ...c.constraints.map((k) => this.columnConstraint(k))].join(' '));
    const table = constraints.map((k) => this.tableConstraint(k));
    return `create table ${this.relation(rel)} (\n  ${[...defs, ...table].join(',\n  ')}\n)`;
  }

  insertSelect(target: RelationRef, columns: string[], select: string, selectColumns: string[] = columns): string {
    if (selectColumns.length !== columns.length) throw new Error(`insertSelect: ${columns.length} columns but ${selectColumns.length} to select`);
    return `insert into ${this.relation(target)} (${this.columnList(columns)})\nselect ${this.columnList(selectColumns)} from (\n${trimSelect(select)}\n) as strata_contract`;
  }

  private columnConstraint(constraint: Constraint): string {
    const name = constraint.name ? `constraint ${this.quote(constraint.name)} ` : '';
    switch (constraint.type) {
      case 'not_null':
        return `${name}not null`;
      case 'unique':
        return `${name}unique`;
      case 'primary_key':
        return `${name}primary key`;
      case 'check':
        return `${name}check (${requireExpression(constraint)})`;
      default:
        throw new Error(`DuckDB cannot declare a ${constraint.type} constraint`);
    }
  }

  private tableConstraint(constraint: Constraint): string {
    const name = constraint.name ? `constraint ${this.quote(constraint.name)} ` : '';
    const columns = () => {
      if (!constraint.columns?.length) throw new Error(`a table-level ${constraint.type} constraint needs columns`);
      return this.columnList(constraint.columns);
    };
    switch (constraint.type) {
      case 'unique':
        return `${name}unique (${columns()})`;
      case 'primary_key':
        return `${name}primary key (${columns()})`;
      case 'check':
        return `${name}check (${requireExpression(constraint)})`;
      default:
        // not_null has no table-level form: the contract puts it on each of its columns.
        throw new Error(`DuckDB cannot declare a table-level ${constraint.type} constraint`);
    }
  }

  private columnList(columns: string[]): string {
    return columns.map((c) => this.quote(c)).join(', ');
  }

  private keyMatch(uniqueKey: string[], left: string, right: string): string {
    return uniqueKey.map((k) => `${left}.${this.quote(k)} = ${right}.${this.quote(k)}`).join(' and ');
  }
}

function requireKey(uniqueKey: string[]): void {
  if (uniqueKey.length === 0) throw new Error('a unique key needs at least one column');
}

function requireExpression(constraint: Constraint): string {
  const expression = constraint.expression?.trim();
  if (!expression) throw new Error(`a ${constraint.type} constraint needs an expression`);
  return expression;
}

function stringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Drops trailing semicolons and blank space, which would break a wrapping statement. */
function trimSelect(select: string): string {
  return select.replace(/[\s;]+$/, '');
}

/** One canonical spelling per DuckDB type: upper case, synonyms resolved, no optional arguments. */
export function normalizeType(type: string): string {
  let t = type.trim().toUpperCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
  const list = /^(.*?)((?:\[\d*\])+)$/.exec(t);
  if (list) return normalizeType(list[1]) + list[2];
  const args = /^([A-Z0-9_ ]+?)\s*\((.*)\)$/.exec(t);
  const base = args ? args[1].trim() : t;
  if (base === 'DECIMAL' || base === 'NUMERIC') {
    // DuckDB's defaults: DECIMAL = DECIMAL(18,3), DECIMAL(p) = DECIMAL(p,0).
    const [p = '18', s = args ? '0' : '3'] = args ? args[2].split(',') : [];
    return `DECIMAL(${p},${s})`;
  }
  const known = SYNONYMS[base];
  // VARCHAR(n), CHAR(n): DuckDB keeps no length, so the argument means nothing.
  if (known === 'VARCHAR') return known;
  if (known) t = args ? `${known}(${args[2]})` : known;
  return t;
}

/** ` and (p1) and (p2)`, or nothing: incremental predicates appended to a match. */
function predicateSql(predicates: string[] | undefined): string {
  return (predicates ?? []).map((p) => ` and (${p})`).join('');
}
