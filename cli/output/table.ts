/** Renders rows as a plain text table with a header and aligned columns. */
export function formatTable(columns: string[], rows: unknown[][]): string {
  const cell = (value: unknown) => (value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const text = rows.map((row) => row.map(cell));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...text.map((r) => r[i].length))));
  const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  const numeric = columns.map((_, i) => text.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number' || (typeof r[i] === 'string' && /^-?\d+(\.\d+)?$/.test(r[i] as string))));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (numeric[i] ? c.slice(0, widths[i]).padStart(widths[i]) : fit(c, widths[i]))).join(' | ') + ' |';
  const rule = '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |';
  return [line(columns.map((c, i) => fit(c, widths[i]))), rule, ...text.map(line)].join('\n');
}
