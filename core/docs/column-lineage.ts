import { parseSelectStatement, type SqlAst } from './sql-ast.js';

/** One upstream column: the node that holds it and the column's name there. */
export interface ColumnOrigin {
  node: string;
  column: string;
}

/** Where one output column of a model comes from. */
export interface ColumnLineage {
  /** Upstream columns the value is computed from (empty for a constant). */
  from: ColumnOrigin[];
  /** Why the origin is not (fully) known; absent when `from` is the whole story. */
  unknown?: string;
}

/** The column-level lineage of one model, keyed by output column name. */
export interface ModelLineage {
  columns: Record<string, ColumnLineage>;
  /** Why no lineage at all could be found (the SQL did not parse), when that is the case. */
  error?: string;
}

/** What lineage needs to know about the project: which node a relation is, and its columns. */
export interface LineageContext {
  /** The node a relation name in the SQL stands for (parts unquoted, as written), if any. */
  resolveRelation(parts: { database: string | null; schema: string | null; table: string }): string | undefined;
  /** A node's columns in order (from the catalog or YAML), or undefined when not known. */
  columnsOf(nodeId: string): string[] | undefined;
  /** The node an ephemeral model's CTE name stands for (`__strata__cte__name`), if it is one. */
  ephemeralNode?(cteName: string): string | undefined;
}

interface Col {
  name: string | null;
  origins: Map<string, ColumnOrigin>;
  unknown?: string;
}

/** A relation in scope: its columns in order and whether that list is complete. */
interface Rel {
  columns: Col[];
  complete: boolean;
  /** A project node read directly: any column named on it comes from that node's column. */
  node?: string;
  /** Why this relation's columns cannot be traced (not a project node, a table function...). */
  opaque?: string;
}

interface ScopeItem {
  names: string[];
  rel: Rel;
}

const origin = (c: ColumnOrigin) => `${c.node}\u0000${c.column.toLowerCase()}`;
const lower = (s: string) => s.toLowerCase();

/**
 * Follows each output column of a model's compiled SQL back to the columns of the nodes it reads,
 * through CTEs, subqueries, joins, set operations, aggregates and `select *` (expanded with known
 * columns). Whatever cannot be traced is marked unknown with the reason, never guessed.
 */
export function columnLineage(sql: string, self: string, context: LineageContext, dialect = 'postgresql'): ModelLineage {
  let ast: SqlAst;
  try {
    ast = parseSelectStatement(sql, dialect);
  } catch (error) {
    return { columns: unknownColumns(context.columnsOf(self), `the compiled SQL could not be parsed (${shortMessage(error)})`), error: `the compiled SQL could not be parsed: ${shortMessage(error)}` };
  }
  let rel: Rel;
  try {
    rel = new LineageWalker(context).query(ast, new Map());
  } catch (error) {
    return { columns: unknownColumns(context.columnsOf(self), `the SQL has a shape lineage does not follow (${shortMessage(error)})`), error: shortMessage(error) };
  }
  return { columns: matchOutputColumns(rel, context.columnsOf(self)) };
}

function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function unknownColumns(names: string[] | undefined, reason: string): Record<string, ColumnLineage> {
  const out: Record<string, ColumnLineage> = {};
  for (const name of names ?? []) out[name] = { from: [], unknown: reason };
  return out;
}

/** Pairs the parsed select's outputs with the model's real columns (by name, else by position). */
function matchOutputColumns(rel: Rel, actual: string[] | undefined): Record<string, ColumnLineage> {
  const out: Record<string, ColumnLineage> = {};
  const toLineage = (col: Col): ColumnLineage => ({ from: [...col.origins.values()], ...(col.unknown ? { unknown: col.unknown } : {}) });
  if (!actual) {
    for (const col of rel.columns) if (col.name !== null && !(lower(col.name) in out)) out[col.name] = toLineage(col);
    return out;
  }
  const byName = new Map<string, Col>();
  for (const col of rel.columns) if (col.name !== null && !byName.has(lower(col.name))) byName.set(lower(col.name), col);
  const positional = rel.complete && rel.columns.length === actual.length;
  actual.forEach((name, i) => {
    const col = byName.get(lower(name)) ?? (positional ? rel.columns[i] : undefined);
    if (col) out[name] = toLineage(col);
    else out[name] = { from: [], unknown: rel.complete ? 'not found among the columns of the parsed select' : rel.columns.find((c) => c.unknown)?.unknown ?? 'not found among the columns of the parsed select' };
  });
  return out;
}

