import mysql from 'mysql2/promise';
import type { SourceAdapter, SourceConnection, SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { MySqlConnection } from './mysql-connection.js';
import { readMySqlSettings, readMySqlTableSettings, type MySqlSourceSettings } from './mysql-settings.js';
import { attachSocketReads, socketReadsStream } from './mysql-socket-reads.js';

/**
 * The MySQL/MariaDB source (`loader: {type: mysql}`), through mysql2: full or incremental by a
 * cursor column with a lookback window, streamed in primary-key chunks, exact types.
 */
export const mysqlSource: SourceAdapter = {
  type: 'mysql',

  validate(source: SourceLoaderConfig): void {
    const settings = readMySqlSettings(source);
    for (const table of source.tables) readMySqlTableSettings(source, table, settings);
  },

  async connect(source: SourceLoaderConfig): Promise<SourceConnection> {
    const settings = readMySqlSettings(source);
    const pool = mysql.createPool({
      host: settings.host,
      port: settings.port,
      user: settings.user,
      password: settings.password,
      database: settings.database,
      // TLS wraps the socket mysql2 makes; without it, sockets that read into one buffer (mysql-socket-reads.ts).
      ...(settings.ssl ? { ssl: settings.ssl as mysql.PoolOptions['ssl'] } : { stream: socketReadsStream }),
      connectTimeout: settings.connectTimeout * 1000,
      connectionLimit: 8,
      // Exact values: DECIMAL and BIGINT as text, dates as the server's text (microseconds kept).
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      jsonStrings: true,
      timezone: 'Z',
    });
    // TIMESTAMP columns come out in the session's zone: UTC, so their values say what instant they are.
    pool.on('connection', (connection) => {
      attachSocketReads(connection);
      (connection as unknown as { query(sql: string): void }).query("set time_zone = '+00:00'");
    });
    try {
      await pool.query('select 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(connectError(error, settings));
    }
    return new MySqlConnection(source, settings, pool);
  },
};

/** One line saying why the server could not be used, without the password. */
function connectError(error: unknown, settings: MySqlSourceSettings): string {
  const e = error as { code?: string; message?: string };
  const where = `MySQL at ${settings.host}:${settings.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${where}: connection refused (is the server running on that port?)`;
    case 'ETIMEDOUT':
      return `cannot reach ${where} within ${settings.connectTimeout} s (check host, port and firewall; connect_timeout sets the wait)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect to ${where}: host '${settings.host}' not found`;
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `${where} refused user '${settings.user}': access denied (check the user and the password in the environment variable the loader names)`;
    case 'ER_BAD_DB_ERROR':
      return `database '${settings.database}' does not exist on ${where}`;
    default:
      return `cannot connect to ${where}: ${e.message ?? String(error)}`;
  }
}
