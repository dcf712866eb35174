import type { LakeColumn } from '../lake/lake-layout.js';

/**
 * Schema evolution across the loads of one table. Readers combine loads by column name
 * (`union_by_name`), so a new column is added (null in older loads), a removed one reads as null
 * in newer loads, and types of one family widen to the wider one (INTEGER to BIGINT, DECIMAL(10,2)
 * to DECIMAL(12,4), anything to VARCHAR). A change across families (BIGINT to BOOLEAN, BIGINT to a
 * struct, a timestamp to a number) cannot be read back without changing meaning: it is refused.
 */

type Family = 'numeric' | 'boolean' | 'text' | 'temporal' | 'time' | 'blob' | 'uuid' | 'interval' | 'nested';

/** The family of a DuckDB type name. */
export function typeFamily(type: string): Family {
  const t = type.trim().toUpperCase();
  if (/^(STRUCT|MAP|UNION)\b/.test(t) || t.endsWith(']')) return 'nested';
  if (/^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|U?HUGEINT|INT\d*|DECIMAL|NUMERIC|FLOAT|REAL|DOUBLE)\b/.test(t)) return 'numeric';
  if (/^(BOOLEAN|BOOL)$/.test(t)) return 'boolean';
  if (/^(VARCHAR|TEXT|STRING|JSON|CHAR|NULL)\b/.test(t)) return 'text';
  if (/^(DATE|TIMESTAMP|DATETIME|TIMESTAMPTZ)\b/.test(t)) return 'temporal';
  if (/^TIME\b/.test(t)) return 'time';
  if (/^(BLOB|BYTEA|BINARY|VARBINARY)$/.test(t)) return 'blob';
  if (t === 'UUID') return 'uuid';
  if (t === 'INTERVAL') return 'interval';
  return 'text';
}

/** Why `from` cannot become `to` across loads, or undefined when it can. */
export function typeChangeProblem(from: string, to: string): string | undefined {
  if (from.toUpperCase() === to.toUpperCase()) return undefined;
  const a = typeFamily(from);
  const b = typeFamily(to);
  if (a === b) return undefined;
  // Text holds any scalar value (a column seen only with nulls is VARCHAR in its file, too).
  if ((a === 'text' || b === 'text') && a !== 'nested' && b !== 'nested') return undefined;
  return `${from} cannot become ${to}`;
}

/** A change a new load's schema makes that the lake cannot apply. */
export interface SchemaChangeProblem {
  column: string;
  from: string;
  to: string;
  message: string;
}

/** The first column whose type a new load changes in a way the table's earlier loads cannot take. */
export function findSchemaProblem(previous: LakeColumn[], next: LakeColumn[]): SchemaChangeProblem | undefined {
  const before = new Map(previous.map((c) => [c.name, c.type]));
  for (const column of next) {
    const from = before.get(column.name);
    if (from === undefined) continue;
    const problem = typeChangeProblem(from, column.type);
    if (problem) return { column: column.name, from, to: column.type, message: problem };
  }
  return undefined;
}

/** The schema of several loads read together: every column once, in first-seen order, the newest type kept. */
export function combinedSchema(schemas: LakeColumn[][]): LakeColumn[] {
  const out = new Map<string, LakeColumn>();
  for (const schema of schemas) for (const c of schema) out.set(c.name, { name: c.name, type: c.type === 'VARCHAR' && out.has(c.name) ? out.get(c.name)!.type : c.type });
  return [...out.values()];
}
