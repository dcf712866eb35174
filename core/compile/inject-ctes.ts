/** Leading whitespace and comments, then a WITH keyword. */
const LEADING_WITH = /^((?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)with\b/i;

/**
 * Puts ephemeral models in front of a query as CTEs: merged into the query's own WITH
 * clause when it has one, else as a new one.
 */
export function injectCtes(sql: string, ctes: { id: string; sql: string }[], prefix = '__strata__cte__'): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((cte) => `${prefix}${cte.id.split('.').pop()} as (\n${cte.sql}\n)`).join(',\n');
  const match = LEADING_WITH.exec(sql);
  if (match) {
    const after = sql.slice(match[0].length);
    const recursive = /^\s+recursive\b/i.exec(after);
    if (recursive) return `${match[1]}with recursive ${defs},${after.slice(recursive[0].length)}`;
    return `${match[1]}with ${defs},${after}`;
  }
  return `with ${defs}\n${sql}`;
}
