/**
 * The adapter contract: the only way core talks to a warehouse. An adapter owns its
 * connections (a pool sized by --threads), runs SQL, inspects relations and knows its
 * dialect. core never imports a concrete adapter; cli/ finds one by name in a registry.
 */

import type { LakeFormat } from '../lake/lake-layout.js';

export interface RelationRef {
  database: string | null;
  schema: string;
  identifier: string;
}

export type RelationType = 'table' | 'view';

export interface RelationInfo extends RelationRef {
  type: RelationType;
}

export interface ColumnDef {
  name: string;
  /** The warehouse's own spelling of the type, e.g. `INTEGER`, `DECIMAL(10,2)`. */
  dataType: string;
}

export interface QueryResult {
  columns: ColumnDef[];
  /** Rows as arrays in column order, values JSON-friendly (big numbers and decimals as strings). */
  rows: unknown[][];
  /** Rows inserted, updated or deleted by the last statement, when the warehouse says. */
  rowsAffected: number | null;
}

/** Portable column kinds that seed type inference produces; the dialect maps them to types. */
export type InferredType = 'boolean' | 'integer' | 'bigint' | 'double' | 'date' | 'timestamp' | 'text';

/** Connection settings of one target, as read from profiles.yml (secrets already resolved). */
export interface TargetConfig {
  type: string;
  schema: string;
  database?: string;
  threads?: number;
  [key: string]: unknown;
}

/** Everything an adapter needs to start. */
export interface AdapterOptions {
  target: TargetConfig;
  /** Target name, e.g. `dev`. */
  targetName: string;
  projectRoot: string;
  threads: number;
}

/** Constraint kinds a model's YAML can declare, with dbt's names. */
export type ConstraintType = 'not_null' | 'unique' | 'primary_key' | 'foreign_key' | 'check' | 'custom';

/**
 * What a warehouse does with a kind of constraint, as in dbt: rejects rows that break it
 * (`enforced`), accepts it in DDL without checking rows (`not_enforced`), or cannot declare it.
 */
export type ConstraintSupport = 'enforced' | 'not_enforced' | 'not_supported';

/** One constraint of a model's contract, on a column or (with `columns`) on the table. */
export interface Constraint {
  type: ConstraintType;
  /** `check`: the boolean expression; `foreign_key`: the referenced `table (column)`; `custom`: the DDL. */
  expression?: string;
  /** The constraint's name in the warehouse, when the user gave one. */
  name?: string;
  /** Table-level constraints only: the columns it covers. */
  columns?: string[];
}

/** A column of an enforced contract: its declared type and its column-level constraints. */
export interface ContractColumn extends ColumnDef {
  constraints: Constraint[];
}

/** SQL text generation for one warehouse; pure functions, no I/O. */
/** dbt's incremental configs a merge or delete+insert honours. */
export interface IncrementalOptions {
  /** Columns a matched row takes from the new one (default: every column but the key). */
  updateColumns?: string[];
  /** SQL conditions (dbt's incremental_predicates) added to the match: the target's alias is strata_target, the new rows' strata_source. */
  predicates?: string[];
}

export interface SqlDialect {
  /** Quotes one identifier. */
  quote(identifier: string): string;
  /** Renders a relation as `"db"."schema"."name"` (leaving out what is null). */
  relation(rel: RelationRef): string;
  /** `create table ... as <select>`. */
  createTableAs(rel: RelationRef, select: string): string;
  /** `create view ... as <select>`. */
  createViewAs(rel: RelationRef, select: string): string;
  /** `create table` with explicit columns (seeds, schema changes). */
  createTable(rel: RelationRef, columns: ColumnDef[]): string;
  /** `drop <type> if exists`. */
  drop(rel: RelationRef, type: RelationType): string;
  /** Renames a relation within its schema. */
  rename(rel: RelationRef, type: RelationType, newIdentifier: string): string;
  /** `insert into target (cols) select cols from source`. */
  insertFrom(target: RelationRef, source: RelationRef, columns: string[]): string;
  /** Statements of a delete+insert incremental step; `predicates` further limit the target rows deleted. */
  deleteInsert(target: RelationRef, source: RelationRef, uniqueKey: string[], columns: string[], options?: IncrementalOptions): string[];
  /** Statements of a merge (upsert) incremental step. */
  merge(target: RelationRef, source: RelationRef, uniqueKey: string[], columns: string[], options?: IncrementalOptions): string[];
  /** Adds a column. */
  addColumn(rel: RelationRef, column: ColumnDef): string;
  /** Drops a column. */
  dropColumn(rel: RelationRef, column: string): string;
  /** Changes a column's type. */
  alterColumnType(rel: RelationRef, column: ColumnDef): string;
  /** Wraps a select so it returns at most `limit` rows. */
  limit(select: string, limit: number): string;
  /** The warehouse type for an inferred seed column kind. */
  typeFor(kind: InferredType): string;
  /** Whether two type spellings mean the same type (for schema change detection). */
  sameType(a: string, b: string): boolean;
  /** Whether this dialect can create tables with declared columns and constraints (absent: it cannot). */
  canApplyConstraints?(): this is ConstraintDialect;
  /** Whether this dialect can query lake files in place, for external sources (absent: it cannot). */
  canReadFiles?(): this is FileReadingDialect;
}

