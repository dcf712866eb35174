/**
 * Removes the DuckDB clauses that the parser's grammars lack but that cannot change where an
 * output column comes from: `group by all` (grouping), `qualify ...` (a filter on window results)
 * and `* exclude (...)` (leaves out columns; the model's real columns are matched by name, so the
 * left-out ones simply find no match). `* replace (...)` does change lineage and is left alone.
 * Literals, quoted identifiers and comments are copied untouched.
 */
export function withoutLineageNeutralClauses(sql: string): string {
  let out = '';
  let depth = 0;
  // The paren depth of a QUALIFY clause being dropped, or null.
  let dropping: number | null = null;
  const at = (re: RegExp, i: number) => {
    re.lastIndex = i;
    const m = re.exec(sql);
    return m ? m[0].length : 0;
  };
  const GROUP_BY_ALL = /group\s+by\s+all\b/iy;
  const QUALIFY = /qualify\b/iy;
  const QUALIFY_ENDS = /(?:order\s+by|limit|offset|window|union|except|intersect|fetch)\b/iy;
  const STAR_EXCLUDE = /\*\s*exclude\s*\(/iy;
  let i = 0;
  while (i < sql.length) {
    const end = literalEnd(sql, i);
    if (end > i) {
      if (dropping === null) out += sql.slice(i, end);
      i = end;
      continue;
    }
    const c = sql[i];
    const wordStart = /[a-z]/i.test(c) && (i === 0 || !/[\w$]/.test(sql[i - 1]));
    if (dropping !== null && depth === dropping && (c === ')' || (wordStart && at(QUALIFY_ENDS, i)))) dropping = null;
    if (dropping === null && wordStart) {
      const all = at(GROUP_BY_ALL, i);
      if (all) {
        i += all;
        continue;
      }
      const qualify = at(QUALIFY, i);
      if (qualify) {
        dropping = depth;
        i += qualify;
        continue;
      }
    }
    if (dropping === null && c === '*') {
      const exclude = at(STAR_EXCLUDE, i);
      if (exclude) {
        out += '*';
        i = closingParen(sql, i + exclude);
        continue;
      }
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (dropping === null) out += c;
    i++;
  }
  return out;
}

/** Where a string literal, quoted identifier or comment starting at i ends; i when none starts there. */
function literalEnd(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const nl = sql.indexOf('\n', i);
    return nl === -1 ? sql.length : nl;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const close = sql.indexOf('*/', i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}

/** The index just after the `)` that closes a paren opened before `from`. */
function closingParen(sql: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < sql.length && depth > 0) {
    const end = literalEnd(sql, i);
    if (end > i) {
      i = end;
      continue;
    }
    if (sql[i] === '(') depth++;
    if (sql[i] === ')') depth--;
    i++;
  }
  return i;
}
