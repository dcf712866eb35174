import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Adapter } from '../adapter/adapter.js';
import { UserError } from '../errors/user-error.js';
import type { ManifestLike } from './compare-manifests.js';
import type { Deferral } from './deferral.js';

/** `metadata.database_location` of our manifests: the target's database and its file. */
export interface DatabaseLocation {
  database: string;
  path: string;
}

/**
 * Makes the databases deferred refs read visible to this connection. On warehouses that see
 * every database nothing is needed. On DuckDB (an attaching adapter) the state manifest names
 * the production file: the same file as this target (production in another schema) needs
 * nothing; another file is attached read-only, under its own name, or under `<name>_state` when
 * this target's database has that name. Returns what it did, for the log.
 */
export async function attachStateDatabases(adapter: Adapter, deferral: Deferral, previous: ManifestLike): Promise<string[]> {
  if (!adapter.canAttachDatabases?.()) return [];
  const messages: string[] = [];
  const recorded = previous.metadata.database_location as DatabaseLocation | undefined;
  const current = adapter.defaultDatabase?.toLowerCase();
  const here = adapter.databaseLocation();
  for (const database of deferral.databases()) {
    if (database === null) continue;
    const statePath = recorded && recorded.database.toLowerCase() === database.toLowerCase() ? recorded.path : undefined;
    if (database.toLowerCase() === current) {
      if (!statePath || (here && path.resolve(statePath) === path.resolve(here))) continue;
      if (!existsSync(statePath)) {
        messages.push(`Deferred refs read database '${database}' from this target's file: the state's file ${statePath} is not here`);
        continue;
      }
      const alias = `${database}_state`;
      await adapter.attachReadOnly(statePath, alias);
      deferral.alias(database, alias);
      messages.push(`Attached the state's DuckDB file ${statePath} read-only as '${alias}' (this target's database is also named '${database}'); deferred refs read it`);
      continue;
    }
    if (await adapter.hasDatabase(database)) continue;
    if (statePath && existsSync(statePath)) {
      await adapter.attachReadOnly(statePath, database);
      messages.push(`Attached the state's DuckDB file ${statePath} read-only as '${database}'; deferred refs read it`);
      continue;
    }
    throw new UserError(`deferred refs read relations of database '${database}' (from the state manifest), which this target cannot see`, {
      hint: statePath
        ? `the state manifest says '${database}' is the DuckDB file ${statePath}, which is not on this machine: put it there, or build production into this target's file under another schema`
        : `build production into the same DuckDB file under another schema (a profile target with its own schema), or attach '${database}' to this target`,
    });
  }
  return messages;
}
