import { createReadStream } from 'node:fs';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import type { InferredType } from '../adapter/adapter.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { ColumnTypeInference } from './infer-column-type.js';

/** One column of a seed: its header name, the type its values suggest and the one declared in column_types. */
export interface SeedColumn {
  name: string;
  inferred: InferredType;
  /** The warehouse type from `column_types`, which wins over `inferred`. */
  declared?: string;
}

/** A parsed seed: columns in file order and rows as text, empty fields as null. */
export interface SeedData {
  columns: SeedColumn[];
  rows: (string | null)[][];
}

export interface ReadSeedOptions {
  /** Field delimiter, `,` unless set. */
  delimiter?: string;
  /** Declared types by column name (matched case-insensitively). */
  columnTypes?: Record<string, string>;
  /** How to name the file in messages; defaults to the path relative to the working folder. */
  displayPath?: string;
}

/** Reads a CSV seed (RFC 4180) and infers each column's type as it streams. */
export async function readSeed(file: string, options: ReadSeedOptions = {}): Promise<SeedData> {
  const shown = options.displayPath ?? displayPath(file);
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length === 0) {
    throw new UserError(`the delimiter of seed ${shown} must be one or more characters`, { hint: "e.g. delimiter: ';'" });
  }

  const input = createReadStream(file);
  const parser = parse({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  // pipe() does not pass on errors of the source (a missing file), so hand them over.
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let header: string[] | undefined;
  let declared: (string | undefined)[] = [];
  let inference: ColumnTypeInference[] = [];
  const rows: (string | null)[][] = [];
  let lastLine = 0;
  let lastEmptyLines = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
      // csv-parse reports the line a record ends on; a quoted field can span several lines.
      const line = lastLine + 1 + (info.empty_lines - lastEmptyLines);
      lastLine = info.lines;
      lastEmptyLines = info.empty_lines;
      if (!header) {
        header = checkHeader(record, shown, line);
        declared = declaredTypes(header, options.columnTypes ?? {}, shown);
        inference = header.map(() => new ColumnTypeInference());
        continue;
      }
      if (record.length !== header.length) {
        throw new UserError(`line ${line} has ${record.length} ${record.length === 1 ? 'field' : 'fields'}, but the header names ${header.length} columns`, {
          file: shown,
          line,
          hint: `every row needs one value per column; quote values that contain '${delimiter}' or line breaks ("a${delimiter} b")`,
        });
      }
      const row = record.map((value) => (value === '' ? null : value));
      row.forEach((value, i) => inference[i].add(value));
      rows.push(row);
    }
  } catch (error) {
    throw readError(error, shown);
  } finally {
    input.destroy();
  }

  if (!header) throw new UserError('the seed is empty', { file: shown, hint: 'the first line must name the columns, e.g. id,name' });
  return {
    columns: header.map((name, i) => ({ name, inferred: inference[i].type, ...(declared[i] ? { declared: declared[i] } : {}) })),
    rows,
  };
}

/** Header names, trimmed; each must be present and unique (case-insensitively, as warehouses compare them). */
function checkHeader(record: string[], file: string, line: number): string[] {
  const names = record.map((name) => name.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') {
      throw new UserError(`column ${i + 1} of the header has no name`, { file, line, hint: 'the first line must name every column' });
    }
    const before = seen.get(name.toLowerCase());
    if (before !== undefined) {
      throw new UserError(`the header names column '${name}' twice (columns ${before + 1} and ${i + 1})`, { file, line, hint: 'rename one of them' });
    }
    seen.set(name.toLowerCase(), i);
  });
  return names;
}

/** The declared type of each column, from column_types keyed case-insensitively. */
function declaredTypes(header: string[], columnTypes: Record<string, string>, file: string): (string | undefined)[] {
  const byName = new Map(header.map((name, i) => [name.toLowerCase(), i]));
  const declared: (string | undefined)[] = header.map(() => undefined);
  for (const [name, type] of Object.entries(columnTypes)) {
    const index = byName.get(name.trim().toLowerCase());
    if (index === undefined) {
      throw new UserError(`column_types of seed ${file} names column '${name}', which the seed does not have`, {
        hint: didYouMean(name, header) || `its columns: ${header.join(', ')}`,
      });
    }
    if (typeof type !== 'string' || type.trim() === '') {
      throw new UserError(`column_types of seed ${file} gives column '${name}' no type`, { hint: `e.g. ${name}: varchar` });
    }
    declared[index] = type.trim();
  }
  return declared;
}

function readError(error: unknown, file: string): unknown {
  if (error instanceof UserError) return error;
  if (error instanceof CsvError) {
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    return new UserError(`cannot parse seed: ${error.message.replace(/ at line \d+/, '')}`, {
      file,
      line,
      hint: 'a field that holds the delimiter, a quote or a line break must be in double quotes, with quotes inside doubled ("")',
      cause: error,
    });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
    const what = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : 'cannot be read (permission denied)';
    return new UserError(`seed ${file} ${what}`, { cause: error });
  }
  return error;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
