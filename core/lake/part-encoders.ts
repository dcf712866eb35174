/** Turns rows into the bytes of one part file, per format. Pure. */

/** JSON for one value: bigints as strings (exact), bytes as base64, dates as ISO text. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** One JSON Lines line (with its newline); nested objects and arrays stay nested. */
export function encodeJsonLine(row: Record<string, unknown>): string {
  return `${JSON.stringify(row, jsonReplacer)}\n`;
}

/** The text of one CSV field: null and undefined are empty, objects become JSON text. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('base64');
  else if (typeof value === 'object') text = JSON.stringify(value, jsonReplacer);
  else text = String(value);
  // RFC 4180 quoting; an empty string is quoted so that it differs from null in the file.
  return text === '' || /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document with a header: the columns in first-seen order across all rows. */
export function encodeCsv(rows: Record<string, unknown>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
