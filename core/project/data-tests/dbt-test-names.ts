import * as crypto from 'node:crypto';

/**
 * dbt's names and ids of generic tests, computed as dbt-core computes them, so a project moved
 * from dbt keeps its tests' names (for --select and for CI scripts) and unique_ids (for tools that
 * keep a test's history by id, and for --state against a manifest dbt wrote).
 *
 * dbt builds them in Python: the name from str() of each argument, the id's hash from md5 of the
 * name and repr() of the test's metadata. These functions write Python's str() and repr() of
 * the values YAML gives. One difference cannot be helped: YAML's `1.0` arrives here as the number
 * 1, which Python would print as `1.0`.
 */

/** The name and the shorter one dbt uses for the file and the relation when the name is long. */
export interface GenericTestNames {
  /** The node's name (dbt's fqn_name): `accepted_values_orders_status__placed__shipped`. */
  name: string;
  /** The same, or for a name of 64 characters or more its first part and an md5 (dbt's compiled_name). */
  shortName: string;
}

/**
 * `test` is the test's name with what dbt puts in front of it (`dbt_utils_` for a namespace,
 * `source_` for a source's test); `target` is the model's name or `<source>_<table>`. The
 * arguments are the test's own with `column_name`, without `model`, `config` and the configs.
 */
export function synthesizeTestNames(test: string, target: string, args: Record<string, unknown>): GenericTestNames {
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const value = args[key];
    const parts = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : [value];
    for (const part of parts) flat.push(pythonStr(part).replace(/[^0-9a-zA-Z_]+/g, '_'));
  }
  const identifier = `${test}_${target}`;
  const name = `${identifier}_${flat.join('__')}`;
  if ([...name].length < 64) return { name, shortName: name };
  return { name, shortName: `${[...identifier].slice(0, 30).join('')}_${md5(name)}` };
}

/** The last part of a generic test's unique_id: md5 of its name and repr() of its test_metadata, last 10 digits. */
export function genericTestHash(name: string, metadata: { name: string; namespace: string | null; kwargs: Record<string, unknown> }): string {
  return md5(name + hashableRepr({ namespace: metadata.namespace, name: metadata.name, kwargs: metadata.kwargs })).slice(-10);
}

/** What dbt passes as a test's `model` argument, for a model (seed, snapshot) or a source table. */
export function modelArgument(target: { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string }): string {
  const relation = target.kind === 'ref' ? `ref('${target.name}')` : `source('${target.source}', '${target.table}')`;
  return `{{ get_where_subquery(${relation}) }}`;
}

/** Hex md5, one-shot where Node has crypto.hash (20,000 tests hash at 10,000 models). */
const md5: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('md5', text, 'hex') : (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

/** dbt's get_hashable_md, then repr(): mappings with sorted keys, lists kept, every other value str() and quoted. */
function hashableRepr(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ', ' : '') + hashableRepr(value[i]);
    return out + ']';
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out = '{';
    // Python sorts str keys by code point; sort() without a comparator orders by UTF-16 unit, the same outside the astral planes.
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      out += (out.length > 1 ? ', ' : '') + pythonRepr(key) + ': ' + hashableRepr(record[key]);
    }
    return out + '}';
  }
  return pythonRepr(typeof value === 'string' ? value : pythonStr(value));
}

/** Python's str() of a value as YAML gives it. */
export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return pythonDate(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  return String(value);
}

/** Python's repr(): strings quoted as Python quotes them, everything else as str(). */
export function pythonRepr(value: unknown): string {
  if (typeof value !== 'string') return pythonStr(value);
  // Python quotes with ' unless the text holds ' and no ".
  const single = value.includes("'");
  const quote = single && !value.includes('"') ? '"' : "'";
  // Most values are printable ASCII without a backslash, and need no escape.
  if (!(single && quote === "'") && !NEEDS_ESCAPE.test(value)) return quote + value + quote;
  let out = quote;
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) out += pythonEscape(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}

const NEEDS_ESCAPE = /[^\x20-\x5b\x5d-\x7e]/;
// What Python's str.isprintable() calls not printable (the space aside).
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function pythonEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** An int as Python prints it; a float as Python's repr() does (exponent below 1e-4 and from 1e16). */
function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return String(n);
  const [digits, exp] = n.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const text = String(n);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/** A YAML date as Python's str() of a date (or a datetime) prints it. */
function pythonDate(date: Date): string {
  const iso = date.toISOString();
  const [day, time] = iso.split('T');
  return time === '00:00:00.000Z' ? day : `${day} ${time.replace(/\.000Z$/, '').replace(/Z$/, '')}`;
}
