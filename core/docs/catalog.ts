import type { Adapter, ColumnDef, RelationInfo } from '../adapter/adapter.js';
import { artifactMetadata } from '../artifacts/artifact-metadata.js';

/** One column of catalog.json, as dbt writes it. */
export interface CatalogColumn {
  type: string;
  index: number;
  name: string;
  comment: string | null;
}

/** One relation of catalog.json: what the warehouse says about a node's table or view. */
export interface CatalogEntry {
  metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  columns: Record<string, CatalogColumn>;
  stats: Record<string, { id: string; label: string; value: unknown; include: boolean; description: string }>;
  unique_id: string;
}

/** target/catalog.json in dbt's shape (catalog/v1). */
export interface Catalog {
  metadata: Record<string, unknown>;
  nodes: Record<string, CatalogEntry>;
  sources: Record<string, CatalogEntry>;
  errors: string[] | null;
}

/** A relation the catalog asks the warehouse about. */
export interface CatalogRelation {
  uniqueId: string;
  isSource: boolean;
  database: string | null;
  schema: string;
  identifier: string;
}

const NO_STATS = { has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' } };

/**
 * Reads the columns and types of every relation from the warehouse, through the adapter: one
 * listing per schema finds which relations exist, then their columns, a schema at a time where
 * the adapter can list them so, else relation by relation on up to `threads` connections.
 * Relations not built yet are left out, as dbt does.
 */
export async function readCatalog(adapter: Adapter, relations: CatalogRelation[], input: { invocationId: string; threads: number }): Promise<Catalog> {
  const catalog: Catalog = { metadata: artifactMetadata('catalog/v1', input.invocationId), nodes: {}, sources: {}, errors: null };
  const schemas = new Map<string, { database: string | null; schema: string }>();
  for (const rel of relations) schemas.set(schemaKey(rel.database, rel.schema), { database: rel.database, schema: rel.schema });
  const existing = new Map<string, RelationInfo>();
  const errors: string[] = [];
  for (const { database, schema } of schemas.values()) {
    try {
      for (const info of await adapter.listRelations(database, schema)) existing.set(relationKey(database, schema, info.identifier), info);
    } catch (error) {
      errors.push(`listing ${database ? `${database}.` : ''}${schema}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const todo = relations.filter((rel) => existing.has(relationKey(rel.database, rel.schema, rel.identifier)));
  // Where the adapter can, one query per schema; else one per relation.
  const bySchema = new Map<string, Promise<Map<string, ColumnDef[]>>>();
  const columnsOf = (rel: CatalogRelation, identifier: string): Promise<ColumnDef[]> => {
    if (!adapter.canListSchemaColumns?.()) return adapter.getColumns({ database: rel.database, schema: rel.schema, identifier });
    const key = schemaKey(rel.database, rel.schema);
    if (!bySchema.has(key)) bySchema.set(key, adapter.listSchemaColumns(rel.database, rel.schema));
    return bySchema.get(key)!.then((all) => all.get(identifier.toLowerCase()) ?? []);
  };
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const rel = todo[next++];
      const info = existing.get(relationKey(rel.database, rel.schema, rel.identifier))!;
      try {
        const columns = await columnsOf(rel, info.identifier);
        const entry: CatalogEntry = {
          metadata: { type: info.type === 'view' ? 'VIEW' : 'BASE TABLE', schema: info.schema, name: info.identifier, database: info.database, comment: null, owner: null },
          columns: Object.fromEntries(columns.map((c, i) => [c.name, { type: c.dataType, index: i + 1, name: c.name, comment: null }])),
          stats: NO_STATS,
          unique_id: rel.uniqueId,
        };
        (rel.isSource ? catalog.sources : catalog.nodes)[rel.uniqueId] = entry;
      } catch (error) {
        errors.push(`columns of ${rel.uniqueId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.threads, todo.length)) }, worker));
  catalog.nodes = sortKeys(catalog.nodes);
  catalog.sources = sortKeys(catalog.sources);
  if (errors.length) catalog.errors = errors;
  return catalog;
}

// DuckDB, Postgres and Snowflake fold unquoted names; matching case-insensitively finds them all.
const schemaKey = (database: string | null, schema: string) => `${(database ?? '').toLowerCase()}\u0000${schema.toLowerCase()}`;
const relationKey = (database: string | null, schema: string, identifier: string) => `${schemaKey(database, schema)}\u0000${identifier.toLowerCase()}`;

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
