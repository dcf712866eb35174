import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Adapter, AdapterFactory, AdapterOptions, AttachingAdapter, ColumnDef, ColumnListingAdapter, QueryResult, RelationInfo, RelationRef, RelationType } from '../../core/adapter/adapter.js';
import { UserError } from '../../core/errors/user-error.js';
import { DuckDBConnectionPool, inTransaction, runOn } from './duckdb-connection.js';
import { DuckDBDialect } from './duckdb-dialect.js';
import { catalogNameFor, readDuckDBTarget, type DuckDBTarget } from './duckdb-target.js';

/** Rows per INSERT statement when the appender cannot be used. */
const INSERT_BATCH = 500;

/** The embedded DuckDB warehouse: one database file (or memory) shared by a pool of connections. */
export class DuckDBAdapter implements AttachingAdapter, ColumnListingAdapter {
  readonly type = 'duckdb';
  readonly sql = new DuckDBDialect();
  readonly defaultSchema: string;
  private readonly target: DuckDBTarget;
  private catalog: string;
  private pool: DuckDBConnectionPool | undefined;

  constructor(private readonly options: AdapterOptions) {
    this.target = readDuckDBTarget(options);
    this.defaultSchema = this.target.schema;
    this.catalog = catalogNameFor(this.target.path);
  }

  get defaultDatabase(): string {
    return this.catalog;
  }

  async open(): Promise<void> {
    if (this.pool) return;
    const { target } = this;
    if (!target.inMemory) createParentFolder(target);
    let pool: DuckDBConnectionPool;
    try {
      pool = await DuckDBConnectionPool.open(target.path, target.threads, (connection) => this.setUp(connection));
    } catch (error) {
      throw error instanceof UserError ? error : openError(target, error);
    }
    const [[name]] = (await pool.run('select current_database()')).rows as [[string]];
    if (target.database !== undefined && target.database.toLowerCase() !== name.toLowerCase()) {
      pool.close();
      throw new UserError(`target '${this.options.targetName}': database '${target.database}' does not match the DuckDB file ${target.shownPath}, whose database is '${name}'`, {
        hint: `DuckDB names the database after the file: set database: ${name}, or leave 'database' out`,
      });
    }
    this.catalog = name;
    this.pool = pool;
    // Attached databases belong to the instance: attaching once serves every connection.
    for (const attachment of target.attach) await this.attachDatabase(attachment.path, attachment.alias, attachment.readOnly);
  }

  async close(): Promise<void> {
    this.pool?.close();
    this.pool = undefined;
  }

  async execute(sql: string): Promise<QueryResult> {
    return this.connections().run(sql);
  }

  async transaction(statements: string[]): Promise<void> {
    return this.connections().transaction(statements);
  }

  async listRelations(database: string | null, schema: string): Promise<RelationInfo[]> {
    // DuckDB matches names case-insensitively even when quoted, so the catalog lookups do too.
    const db = database ?? this.catalog;
    const result = await this.connections().run(
      `select database_name, schema_name, table_name, 'table' from duckdb_tables()
        where not internal and lower(database_name) = lower($1) and lower(schema_name) = lower($2)
       union all
       select database_name, schema_name, view_name, 'view' from duckdb_views()
        where not internal and lower(database_name) = lower($1) and lower(schema_name) = lower($2)
       order by 3`,
      [db, schema],
    );
    return result.rows.map(([database, schema, identifier, type]) => ({
      database: database as string,
      schema: schema as string,
      identifier: identifier as string,
      type: type as RelationType,
    }));
  }

  async getColumns(rel: RelationRef): Promise<ColumnDef[]> {
    const result = await this.connections().run(
      `select column_name, data_type from duckdb_columns()
        where lower(database_name) = lower($1) and lower(schema_name) = lower($2) and lower(table_name) = lower($3)
        order by column_index`,
      [rel.database ?? this.catalog, rel.schema, rel.identifier],
    );
    return result.rows.map(([name, dataType]) => ({ name: name as string, dataType: dataType as string }));
  }

  canListSchemaColumns(): this is ColumnListingAdapter {
    return true;
  }