class LineageWalker {
  constructor(private readonly context: LineageContext) {}

  /** A select, or a chain of set operations (`_next`), with its own WITH clause. */
  query(ast: SqlAst, outer: Map<string, Rel>): Rel {
    if (ast.type !== 'select') throw new Error(`a ${String(ast.type)} statement is not a select`);
    const ctes = new Map(outer);
    for (const cte of (ast.with as SqlAst[] | null) ?? []) {
      const name = identifier(cte.name);
      if (!name) continue;
      const stmt = (cte.stmt as SqlAst).ast ? ((cte.stmt as SqlAst).ast as SqlAst) : (cte.stmt as SqlAst);
      const ephemeral = this.context.ephemeralNode?.(name);
      const inner = this.query(stmt, ctes);
      const renamed = (cte.columns as unknown[] | null)?.map((c) => identifier(c)) ?? null;
      const rel = renamed ? { ...inner, columns: inner.columns.map((c, i) => ({ ...c, name: renamed[i] ?? c.name })) } : inner;
      // An ephemeral model is a node of its own: its columns point at it, its own lineage goes further.
      ctes.set(lower(name), ephemeral ? this.nodeRel(ephemeral, rel.columns.map((c) => c.name).filter((n): n is string => n !== null)) : rel);
    }
    let result = this.select(ast, ctes);
    for (let next = ast._next as SqlAst | undefined; next; next = next._next as SqlAst | undefined) {
      const branch = this.select(next, ctes);
      result = {
        complete: result.complete && branch.complete,
        columns: result.columns.map((col, i) => {
          const other = branch.columns[i];
          const origins = new Map(col.origins);
          if (other) for (const [k, v] of other.origins) origins.set(k, v);
          const unknown = col.unknown ?? other?.unknown ?? (other ? undefined : 'a branch of the set operation has fewer columns');
          return { name: col.name, origins, ...(unknown ? { unknown } : {}) };
        }),
      };
    }
    return result;
  }

  private select(ast: SqlAst, ctes: Map<string, Rel>): Rel {
    const scope = this.from((ast.from as SqlAst[] | null) ?? [], ctes);
    const columns: Col[] = [];
    let complete = true;
    for (const item of (ast.columns as SqlAst[] | string | null) ?? []) {
      if (typeof item === 'string') continue;
      const expr = item.expr as SqlAst;
      const star = expr?.type === 'column_ref' && columnName(expr) === '*';
      if (star || expr?.type === 'star') {
        const table = star ? identifier(expr.table) : null;
        const items = table ? scope.filter((s) => s.names.includes(lower(table))) : scope;
        if (items.length === 0) throw new Error(`'${table}.*' names no relation in scope`);
        for (const s of items) {
          columns.push(...s.rel.columns);
          if (!s.rel.complete) {
            complete = false;
            columns.push({ name: null, origins: new Map(), unknown: s.rel.opaque ?? `from ${table ?? 'select'} *, whose columns are not known (build the model so the catalog lists them)` });
          }
        }
        continue;
      }
      const col: Col = { name: outputName(item), origins: new Map() };
      this.expression(expr, scope, ctes, col, columns);
      columns.push(col);
    }
    return { columns, complete };
  }

  /** The relations of a FROM clause with the names they are known by. */
  private from(items: SqlAst[], ctes: Map<string, Rel>): ScopeItem[] {
    const scope: ScopeItem[] = [];
    for (const item of items) {
      const alias = typeof item.as === 'string' ? item.as : identifier(item.as);
      const expr = item.expr as SqlAst | undefined;
      if (expr?.ast) {
        scope.push({ names: alias ? [lower(alias)] : [], rel: this.query(expr.ast as SqlAst, ctes) });
        continue;
      }
      if (typeof item.table !== 'string') {
        const what = expr?.type === 'function' ? 'a table function' : 'an expression';
        scope.push({ names: alias ? [lower(alias)] : [], rel: { columns: [], complete: false, opaque: `reads ${what}, whose columns lineage does not follow` } });
        continue;
      }
      const table = item.table;
      const database = typeof item.db === 'string' ? item.db : null;
      const schema = typeof item.schema === 'string' ? item.schema : null;
      const names = [lower(alias ?? table)];
      const cte = !database && !schema ? ctes.get(lower(table)) : undefined;
      if (cte) {
        scope.push({ names, rel: cte });
        continue;
      }
      const node = this.context.resolveRelation({ database, schema, table });
      if (!node) {
        const written = [database, schema, table].filter(Boolean).join('.');
        scope.push({ names, rel: { columns: [], complete: false, opaque: `reads ${written}, which is not a node of the project` } });
        continue;
      }
      scope.push({ names, rel: this.nodeRel(node, this.context.columnsOf(node)) });
    }
    return scope;
  }

