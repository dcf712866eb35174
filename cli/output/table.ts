/** Renders rows as a plain text table with a header and aligned columns. */
export function formatTable(columns: string[], rows: unknown[][]): string {
  // A line break or tab inside a value is shown escaped, so every row stays one line of the table.
  const cell = (value: unknown) => (value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value).replace(/[\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')));
  const text = rows.map((row) => row.map(cell));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...text.map((r) => r[i].length))));
  const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  const numeric = columns.map((_, i) => text.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number' || (typeof r[i] === 'string' && /^-?\d+(\.\d+)?$/.test(r[i] as string))));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (numeric[i] ? c.slice(0, widths[i]).padStart(widths[i]) : fit(c, widths[i]))).join(' | ') + ' |';
  const rule = '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |';
  return [line(columns.map((c, i) => fit(c, widths[i]))), rule, ...text.map(line)].join('\n');
}
