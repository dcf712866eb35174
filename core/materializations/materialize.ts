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
  if (ctx.empty && ctx.node.config.materialized === 'incremental' && ctx.existing !== 'table') {
    // An incremental model not built yet becomes a view under --empty: an empty table would be built on
    // incrementally by the next run (is_incremental true, nothing newer than nothing), and stay empty.
    // A view is not a table, so the next run builds the table in full, as dbt's is_incremental() rules say.
    const result = await materializeView(ctx);
    return { ...result, message: `${result.message} (--empty: a view until a run without it)` };
  }
  const materializer = MATERIALIZATIONS[ctx.node.config.materialized];
  if (!materializer) {
    throw new UserError(`no materialization '${ctx.node.config.materialized}'`, { file: ctx.node.original_file_path, hint: `one of: ${Object.keys(MATERIALIZATIONS).join(', ')}` });
  }
  return materializer(ctx);
}
