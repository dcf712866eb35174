import type { Adapter, RelationRef, RelationType } from '../adapter/adapter.js';
import type { WarehouseState } from '../compile/compiler.js';

const key = (database: string | null, schema: string) => `${database ?? ''}\u0000${schema}`.toLowerCase();

/** The relations of the schemas a run touches, read once and kept current as nodes build. */
export class RelationCache implements WarehouseState {
  private readonly schemas = new Map<string, Map<string, RelationType>>();

  constructor(private readonly adapter: Adapter) {}

  /** Reads the relations of each schema once. */
  async load(schemas: { database: string | null; schema: string }[]): Promise<void> {
    const todo = schemas.filter((s) => !this.schemas.has(key(s.database, s.schema)));
    const unique = [...new Map(todo.map((s) => [key(s.database, s.schema), s])).values()];
    await Promise.all(
      unique.map(async (s) => {
        const relations = await this.adapter.listRelations(s.database, s.schema);
        this.schemas.set(key(s.database, s.schema), new Map(relations.map((r) => [r.identifier.toLowerCase(), r.type])));
      }),
    );
  }

  relationType(rel: RelationRef): RelationType | undefined {
    return this.schemas.get(key(rel.database, rel.schema))?.get(rel.identifier.toLowerCase());
  }

  /** Records what a materialization left behind. */
  set(rel: RelationRef, type: RelationType | undefined): void {
    let schema = this.schemas.get(key(rel.database, rel.schema));
    if (!schema) this.schemas.set(key(rel.database, rel.schema), (schema = new Map()));
    if (type) schema.set(rel.identifier.toLowerCase(), type);
    else schema.delete(rel.identifier.toLowerCase());
  }
}
