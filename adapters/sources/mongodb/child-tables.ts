/**
 * Arrays of documents flattened into child tables, the way dlt normalises nested data: the array
 * `variants` of a `products` document becomes rows of `products__variants`, each with the key of
 * its parent row, its position in the array, and a key of its own derived from both, so extracting
 * the same document again gives the same keys. Pure.
 */

import { createHash } from 'node:crypto';
import { toLakeName } from '../../../core/lake/lake-layout.js';
import type { JsonValue } from './bson-to-json.js';

/** The key of the parent row: the root document's `_id` text, or the `_strata_id` of a child row. */
export const PARENT_ID_COLUMN = '_strata_parent_id';
/** The row's position (from 0) in its parent's array. */
export const LIST_IDX_COLUMN = '_strata_list_idx';
/** The row's own key: a hash of its parent's key, its table and its position. */
export const CHILD_ID_COLUMN = '_strata_id';
/** The `_id` text of the root document, for joins across levels. */
export const ROOT_ID_COLUMN = '_strata_root_id';
/** The column an array of plain values lands in (dlt calls it `value` too). */
export const VALUE_COLUMN = 'value';

/** One array path to flatten (`variants`, `variants.options`) and the child table it fills. */
export interface ChildTable {
  path: string;
  /** `<parent table>__<path with __ for dots>`, e.g. `products__variants__options`. */
  table: string;
}

/** The child table for an array path of a table: `products` + `variants.options` -> `products__variants__options`. */
export function childTable(parentTable: string, path: string): ChildTable {
  const table = [parentTable, ...path.split('.').map(toLakeName)].join('__');
  return { path, table };
}

/** The stable key of a child row. */
export function childRowId(parentId: string, table: string, index: number): string {
  return createHash('sha256').update(`${parentId}\u0000${table}\u0000${index}`).digest('hex').slice(0, 32);
}

/**
 * The rows of one child table taken from one document (already mapped to JSON). Objects on the way
 * are walked through; arrays on the way make each element the parent of the rows below it.
 */
export function childRows(document: { [key: string]: JsonValue }, rootId: string, parentTable: string, child: ChildTable): Record<string, JsonValue>[] {
  const rows: Record<string, JsonValue>[] = [];
  const segments = child.path.split('.');
  const walk = (value: JsonValue, depth: number, parentId: string, table: string): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const next = value[segments[depth]];
    const nextTable = `${table}__${toLakeName(segments[depth])}`;
    const last = depth === segments.length - 1;
    if (Array.isArray(next)) {
      next.forEach((element, index) => {
        const id = childRowId(parentId, nextTable, index);
        if (last) rows.push(childRow(element, id, parentId, index, rootId));
        else walk(element, depth + 1, id, nextTable);
      });
    } else if (!last) {
      walk(next, depth + 1, parentId, nextTable);
    }
  };
  walk(document, 0, rootId, parentTable);
  return rows;
}

function childRow(element: JsonValue, id: string, parentId: string, index: number, rootId: string): Record<string, JsonValue> {
  const fields = element !== null && typeof element === 'object' && !Array.isArray(element) ? element : { [VALUE_COLUMN]: element };
  return { ...fields, [CHILD_ID_COLUMN]: id, [PARENT_ID_COLUMN]: parentId, [LIST_IDX_COLUMN]: index, [ROOT_ID_COLUMN]: rootId };
}