/** Where an external source's committed lake files are, and how its loads combine. */
export interface ExternalFiles {
  /** Data parts: a glob over absolute paths or URLs, of every part file of every load of the table. */
  files: string;
  /** A glob of the table's load manifests: only rows of loads that have one are read. */
  manifests: string;
  format: LakeFormat;
  /** Key columns: when set, only the newest row per key is read (newest load, then newest cursor). */
  primaryKey?: string[];
  /**
   * With `primaryKey`: the newest load that holds a value of these columns holds all of that group's
   * rows (child tables), and rows whose primary key is null only mark an emptied group.
   */
  groupKey?: string[];
  /** Orders rows of one load by recency, with `primaryKey`. */
  cursorField?: string;
}

/** A dialect that reads lake files as a relation, so a source can live in the lake. */
export interface FileReadingDialect extends SqlDialect {
  /** A relation expression (usable after `from`) over the committed batches of an external source. */
  externalRelation(external: ExternalFiles): string;
}

/** A dialect that builds contracted tables from a column list with constraints, then fills them. */
export interface ConstraintDialect extends SqlDialect {
  /** What the warehouse does with this kind of constraint in a `create table`. */
  constraintSupport(type: ConstraintType): ConstraintSupport;
  /** `create table` (no rows) with the columns in order, their constraints and the table-level ones. */
  createTableWithConstraints(rel: RelationRef, columns: ContractColumn[], constraints: Constraint[]): string;
  /** `insert into target (columns) select selectColumns from (<select>)`; selectColumns default to columns. */
  insertSelect(target: RelationRef, columns: string[], select: string, selectColumns?: string[]): string;
}

/** A warehouse connection pool and its dialect. */
export interface Adapter {
  /** Adapter type as written in profiles.yml (`duckdb`, `postgres`, ...). */
  readonly type: string;
  /** SQL generation for this warehouse. */
  readonly sql: SqlDialect;
  /** The database (catalog) relations go to unless configured otherwise. */
  readonly defaultDatabase: string | null;
  /** The target's schema. */
  readonly defaultSchema: string;
  /** Opens connections; fails with a UserError naming the target when it cannot connect. */
  open(): Promise<void>;
  /** Closes every connection. */
  close(): Promise<void>;
  /** Runs SQL (one or several statements) on any free connection; returns the last statement's result. */
  execute(sql: string): Promise<QueryResult>;
  /** Runs statements on one connection in one transaction: all take effect or none does. */
  transaction(statements: string[]): Promise<void>;
  /** Relations in a schema; empty when the schema does not exist. */
  listRelations(database: string | null, schema: string): Promise<RelationInfo[]>;
  /** Columns of a relation in order; empty when it does not exist. */
  getColumns(rel: RelationRef): Promise<ColumnDef[]>;
  /** Creates a schema if it does not exist. */
  createSchema(database: string | null, schema: string): Promise<void>;
  /** Inserts rows (values as text or null) into an existing table; used for seeds. */
  insertRows(rel: RelationRef, columns: ColumnDef[], rows: (string | null)[][]): Promise<number>;
  /** A short description of the connection for `strata debug` (never secrets). */
  describe(): string;
  /**
   * True when `database` certainly holds no relations, known without connecting (e.g. its file
   * does not exist yet), so compile need not open a connection for `is_incremental`. Absent: unknown.
   */
  knownEmpty?(database: string | null): boolean;
  /** Whether this adapter can attach another database file read-only (absent: it cannot), e.g. production's for deferred refs. */
  canAttachDatabases?(): this is AttachingAdapter;
  /** Whether this adapter can zero-copy clone a table (absent: it cannot; `strata clone` then creates views). */
  canCloneRelations?(): this is CloningAdapter;
  /** Whether this adapter can read a whole schema's columns in one query (absent: the docs catalog asks getColumns per relation). */
  canListSchemaColumns?(): this is ColumnListingAdapter;
}

/** An adapter that reads every column of a schema at once, for the docs catalog of large projects. */
export interface ColumnListingAdapter extends Adapter {
  /** Columns of each relation in a schema, in order, keyed by the relation's name in lower case. */
  listSchemaColumns(database: string | null, schema: string): Promise<Map<string, ColumnDef[]>>;
}

/** An adapter whose databases are files it can open next to its own (DuckDB's ATTACH). */
export interface AttachingAdapter extends Adapter {
  /** The absolute path of the target's database file, or null when it has none (in memory). */
  databaseLocation(): string | null;
  /** Whether a database (catalog) of this name is visible to queries. */
  hasDatabase(name: string): Promise<boolean>;
  /** Attaches the database file at `location` read-only under the catalog name `name`. */
  attachReadOnly(location: string, name: string): Promise<void>;
}

/** An adapter that can create a table as a zero-copy clone of another (Snowflake, BigQuery, Databricks). */
export interface CloningAdapter extends Adapter {
  /** Creates (or replaces) `to` as a clone of the table `from`. */
  cloneTable(from: RelationRef, to: RelationRef): Promise<void>;
}

/** Creates an adapter for a target; registered by name in the CLI's adapter registry. */
export type AdapterFactory = (options: AdapterOptions) => Adapter;
