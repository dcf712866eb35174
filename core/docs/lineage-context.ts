import type { LineageContext } from './column-lineage.js';

/** What lineage knows about a project, as plain data that can be sent to a worker thread. */
export interface LineageContextData {
  /** Relation name (lower-case `db.schema.table`, `schema.table` or `table`) to node id; null when ambiguous. */
  relations: [string, string | null][];
  /** Node id to its catalog columns in order. */
  columns: [string, string[]][];
  /** Lower-case CTE name of an ephemeral model to its node id. */
  ephemerals: [string, string][];
}

/** The lineage context over plain data. */
export function contextFrom(data: LineageContextData): LineageContext {
  const relations = new Map(data.relations);
  const columns = new Map(data.columns);
  const ephemerals = new Map(data.ephemerals);
  return {
    resolveRelation: ({ database, schema, table }) => {
      const key = [database, schema, table].filter((p): p is string => p !== null).join('.').toLowerCase();
      return relations.get(key) ?? undefined;
    },
    columnsOf: (id) => columns.get(id),
    ephemeralNode: (cte) => ephemerals.get(cte.toLowerCase()),
  };
}
