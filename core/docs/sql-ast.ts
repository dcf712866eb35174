import { createRequire } from 'node:module';
import { withoutLineageNeutralClauses } from './lineage-neutral-sql.js';

/** A node of node-sql-parser's AST, read field by field. */
export type SqlAst = Record<string, unknown>;

interface SqlParser {
  astify(sql: string, options?: { database?: string }): SqlAst | SqlAst[];
}

/** node-sql-parser's grammar for each adapter type; DuckDB's SQL is closest to Postgres'. */
const GRAMMARS: Record<string, string> = {
  duckdb: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  redshift: 'redshift',
  snowflake: 'snowflake',
  bigquery: 'bigquery',
  trino: 'trino',
  athena: 'athena',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

const require = createRequire(import.meta.url);
const parsers = new Map<string, SqlParser>();

/** The grammar lineage parses an adapter's SQL with. */
export function grammarFor(adapterType: string): string {
  return GRAMMARS[adapterType] ?? 'postgresql';
}

/**
 * Parses one select statement. Each grammar is its own build of node-sql-parser, loaded on first
 * use, so docs generation on DuckDB loads one grammar and compile never loads any.
 */
export function parseSelectStatement(sql: string, grammar: string): SqlAst {
  let parser = parsers.get(grammar);
  if (!parser) {
    const { Parser } = require(`node-sql-parser/build/${grammar}.js`) as { Parser: new () => SqlParser };
    parser = new Parser();
    parsers.set(grammar, parser);
  }
  const text = sql.trim().replace(/;\s*$/, '');
  let ast: SqlAst | SqlAst[];
  try {
    ast = parser.astify(text);
  } catch (error) {
    // DuckDB's `group by all`, `qualify` and `* exclude` are not in the grammars; without them
    // the select list, which is all lineage reads, is the same.
    const simpler = withoutLineageNeutralClauses(text);
    if (simpler === text) throw error;
    try {
      ast = parser.astify(simpler);
    } catch {
      throw error;
    }
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) throw new Error(`expected one statement, found ${statements.length}`);
  return statements[0];
}
