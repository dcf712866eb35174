import { parse } from 'csv-parse/sync';
import type { InferredType } from '../adapter/adapter.js';
import { ColumnTypeInference, inferColumnType } from '../seeds/infer-column-type.js';

/** Fixture rows ready to render: column names, a SQL type per column when one is known, and values as SQL literals. */
export interface FixtureTable {
  columns: string[];
  /** Type to cast each column to, or null to let the warehouse type the literals. */
  types: (string | null)[];
  /** Each row's values as SQL literals, in column order. */
  rows: string[][];
}

/** Raised for malformed fixture rows; the caller adds the file and line. */
export class FixtureError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** Index of the offending row of a dict fixture. */
    readonly row?: number,
    /** 1-based line of a CSV text. */
    readonly line?: number,
  ) {
    super(message);
  }
}

export interface ReadFixtureOptions {
  /**
   * `input` rows keep the types YAML gives them and type CSV text like seeds are typed;
   * `expect` rows are all text, to be cast to the model's column types when compared.
   */
  role: 'input' | 'expect';
  /**
   * Columns the input relation is known to have (from YAML `columns:`), with their `data_type`
   * if declared: a declared type wins over inference, and a known column the rows leave out is null.
   */
  known?: readonly { name: string; type: string | null }[];
  /** CSV field delimiter, `,` unless set (a seed's `delimiter`). */
  delimiter?: string;
}

/** Portable spellings of the kinds seed inference finds. */
const SQL_TYPES: Record<InferredType, string> = {
  boolean: 'boolean',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  date: 'date',
  timestamp: 'timestamp',
  text: 'varchar',
};

/** Reads dict rows or CSV text into a table; a column missing from some rows is null there. */
export function readFixtureTable(rows: unknown, format: 'dict' | 'csv', options: ReadFixtureOptions): FixtureTable {
  const table = format === 'csv' ? readCsv(rows, options) : readDict(rows, options);
  const given = new Set(table.columns.map((c) => c.toLowerCase()));
  for (const column of options.known ?? []) {
    if (given.has(column.name.toLowerCase())) continue;
    table.columns.push(column.name);
    table.types.push(column.type);
    for (const row of table.rows) row.push('null');
  }
  if (table.columns.length === 0 && options.role === 'input') {
    throw new FixtureError('the rows name no column, and the columns of this input are not known', `give at least one row with its columns, list the columns under 'columns:' in the YAML of the input, or use format: sql (rows: "select 1 as id where false")`);
  }
  return table;
}

function declaredType(options: ReadFixtureOptions, column: string): string | null {
  return options.known?.find((k) => k.name.toLowerCase() === column.toLowerCase())?.type ?? null;
}

function readDict(rows: unknown, options: ReadFixtureOptions): FixtureTable {
  if (!Array.isArray(rows)) throw new FixtureError(`'rows' must be a list of mappings`, '- {order_id: 1, status: shipped}, or format: csv with a CSV text');
  const columns: string[] = [];
  const index = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new FixtureError(`row ${i + 1} is not a mapping of column to value`, '- {order_id: 1, status: shipped}', i);
    for (const [column, value] of Object.entries(row)) {
      if (value !== null && typeof value === 'object') {
        throw new FixtureError(`row ${i + 1}: the value of '${column}' is a ${Array.isArray(value) ? 'list' : 'mapping'}; only single values are supported`, "quote it to pass text, or use format: sql", i);
      }
      // Warehouses match unquoted names without case, so `ID` and `id` are one column (first spelling wins).
      const key = column.toLowerCase();
      if (!index.has(key)) {
        index.set(key, columns.length);
        columns.push(column);
      }
    }
  });
  const values = (rows as Record<string, unknown>[]).map((row) => {
    const byKey = new Map(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
    return columns.map((c) => byKey.get(c.toLowerCase()) ?? null);
  });
  const types = columns.map((column, c) => {
    const declared = declaredType(options, column);
    if (declared) return declared;
    if (options.role === 'expect') return null;
    // YAML types numbers and booleans, but a date is just text: type it the way a seed column would be.
    const texts = values.map((row) => row[c]).filter((v) => v !== null);
    if (texts.length === 0 || !texts.every((v) => typeof v === 'string')) return null;
    const kind = inferColumnType(texts as string[]);
    return kind === 'date' || kind === 'timestamp' ? SQL_TYPES[kind] : null;
  });
  const render = options.role === 'expect' ? textLiteral : literal;
  return { columns, types, rows: values.map((row) => row.map(render)) };
}

function readCsv(text: unknown, options: ReadFixtureOptions): FixtureTable {
  if (typeof text !== 'string') throw new FixtureError(`with format: csv, 'rows' must be a CSV text`, 'rows: | followed by lines of CSV, the first naming the columns');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: options.delimiter ?? ',', bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new FixtureError(`cannot parse the CSV rows: ${(error as Error).message.replace(/ at line \d+/, '')}`, 'a value holding a comma, a quote or a line break must be in double quotes', undefined, line);
  }
  if (records.length === 0) throw new FixtureError('the CSV rows have no header', 'the first line must name the columns, e.g. order_id,status');
  const [{ record: header, info: headerInfo }, ...body] = records;
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new FixtureError(`column ${i + 1} of the CSV header has no name`, 'the first line must name every column', undefined, headerInfo.lines);
    if (seen.has(name.toLowerCase())) throw new FixtureError(`the CSV header names column '${name}' twice`, 'rename one of them', undefined, headerInfo.lines);
    seen.add(name.toLowerCase());
  });
  const values = body.map(({ record, info }) => {
    if (record.length !== header.length) {
      throw new FixtureError(`a CSV row has ${record.length} values for ${header.length} columns`, 'every row needs one value per column (an empty value is null)', undefined, info.lines);
    }
    return record.map((v) => (v === '' ? null : v));
  });
  const types = header.map((column, c) => {
    const declared = declaredType(options, column);
    if (declared) return declared;
    if (options.role === 'expect') return null;
    const inference = new ColumnTypeInference();
    for (const row of values) inference.add(row[c]);
    return SQL_TYPES[inference.type];
  });
  return { columns: header, types, rows: values.map((row) => row.map(textLiteral)) };
}

/** A YAML scalar as a SQL literal that keeps its type. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    return `cast('${Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf'}' as double precision)`;
  }
  return textLiteral(value);
}

function textLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Quotes an identifier the ANSI way (DuckDB, Postgres, Snowflake and Redshift all read it). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The table as a select: one `select ... union all` per row, cast to the known types. */
export function fixtureTableSql(table: FixtureTable): string {
  const { columns, types, rows } = table;
  const names = columns.map(quoteIdentifier);
  if (rows.length === 0) {
    // No rows: only the columns and their types matter.
    return `select ${names.map((n, c) => `${types[c] ? `cast(null as ${types[c]})` : 'null'} as ${n}`).join(', ')}\nwhere 1 = 0`;
  }
  const body = rows.map((row) => `select ${row.map((v, c) => `${v} as ${names[c]}`).join(', ')}`).join('\nunion all\n');
  if (types.every((t) => t === null)) return body;
  // Cast once outside the union: the union settles a type from the literals, the cast makes it the known one.
  const casts = names.map((n, c) => (types[c] ? `cast(${n} as ${types[c]}) as ${n}` : n));
  return `select ${casts.join(', ')}\nfrom (\n${body}\n) as __strata_rows`;
}
