/**
 * TEST ONLY: the query language of the MongoDB wire-protocol test server, a small subset of
 * MongoDB's: filters ($eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $nor, dotted paths,
 * arrays matching by element), sort, inclusion/exclusion projection, and aggregate's $match, $sort,
 * $limit, $skip and $project. Values compare as MongoDB compares them: by type bracket, then value.
 */

import type { Document } from 'bson';

type Bson = { _bsontype?: string } & Record<string, unknown>;

// MongoDB's comparison order of BSON types; numbers share one bracket, as do strings and symbols.
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 2;
  if (typeof value === 'number' || typeof value === 'bigint') return 3;
  if (typeof value === 'string') return 4;
  if (typeof value === 'boolean') return 9;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  if (Array.isArray(value)) return 6;
  if (value instanceof Uint8Array) return 7;
  switch ((value as Bson)._bsontype) {
    case 'MinKey':
      return 1;
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    default:
      return 5;
  }
}

function numeric(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const bson = value as Bson;
  if (bson._bsontype === 'Long') return BigInt(String(bson));
  if (bson._bsontype === 'Decimal128') return Number(String(bson));
  return Number((bson as unknown as { valueOf(): number }).valueOf());
}

/** Orders two BSON values as MongoDB's sort does. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3: {
      const x = numeric(a);
      const y = numeric(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4: {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 9:
      return Number(a) - Number(b);
    case 10:
      return (a as Date).getTime() - (b as Date).getTime();
    case 8: {
      const x = (a as { toHexString(): string }).toHexString();
      const y = (b as { toHexString(): string }).toHexString();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 11:
      return compareValues(BigInt(String(a)), BigInt(String(b)));
    case 6: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 5: {
      const x = Object.entries(a as object);
      const y = Object.entries(b as object);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = x[i][0] < y[i][0] ? -1 : x[i][0] > y[i][0] ? 1 : compareValues(x[i][1], y[i][1]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 7: {
      const x = Buffer.from(binaryBytes(a));
      const y = Buffer.from(binaryBytes(b));
      return x.length - y.length || Buffer.compare(x, y);
    }
    default:
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
}

function binaryBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const b = value as { buffer: Uint8Array; position: number };
  return b.buffer.subarray(0, b.position);
}

/** The values a dotted path reaches in a document, arrays on the way expanded (MongoDB's semantics). */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (!path.length) return Array.isArray(value) ? [value, ...value] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? valuesAt(v, path) : []));
  if (value === null || value === undefined || typeof value !== 'object' || (value as Bson)._bsontype) return [undefined];
  return valuesAt((value as Record<string, unknown>)[path[0]], path.slice(1));
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || (value as Bson)._bsontype) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function equals(candidate: unknown, value: unknown): boolean {
  if (value === null) return candidate === null || candidate === undefined;
  return candidate !== undefined && typeRank(candidate) === typeRank(value) && compareValues(candidate, value) === 0;
}

// Comparison operators only match values of the operand's type bracket (a number never $gt a date).
function compares(candidate: unknown, value: unknown, test: (c: number) => boolean): boolean {
  if (candidate === undefined || typeRank(candidate) !== typeRank(value)) return false;
  return test(compareValues(candidate, value));
}

function matchesOperator(candidates: unknown[], op: string, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return candidates.some((c) => equals(c, operand));
    case '$ne':
      return !candidates.some((c) => equals(c, operand));
    case '$gt':
      return candidates.some((c) => compares(c, operand, (x) => x > 0));
    case '$gte':
      return candidates.some((c) => compares(c, operand, (x) => x >= 0));
    case '$lt':
      return candidates.some((c) => compares(c, operand, (x) => x < 0));
    case '$lte':
      return candidates.some((c) => compares(c, operand, (x) => x <= 0));
    case '$in':
      return (operand as unknown[]).some((v) => candidates.some((c) => equals(c, v)));
    case '$nin':
      return !(operand as unknown[]).some((v) => candidates.some((c) => equals(c, v)));
    case '$exists':
      return candidates.some((c) => c !== undefined) === Boolean(operand);
    default:
      throw new QueryError(`unknown operator: ${op}`, 2, 'BadValue');
  }
}

/** A query the test server refuses, with MongoDB's error code. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly codeName: string,
  ) {
    super(message);
  }
}

/** Whether a document matches a filter. */
export function matches(document: Document, filter: Document): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      if (!(condition as Document[]).every((f) => matches(document, f))) return false;
    } else if (key === '$or') {
      if (!(condition as Document[]).some((f) => matches(document, f))) return false;
    } else if (key === '$nor') {
      if ((condition as Document[]).some((f) => matches(document, f))) return false;
    } else if (key.startsWith('$')) {
      throw new QueryError(`unknown top level operator: ${key}`, 2, 'BadValue');
    } else {
      const candidates = valuesAt(document, key.split('.'));
      if (isOperatorObject(condition)) {
        for (const [op, operand] of Object.entries(condition)) if (!matchesOperator(candidates, op, operand)) return false;
      } else if (!matchesOperator(candidates, '$eq', condition)) {
        return false;
      }
    }
  }
  return true;
}

/** Documents in the order of a sort specification (`{updatedAt: -1, _id: 1}`); stable. */
export function sortDocuments(documents: Document[], sort: Document | undefined): Document[] {
  if (!sort || !Object.keys(sort).length) return documents;
  const keys = Object.entries(sort).map(([k, d]) => [k.split('.'), Number(numeric(d)) < 0 ? -1 : 1] as const);
  return [...documents].sort((a, b) => {
    for (const [path, direction] of keys) {
      const c = compareValues(valuesAt(a, path)[0], valuesAt(b, path)[0]);
      if (c) return c * direction;
    }
    return 0;
  });
}

/** A projection: inclusion (`{name: 1}`, `_id` kept unless `_id: 0`) or exclusion (`{secret: 0}`) of top-level fields. */
export function project(document: Document, projection: Document | undefined): Document {
  if (!projection || !Object.keys(projection).length) return document;
  const entries = Object.entries(projection).map(([k, v]) => [k.split('.')[0], Boolean(typeof v === 'object' ? Number(numeric(v)) : v)] as const);
  const inclusion = entries.some(([k, include]) => include && k !== '_id');
  const out: Document = {};
  if (inclusion) {
    const keep = new Set(entries.filter(([, include]) => include).map(([k]) => k));
    if (!entries.some(([k, include]) => k === '_id' && !include)) keep.add('_id');
    for (const [k, v] of Object.entries(document)) if (keep.has(k)) out[k] = v;
  } else {
    const drop = new Set(entries.map(([k]) => k));
    for (const [k, v] of Object.entries(document)) if (!drop.has(k)) out[k] = v;
  }
  return out;
}

/** The documents an aggregation pipeline of $match, $sort, $limit, $skip and $project stages gives. */
export function aggregate(documents: Document[], pipeline: Document[]): Document[] {
  let out = documents;
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (name === '$match') out = out.filter((d) => matches(d, spec as Document));
    else if (name === '$sort') out = sortDocuments(out, spec as Document);
    else if (name === '$limit') out = out.slice(0, Number(numeric(spec)));
    else if (name === '$skip') out = out.slice(Number(numeric(spec)));
    else if (name === '$project') out = out.map((d) => project(d, spec as Document));
    else throw new QueryError(`Unrecognized pipeline stage name: '${name}' (the wire test server supports $match, $sort, $limit, $skip, $project)`, 40324, 'Location40324');
  }
  return out;
}
