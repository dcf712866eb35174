/** Rows that differ between expected and actual, each side with its duplicates counted. */
export interface RowDiff {
  /** Expected rows the model did not return. */
  missing: unknown[][];
  /** Rows the model returned that were not expected. */
  extra: unknown[][];
}

/** Compares two lists of rows as multisets: order does not matter, duplicates do. */
export function diffRows(expected: unknown[][], actual: unknown[][]): RowDiff {
  const left = new Map<string, { row: unknown[]; count: number }>();
  for (const row of expected) {
    const key = JSON.stringify(row);
    const entry = left.get(key);
    if (entry) entry.count++;
    else left.set(key, { row, count: 1 });
  }
  const extra: unknown[][] = [];
  for (const row of actual) {
    const entry = left.get(JSON.stringify(row));
    if (entry && entry.count > 0) entry.count--;
    else extra.push(row);
  }
  const missing: unknown[][] = [];
  for (const { row, count } of left.values()) for (let i = 0; i < count; i++) missing.push(row);
  return { missing, extra };
}

const MAX_CELL = 40;

function cell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = 'null';
  else if (typeof value === 'string') text = value === '' ? "''" : value.replace(/\r?\n/g, '\\n');
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function compareCells(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const byNumber = Number(a[i]) - Number(b[i]);
    if (byNumber) return byNumber;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * The differing rows as a table: `-` marks an expected row the model did not return, `+` a
 * returned row nobody expected. Rows are sorted by their first column, the expected row of a key
 * before the actual one, so that the two versions of a row sit together; at most `limit` rows.
 */
export function formatRowDiff(columns: string[], diff: RowDiff, limit = 20): string {
  const lines = [
    ...diff.missing.map((row) => ({ sign: '-', cells: row.map(cell) })),
    ...diff.extra.map((row) => ({ sign: '+', cells: row.map(cell) })),
  ].sort((a, b) => compareCells(a.cells.slice(0, 1), b.cells.slice(0, 1)) || (a.sign === b.sign ? 0 : a.sign === '-' ? -1 : 1) || compareCells(a.cells, b.cells));
  const shown = lines.slice(0, limit);
  const widths = columns.map((c, i) => Math.max(c.length, ...shown.map((l) => l.cells[i]?.length ?? 0)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  const counts = [diff.missing.length ? `${diff.missing.length} expected ${diff.missing.length === 1 ? 'row' : 'rows'} missing (-)` : '', diff.extra.length ? `${diff.extra.length} unexpected ${diff.extra.length === 1 ? 'row' : 'rows'} (+)` : '']
    .filter(Boolean)
    .join(', ');
  const out = [`actual differs from expected: ${counts}`, `  ${format(columns)}`, ...shown.map((l) => `${l.sign} ${format(l.cells)}`)];
  if (lines.length > shown.length) out.push(`  ... and ${lines.length - shown.length} more`);
  return out.join('\n');
}
