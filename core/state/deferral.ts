import type { RelationRef, SqlDialect } from '../adapter/adapter.js';
import type { RefDeferral } from '../compile/compiler.js';
import type { ManifestNode } from '../manifest/nodes.js';
import type { ManifestLike } from './compare-manifests.js';

const DEFERRABLE = new Set(['model', 'seed', 'snapshot']);

export interface DeferralInput {
  /** The state manifest (--state). */
  previous: ManifestLike;
  /** Nodes of the current project. */
  nodes: Iterable<ManifestNode>;
  /** What this run builds: those refs always point at this environment. */
  selected: ReadonlySet<string>;
  /** --favor-state: defer even when this environment has the relation. */
  favorState: boolean;
  /** Whether this environment has the node's relation. */
  exists(rel: RelationRef): boolean;
  sql: Pick<SqlDialect, 'relation'>;
}

/**
 * dbt's `--defer`: a ref to a model, seed or snapshot that this run does not build, and that
 * this environment does not have (or always, with --favor-state), reads the relation the state
 * manifest names instead. Ephemeral models are always inlined from this project's code.
 */
export class Deferral implements RefDeferral {
  /** Deferred nodes, by unique_id, with the relation they read. */
  readonly deferred = new Map<string, RelationRef>();
  private readonly aliases = new Map<string, string>();
  private readonly sql: Pick<SqlDialect, 'relation'>;

  constructor(input: DeferralInput) {
    this.sql = input.sql;
    for (const node of input.nodes) {
      if (!DEFERRABLE.has(node.resource_type) || node.config.materialized === 'ephemeral' || input.selected.has(node.unique_id)) continue;
      const previous = input.previous.nodes[node.unique_id];
      if (!previous || !previous.relation_name || previous.config?.materialized === 'ephemeral') continue;
      if (!input.favorState && input.exists({ database: node.database, schema: node.schema, identifier: node.alias })) continue;
      this.deferred.set(node.unique_id, { database: previous.database ?? null, schema: previous.schema, identifier: previous.alias ?? previous.name });
    }
  }

  relationFor(node: ManifestNode): string | undefined {
    const rel = this.deferred.get(node.unique_id);
    return rel ? this.sql.relation(this.resolved(rel)) : undefined;
  }

  /** The state relation a deferred node reads, with an attached database's alias applied. */
  resolved(rel: RelationRef): RelationRef {
    const alias = rel.database ? this.aliases.get(rel.database.toLowerCase()) : undefined;
    return alias ? { ...rel, database: alias } : rel;
  }

  /** The databases deferred relations live in (null stands for the connection's default). */
  databases(): Set<string | null> {
    return new Set([...this.deferred.values()].map((r) => r.database));
  }

  /** Reads relations of `database` through the catalog `alias` (the state's file attached under another name). */
  alias(database: string, alias: string): void {
    this.aliases.set(database.toLowerCase(), alias);
  }
}