  async listSchemaColumns(database: string | null, schema: string): Promise<Map<string, ColumnDef[]>> {
    // One scan of the catalog instead of one per relation: 10,000 getColumns calls each scan it all.
    const result = await this.connections().run(
      `select table_name, column_name, data_type from duckdb_columns()
        where lower(database_name) = lower($1) and lower(schema_name) = lower($2)
        order by table_name, column_index`,
      [database ?? this.catalog, schema],
    );
    const out = new Map<string, ColumnDef[]>();
    for (const [table, name, dataType] of result.rows) {
      const key = (table as string).toLowerCase();
      const list = out.get(key) ?? [];
      list.push({ name: name as string, dataType: dataType as string });
      out.set(key, list);
    }
    return out;
  }

  async createSchema(database: string | null, schema: string): Promise<void> {
    const name = database ? `${this.sql.quote(database)}.${this.sql.quote(schema)}` : this.sql.quote(schema);
    await this.execute(`create schema if not exists ${name}`);
  }

  async insertRows(rel: RelationRef, columns: ColumnDef[], rows: (string | null)[][]): Promise<number> {
    if (rows.length === 0) return 0;
    rows.forEach((row, i) => {
      if (row.length !== columns.length) throw new Error(`row ${i + 1} has ${row.length} values for ${columns.length} columns`);
    });
    const existing = await this.getColumns(rel);
    if (existing.length === 0) throw new Error(`cannot insert rows: ${this.sql.relation(rel)} does not exist`);
    const typeOf = new Map(existing.map((c) => [c.name.toLowerCase(), c.dataType]));
    const missing = columns.find((c) => !typeOf.has(c.name.toLowerCase()));
    if (missing) throw new Error(`cannot insert rows: ${this.sql.relation(rel)} has no column "${missing.name}"`);
    const types = columns.map((c) => typeOf.get(c.name.toLowerCase()) as string);
    // The appender fills whole rows in table order, so it serves only when the columns are exactly the table's.
    const wholeRows = existing.length === columns.length && existing.every((c, i) => c.name.toLowerCase() === columns[i].name.toLowerCase());
    await this.connections().withConnection((connection) =>
      inTransaction(connection, () => (wholeRows ? this.append(connection, rel, columns, types, rows) : this.insertBatches(connection, rel, columns, types, rows))),
    );
    return rows.length;
  }

  canAttachDatabases(): this is AttachingAdapter {
    return true;
  }

  knownEmpty(database: string | null): boolean {
    const { target } = this;
    if (this.pool || target.inMemory || existsSync(target.path)) return false;
    // A mismatched 'database' must still fail as open() would; another catalog may be attached.
    if (target.database !== undefined && target.database.toLowerCase() !== this.catalog.toLowerCase()) return false;
    return (database ?? this.catalog).toLowerCase() === this.catalog.toLowerCase();
  }

  databaseLocation(): string | null {
    return this.target.inMemory ? null : this.target.path;
  }

  async hasDatabase(name: string): Promise<boolean> {
    const result = await this.connections().run('select 1 from duckdb_databases() where lower(database_name) = lower($1)', [name]);
    return result.rows.length > 0;
  }

  async attachReadOnly(location: string, name: string): Promise<void> {
    await this.attachDatabase(location, name, true);
  }

  /** ATTACH; an attached database belongs to the instance, so every connection of the pool sees it. */
  private async attachDatabase(location: string, name: string, readOnly: boolean): Promise<void> {
    try {
      await this.connections().run(`attach if not exists ${quoteLiteral(location)} as ${this.sql.quote(name)}${readOnly ? ' (read_only)' : ''}`);
    } catch (error) {
      throw new UserError(`cannot attach the DuckDB file ${location} as '${name}': ${firstLine(error)}`, {
        hint: /lock/i.test(firstLine(error)) ? 'another process has that file open for writing: let it finish, or copy the file and attach the copy' : 'check that the file exists and is a DuckDB database of this version',
        cause: error,
      });
    }
  }

  describe(): string {
    const where = this.target.inMemory ? 'in memory' : `file ${this.target.shownPath}`;
    return `duckdb ${where} (schema ${this.defaultSchema})`;
  }

  private connections(): DuckDBConnectionPool {
    if (!this.pool) throw new Error('the DuckDB adapter is not open: call open() first');
    return this.pool;
  }