  private nodeRel(node: string, columns: string[] | undefined): Rel {
    return {
      node,
      complete: columns !== undefined,
      columns: (columns ?? []).map((name) => ({ name, origins: new Map([[origin({ node, column: name }), { node, column: name }]]) })),
    };
  }

  /** Adds every column an expression reads to `col`; `earlier` are the select's previous outputs (DuckDB lets them be named). */
  private expression(expr: unknown, scope: ScopeItem[], ctes: Map<string, Rel>, col: Col, earlier: Col[]): void {
    if (!expr || typeof expr !== 'object') return;
    if (Array.isArray(expr)) {
      for (const e of expr) this.expression(e, scope, ctes, col, earlier);
      return;
    }
    const node = expr as SqlAst;
    if (node.type === 'column_ref') {
      this.columnRef(node, scope, col, earlier);
      return;
    }
    if (node.ast && typeof node.ast === 'object') {
      // A scalar subquery: the value comes from whatever that query reads.
      const inner = this.query(node.ast as SqlAst, ctes);
      for (const c of inner.columns) merge(col, c);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'tableList' || key === 'columnList' || key === 'loc') continue;
      if (value && typeof value === 'object') this.expression(value, scope, ctes, col, earlier);
    }
  }

  private columnRef(ref: SqlAst, scope: ScopeItem[], col: Col, earlier: Col[]): void {
    const name = columnName(ref);
    if (!name || name === '*') return;
    const table = identifier(ref.table);
    const key = lower(name);
    if (table) {
      const item = scope.find((s) => s.names.includes(lower(table)));
      if (!item) return setUnknown(col, `${table}.${name} names no relation in scope`);
      return readColumn(item.rel, key, name, col);
    }
    const having = scope.filter((s) => s.rel.columns.some((c) => c.name !== null && lower(c.name) === key));
    // `join ... using (id)`: an unqualified id is every side's id at once.
    if (having.length > 0) {
      for (const s of having) readColumn(s.rel, key, name, col);
      return;
    }
    const alias = earlier.find((c) => c.name !== null && lower(c.name) === key);
    if (alias) return merge(col, alias);
    const open = scope.filter((s) => !s.rel.complete);
    if (open.length === 1) return readColumn(open[0].rel, key, name, col);
    setUnknown(col, open.length > 1 ? `column ${name} could come from ${open.length} relations whose columns are not known` : `column ${name} is not a column of any relation in scope`);
  }
}

function readColumn(rel: Rel, key: string, name: string, col: Col): void {
  const found = rel.columns.find((c) => c.name !== null && lower(c.name) === key);
  if (found) return merge(col, found);
  if (rel.node) {
    const o = { node: rel.node, column: name };
    col.origins.set(origin(o), o);
    return;
  }
  setUnknown(col, rel.opaque ?? `column ${name} is not among the columns of its relation`);
}

function merge(into: Col, from: Col): void {
  for (const [k, v] of from.origins) into.origins.set(k, v);
  if (from.unknown) setUnknown(into, from.unknown);
}

function setUnknown(col: Col, reason: string): void {
  col.unknown ??= reason;
}

/** The name a select item gets: its alias, or the column it reads as is; null when the warehouse names it. */
function outputName(item: SqlAst): string | null {
  const alias = typeof item.as === 'string' ? item.as : identifier(item.as);
  if (alias) return alias;
  const expr = item.expr as SqlAst | undefined;
  if (expr?.type === 'column_ref') return columnName(expr);
  // `x::int` keeps the name x in DuckDB and Postgres.
  if (expr?.type === 'cast' && (expr.expr as SqlAst | undefined)?.type === 'column_ref') return columnName(expr.expr as SqlAst);
  return null;
}

function columnName(ref: SqlAst): string | null {
  return identifier(ref.column);
}

/** An identifier as node-sql-parser writes it: a string, or `{expr: {value}}` / `{value}`. */
function identifier(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return null;
  const v = value as SqlAst;
  if (typeof v.value === 'string') return v.value;
  if (v.expr) return identifier(v.expr);
  return null;
}
