import { createRequire } from 'node:module';

/**
 * The C row parser of the vector path (native/mysql_rows.c), built by `npm run build` where the
 * machine has a C compiler (cli/build-native.mjs); undefined where it was not built, could not be
 * loaded, or STRATA_MYSQL_NATIVE=0 turns it off. It takes the whole row packets of a socket read
 * in one call, and leaves to the JavaScript parser any row it does not take whole (see the C file),
 * so both give the same blocks. MySqlVectorRows.packets calls it.
 */
export interface NativeRows {
  /**
   * A handle on a block's arrays for rows(): `plan` (column count, key count, then per column its
   * kind, width, scale, role and key position), per column the piece arrays it has, and the arrays
   * themselves (Block.native). It holds where their memory is: keep it with them, and make a new
   * one when one is added.
   */
  block(plan: Int32Array, pieceArrays: Int32Array, targets: ArrayBufferView[]): ArrayBuffer;
  /**
   * Parses the row packets of `buf` from io[0] to io[1] (sequence numbers from io[2]) into the
   * block's rows from io[3]; returns how many it took. The layout of `io` and `cursor` is the C
   * file's (MySqlVectorRows.packets fills and reads them).
   */
  rows(buf: Buffer, block: ArrayBuffer, io: Int32Array, cursor: Float64Array): number;
}

/** Where the built parser is: beside the module in dist/, or in dist/ seen from the sources (tests run on them). */
const LOCATIONS = ['./mysql_rows.node', '../../../dist/adapters/sources/mysql/mysql_rows.node'];

function load(): NativeRows | undefined {
  if (process.env.STRATA_MYSQL_NATIVE === '0') return undefined;
  const require = createRequire(import.meta.url);
  for (const location of LOCATIONS) {
    try {
      const loaded = require(location) as Partial<NativeRows>;
      if (typeof loaded.rows === 'function' && typeof loaded.block === 'function') return loaded as NativeRows;
    } catch {
      // Not built here (or not loadable on this machine): the JavaScript parser does the work.
    }
  }
  return undefined;
}

export const nativeRows: NativeRows | undefined = load();
