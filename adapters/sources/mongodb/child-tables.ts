/**
 * Arrays of documents unnested into child tables, the way dlt normalises nested data: the array
 * `variants` of a `products` document becomes rows of a table such as `products__variants`, each
 * with the key of its parent row, its position in the array, and a key of its own derived from
 * both (and the array's path), so extracting the same document again gives the same keys, and a
 * `variants.options` table's parent keys are the `variants` table's row keys. Pure.
 */

import { createHash } from 'node:crypto';
import type { JsonValue } from './bson-to-json.js';

/** The key of the parent row: the root document's `_id` text, or the `_strata_id` of a child row. */
export const PARENT_ID_COLUMN = '_strata_parent_id';
/** The row's position (from 0) in its parent's array. */
export const LIST_IDX_COLUMN = '_strata_list_idx';
/** The row's own key: a hash of its parent's key, its array's path and its position. */
export const CHILD_ID_COLUMN = '_strata_id';
/** The `_id` text of the root document, for joins across levels. */
export const ROOT_ID_COLUMN = '_strata_root_id';
/** The column an array of plain values lands in (dlt calls it `value` too). */
export const VALUE_COLUMN = 'value';

/** The stable key of the element at `index` of the array at `path` (`variants.options`) under a parent row. */
export function childRowId(parentId: string, path: string, index: number): string {
  return createHash('sha256').update(`${parentId}\u0000${path}\u0000${index}`).digest('hex').slice(0, 32);
}

/**
 * The row a merge load lands for a document whose array is now empty: only its root key, so the
 * lake reader knows the document's child rows are gone (rows without a key are never read as data).
 */
export function emptiedGroupMarker(rootId: string): Record<string, JsonValue> {
  return { [ROOT_ID_COLUMN]: rootId, [PARENT_ID_COLUMN]: rootId };
}

/** Whether an unnest path is well formed: dotted field names, none empty or starting with `$`. */
export function isUnnestPath(path: string): boolean {
  return path.split('.').every((segment) => segment !== '' && !segment.startsWith('$') && !/\s/.test(segment));
}

/**
 * The rows of the array at `path` in one document (already mapped to JSON). Objects on the way
 * are walked through; arrays on the way make each element the parent of the rows below it.
 */
export function childRows(document: { [key: string]: JsonValue }, rootId: string, path: string): Record<string, JsonValue>[] {
  const rows: Record<string, JsonValue>[] = [];
  const segments = path.split('.');
  const walk = (value: JsonValue, depth: number, parentId: string): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const next = value[segments[depth]];
    const last = depth === segments.length - 1;
    const here = segments.slice(0, depth + 1).join('.');
    if (Array.isArray(next)) {
      next.forEach((element, index) => {
        const id = childRowId(parentId, here, index);
        if (last) rows.push(childRow(element, id, parentId, index, rootId));
        else walk(element, depth + 1, id);
      });
    } else if (!last) {
      walk(next, depth + 1, parentId);
    }
  };
  walk(document, 0, rootId);
  return rows;
}

function childRow(element: JsonValue, id: string, parentId: string, index: number, rootId: string): Record<string, JsonValue> {
  const fields = element !== null && typeof element === 'object' && !Array.isArray(element) ? element : { [VALUE_COLUMN]: element };
  return { ...fields, [CHILD_ID_COLUMN]: id, [PARENT_ID_COLUMN]: parentId, [LIST_IDX_COLUMN]: index, [ROOT_ID_COLUMN]: rootId };
}
