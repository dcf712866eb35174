/**
 * BSON values, as the driver returns them, to JSON values that lose nothing: the one mapping a
 * landed MongoDB document goes through. Pure.
 *
 *   ObjectId -> hex text         Decimal128 -> its exact text      Date -> ISO 8601 text (UTC)
 *   Int32, Double -> number       Long -> number when exact, else its text
 *   NaN, Infinity -> "NaN", "Infinity", "-Infinity" (JSON has no such numbers)
 *   Binary (also UUID) -> base64  Timestamp -> {t, i}               regex -> "/pattern/flags"
 *   MinKey, MaxKey -> {"$minKey": 1}, {"$maxKey": 1}               DBRef -> {$ref, $id, $db}
 */

/** A JSON value: what JSON.stringify writes unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type BsonObject = { _bsontype?: string } & Record<string, unknown>;

/** The JSON form of one BSON value (documents and arrays deeply). */
export function bsonToJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return jsonNumber(value);
    case 'bigint':
      return exactInteger(value);
    case 'object':
      break;
    default:
      // Functions and symbols do not come out of BSON; refuse to guess.
      throw new Error(`cannot map a ${typeof value} to JSON`);
  }
  if (Array.isArray(value)) {
    const out: JsonValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = bsonToJson(value[i]);
    return out;
  }
  const bson = value as BsonObject;
  // Most values are plain sub-documents: test for those first (this runs for every field of every document).
  if (bson._bsontype === undefined) {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (value instanceof RegExp) return `/${value.source}/${value.flags}`;
    return documentToJson(bson);
  }
  switch (bson._bsontype) {
    case 'ObjectId':
    case 'ObjectID':
      return (bson as unknown as { toHexString(): string }).toHexString();
    case 'Decimal128':
      return String(bson);
    case 'Int32':
    case 'Double':
      return jsonNumber((bson as unknown as { valueOf(): number }).valueOf());
    case 'Long':
      return exactInteger(BigInt(String(bson)));
    case 'Binary':
      return (bson as unknown as { toString(encoding: 'base64'): string }).toString('base64');
    case 'Timestamp': {
      const ts = bson as unknown as { t: number; i: number };
      return { t: ts.t, i: ts.i };
    }
    case 'BSONRegExp':
      return `/${String(bson.pattern)}/${String(bson.options)}`;
    case 'BSONSymbol':
      return String((bson as unknown as { valueOf(): string }).valueOf());
    case 'Code':
      return bson.scope ? { $code: String(bson.code), $scope: bsonToJson(bson.scope) } : String(bson.code);
    case 'DBRef':
      return { $ref: String(bson.collection), $id: bsonToJson(bson.oid), ...(bson.db ? { $db: String(bson.db) } : {}) };
    case 'MinKey':
      return { $minKey: 1 };
    case 'MaxKey':
      return { $maxKey: 1 };
    default:
      throw new Error(`cannot map BSON type ${bson._bsontype} to JSON`);
  }
}

/** The JSON form of a document: every field mapped, in the document's order. */
export function documentToJson(document: Record<string, unknown>): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const key in document) {
    if (!Object.prototype.hasOwnProperty.call(document, key)) continue;
    const value = document[key];
    // Strings, numbers and booleans need no mapping.
    out[key] = typeof value === 'string' || typeof value === 'boolean' ? value : bsonToJson(value);
  }
  return out;
}

/** A document's `_id` as text: ObjectId hex, a string as it is, anything else its JSON text. */
export function idToText(id: unknown): string {
  const json = bsonToJson(id);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

function jsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function exactInteger(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
