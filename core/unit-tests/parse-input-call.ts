/** A parsed `input:` of a unit test. `key` is its canonical spelling, used to match and in messages. */
export type InputCall =
  | { kind: 'ref'; name: string; key: string }
  | { kind: 'source'; source: string; table: string; key: string }
  | { kind: 'this'; key: 'this' };

/** Raised for an `input:` that is not a ref, source or this call; the caller adds file and line. */
export class InputCallError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const CALL = /^\s*(ref|source)\s*\(([\s\S]*)\)\s*$/;
const QUOTED = /^\s*(?:'([^']*)'|"([^"]*)")\s*$/;
const KEYWORD = /^\s*([A-Za-z_]+)\s*=/;

/** The canonical key of a ref input. */
export function refKey(name: string): string {
  return `ref('${name}')`;
}

/** The canonical key of a source input. */
export function sourceKey(source: string, table: string): string {
  return `source('${source}', '${table}')`;
}

/** Parses `ref('x')`, `ref("pkg", "x")`, `source('src', 'table')` or `this`. */
export function parseInputCall(text: string): InputCall {
  if (text.trim() === 'this') return { kind: 'this', key: 'this' };
  const call = CALL.exec(text);
  if (!call) throw new InputCallError(`'${text}' is not a ref or source call`, "write input: ref('stg_orders'), source('shop', 'orders') or this");
  const [, helper, inner] = call;
  const args: string[] = [];
  for (const part of inner.split(',')) {
    const keyword = KEYWORD.exec(part);
    if (keyword) {
      if (keyword[1] === 'v' || keyword[1] === 'version') throw new InputCallError(`versioned refs are not supported: '${text}'`, 'Strata models have no versions; drop the version argument');
      throw new InputCallError(`${helper} takes no argument '${keyword[1]}': '${text}'`, `write input: ${helper === 'ref' ? "ref('stg_orders')" : "source('shop', 'orders')"}`);
    }
    const quoted = QUOTED.exec(part);
    if (!quoted || (quoted[1] ?? quoted[2]) === '') throw new InputCallError(`the arguments of '${text}' must be quoted names`, `write input: ${helper === 'ref' ? "ref('stg_orders')" : "source('shop', 'orders')"}`);
    args.push(quoted[1] ?? quoted[2]);
  }
  if (helper === 'ref') {
    if (args.length < 1 || args.length > 2) throw new InputCallError(`ref takes a model name, or a package and a model name: '${text}'`, "write input: ref('stg_orders')");
    const name = args[args.length - 1];
    return { kind: 'ref', name, key: refKey(name) };
  }
  if (args.length !== 2) throw new InputCallError(`source takes a source name and a table name: '${text}'`, "write input: source('shop', 'orders')");
  return { kind: 'source', source: args[0], table: args[1], key: sourceKey(args[0], args[1]) };
}
