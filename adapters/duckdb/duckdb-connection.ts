import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { QueryResult } from '../../core/adapter/adapter.js';

/**
 * A fixed pool of connections to one DuckDB database. DuckDB runs queries of different
 * connections in parallel, and a transaction belongs to one connection, so each caller
 * borrows a connection for the whole of its work and gives it back.
 */
export class DuckDBConnectionPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: { resolve: (c: DuckDBConnection) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connections: DuckDBConnection[],
  ) {
    this.idle = [...connections];
  }

  /** Opens the database and `size` connections, running `setup` on each (LOAD, SET). */
  static async open(path: string, size: number, setup: (connection: DuckDBConnection) => Promise<void>): Promise<DuckDBConnectionPool> {
    const { DuckDBInstance } = await loadNodeApi();
    const instance = await DuckDBInstance.create(path);
    const connections: DuckDBConnection[] = [];
    try {
      for (let i = 0; i < Math.max(1, size); i++) {
        const connection = await instance.connect();
        connections.push(connection);
        await setup(connection);
      }
    } catch (error) {
      for (const c of connections) c.closeSync();
      instance.closeSync();
      throw error;
    }
    return new DuckDBConnectionPool(instance, connections);
  }

  /** How many connections the pool holds. */
  get size(): number {
    return this.connections.length;
  }

  /** Runs SQL (one or several statements) on any free connection; returns the last result. */
  async run(sql: string, params?: DuckDBValue[]): Promise<QueryResult> {
    return this.withConnection((connection) => runOn(connection, sql, params));
  }

  /** Runs statements between BEGIN and COMMIT on one connection; ROLLBACK if any fails. */
  async transaction(statements: string[]): Promise<void> {
    await this.withConnection((connection) =>
      inTransaction(connection, async () => {
        for (const statement of statements) await connection.run(statement);
      }),
    );
  }

  /** Lends one connection to `work` and takes it back when `work` settles. */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await work(connection);
    } finally {
      this.release(connection);
    }
  }

  /** Closes every connection and the database (DuckDB checkpoints the file on close). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('the DuckDB connection pool was closed'));
    for (const connection of this.connections) connection.closeSync();
    this.instance.closeSync();
  }

  private acquire(): Promise<DuckDBConnection> {
    if (this.closed) return Promise.reject(new Error('the DuckDB connection pool is closed'));
    const connection = this.idle.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(connection: DuckDBConnection): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next) next.resolve(connection);
    else this.idle.push(connection);
  }
}

type NodeApi = typeof import('@duckdb/node-api');
let nodeApi: NodeApi | undefined;

/**
 * The native DuckDB module, loaded on the first connection: commands that never connect
 * (parse, ls, a cold compile) skip the cost of loading it.
 */
async function loadNodeApi(): Promise<NodeApi> {
  return (nodeApi ??= await import('@duckdb/node-api'));
}

const NOTHING_TO_RUN = /^(?:\s|;|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*$/;

/** Runs SQL on one connection and reads the whole result into JSON-friendly rows. */
export async function runOn(connection: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<QueryResult> {
  // The node-api fails on SQL with no statement in it ("Error in native callback").
  if (NOTHING_TO_RUN.test(sql)) return { columns: [], rows: [], rowsAffected: null };
  // With parameters (even none) the node-api runs every statement and returns the last
  // result; without, it returns the first statement's result.
  const reader = await connection.runAndReadAll(sql, params);
  const columns = reader.columnNames().map((name, i) => ({ name, dataType: reader.columnType(i).toString() }));
  return {
    columns,
    // The node-api's JSON conversion gives BIGINT, HUGEINT and DECIMAL as strings (no
    // precision lost), dates and timestamps as ISO-like strings, lists as arrays.
    rows: reader.getRowsJson() as unknown[][],
    rowsAffected: reader.returnType === (await loadNodeApi()).ResultReturnType.CHANGED_ROWS ? reader.rowsChanged : null,
  };
}

/** Runs `work` between BEGIN and COMMIT on one connection, rolling back if it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('begin transaction');
  let result: T;
  try {
    result = await work();
    await connection.run('commit');
  } catch (error) {
    // A failed COMMIT has already rolled back, so this ROLLBACK may fail too; the first error is the one to report.
    await connection.run('rollback').catch(() => undefined);
    throw error;
  }
  return result;
}
