import { UserError } from '../errors/user-error.js';
import { materializeIncremental } from './incremental.js';
import type { MaterializationContext, MaterializationResult } from './materialization.js';
import { materializeSeed } from './seed.js';
import { materializeSnapshot } from './snapshot.js';
import { materializeTable, materializeView } from './table.js';

type Materializer = (ctx: MaterializationContext) => Promise<MaterializationResult>;

const MATERIALIZATIONS: Record<string, Materializer> = {
  table: materializeTable,
  view: materializeView,
  incremental: materializeIncremental,
  seed: materializeSeed,
  snapshot: materializeSnapshot,
  ephemeral: async () => ({ type: undefined, rowsAffected: null, message: 'EPHEMERAL' }),
};

/** Builds one node with the materialization its config names. */
export async function materialize(ctx: MaterializationContext): Promise<MaterializationResult> {
  const materializer = MATERIALIZATIONS[ctx.node.config.materialized];
  if (!materializer) {
    throw new UserError(`no materialization '${ctx.node.config.materialized}'`, { file: ctx.node.original_file_path, hint: `one of: ${Object.keys(MATERIALIZATIONS).join(', ')}` });
  }
  return materializer(ctx);
}