  /** LOADs extensions and applies settings on a fresh connection. */
  private async setUp(connection: DuckDBConnection): Promise<void> {
    const { target, options } = this;
    for (const extension of target.extensions) {
      await connection.run(`load ${quoteLiteral(extension)}`).catch((error: unknown) => {
        throw new UserError(`target '${options.targetName}': cannot load DuckDB extension '${extension}': ${firstLine(error)}`, {
          hint: `Strata only LOADs extensions, it never downloads them: install it once with \`duckdb -c "INSTALL ${extension}"\` where the network is open, or remove it from 'extensions'`,
          cause: error,
        });
      });
    }
    for (const [key, value] of Object.entries(target.settings)) {
      const literal = typeof value === 'string' ? quoteLiteral(value) : String(value);
      await connection.run(`set ${key} = ${literal}`).catch((error: unknown) => {
        throw new UserError(`target '${options.targetName}': cannot apply DuckDB setting ${key} = ${literal}: ${firstLine(error)}`, {
          hint: "check the name and value under 'settings' against DuckDB's configuration reference",
          cause: error,
        });
      });
    }
  }

  /** Fast path: DuckDB's appender casts the text of each value to the column's type. */
  private async append(connection: DuckDBConnection, rel: RelationRef, columns: ColumnDef[], types: string[], rows: (string | null)[][]): Promise<void> {
    const appender: DuckDBAppender = await connection.createAppender(rel.identifier, rel.schema, rel.database ?? this.catalog);
    let done = false;
    try {
      rows.forEach((row, r) => {
        row.forEach((value, c) => {
          if (value === null) return appender.appendNull();
          try {
            appender.appendVarchar(value);
          } catch (error) {
            throw badValue(value, columns[c].name, types[c], r, error);
          }
        });
        appender.endRow();
      });
      appender.flushSync();
      done = true;
    } finally {
      // A half-filled row cannot be flushed, so an appender that failed is emptied before closing.
      if (!done) appender.clear();
      appender.closeSync();
    }
  }

  /** Multi-row INSERTs with every value cast to its column's type. */
  private async insertBatches(connection: DuckDBConnection, rel: RelationRef, columns: ColumnDef[], types: string[], rows: (string | null)[][]): Promise<void> {
    const head = `insert into ${this.sql.relation(rel)} (${columns.map((c) => this.sql.quote(c.name)).join(', ')}) values\n`;
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      const batch = rows.slice(start, start + INSERT_BATCH);
      const values = batch.map((row) => `(${row.map((v, c) => (v === null ? 'null' : `cast(${quoteLiteral(v)} as ${types[c]})`)).join(', ')})`);
      try {
        await connection.run(head + values.join(',\n'));
      } catch (error) {
        throw new UserError(`cannot load rows ${start + 1} to ${start + batch.length}: ${firstLine(error)}`, {
          hint: 'fix the value in the data, or declare a wider type for its column (column_types)',
          cause: error,
        });
      }
    }
  }
}

/** Creates a DuckDB adapter for a `type: duckdb` target (not yet open). */
export const createDuckDBAdapter: AdapterFactory = (options) => new DuckDBAdapter(options);

function createParentFolder(target: DuckDBTarget): void {
  const folder = path.dirname(target.path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create the folder of the DuckDB file ${target.shownPath}: ${firstLine(error)}`, {
      hint: "check the target's 'path' and the permissions of its folders",
      cause: error,
    });
  }
}

/** Turns DuckDB's error on opening a file into a message with a hint for the usual causes. */
function openError(target: DuckDBTarget, error: unknown): UserError {
  const message = firstLine(error);
  let hint = "check the target's 'path'";
  if (/lock/i.test(message)) {
    hint = 'another process has the file open (a DuckDB shell, a BI tool, another strata run): close it, or point this target at another file';
  } else if (isDirectory(target.path)) {
    hint = "'path' names a folder: give a file name, e.g. target/shop.duckdb";
  } else if (/not a valid DuckDB database|version|serializ/i.test(message)) {
    hint = 'the file is not a database of this DuckDB version: move it away to start afresh, or point this target at another file';
  }
  return new UserError(`cannot open DuckDB database ${target.shownPath}: ${message}`, { hint, cause: error });
}

function badValue(value: string, column: string, type: string, row: number, error: unknown): UserError {
  return new UserError(`cannot load '${value}' into column "${column}" (${type}), data row ${row + 1}: ${firstLine(error)}`, {
    hint: `fix the value in the data, or declare another type for "${column}" (column_types)`,
    cause: error,
  });
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
