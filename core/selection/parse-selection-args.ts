import { didYouMean } from '../errors/did-you-mean.js';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import type { SelectionCriteria, SelectionSpec } from './selection-spec.js';
import type { SelectorMethod } from './selector-method.js';
import { defaultMethod, selectorMethods } from './selector-methods.js';

// dbt's RAW_SELECTOR_PATTERN: [@][N+][method[.arg]:]value[+N]
const ATOM = /^(@)?(?:(\d*)\+)?(?:([\w.]+):)?(.*?)(?:\+(\d*))?$/s;

/**
 * Parses `--select`/`--exclude` values as dbt does: each value is split on whitespace into a union,
 * each union member on `,` into an intersection of atoms. An empty list gives an empty union.
 */
export function parseSelectionArgs(args: readonly string[], methods: ReadonlyMap<string, SelectorMethod> = selectorMethods): SelectionSpec {
  const members = args.flatMap((arg) => arg.split(/\s+/)).filter((member) => member !== '');
  if (args.length > 0 && members.length === 0) {
    throw new UserError('empty selector', { hint: "give a node name or method:value, e.g. 'stg_orders' or 'tag:nightly'" });
  }
  return parseUnion(members, methods);
}

/** Parses one selectors.yml string definition, which uses the CLI syntax; errors point at `at`. */
export function parseSelectionString(text: string, at: SourceLocation, methods: ReadonlyMap<string, SelectorMethod> = selectorMethods): SelectionSpec {
  const members = text.split(/\s+/).filter((member) => member !== '');
  if (members.length === 0) throw new UserError('empty selector definition', { ...at, hint: "write e.g. definition: 'tag:nightly'" });
  const spec = parseUnion(members, methods, at);
  return spec.kind === 'union' && spec.specs.length === 1 ? spec.specs[0] : spec;
}

function parseUnion(members: string[], methods: ReadonlyMap<string, SelectorMethod>, at?: SourceLocation): SelectionSpec {
  return {
    kind: 'union',
    specs: members.map((member) => {
      const atoms = member.split(',');
      if (atoms.some((atom) => atom === '')) {
        throw new UserError(`invalid selector '${member}': empty part around ','`, {
          ...at,
          hint: "join selectors with ',' and no spaces, e.g. 'tag:nightly,config.materialized:table'",
        });
      }
      const specs = atoms.map((atom) => parseSelectionAtom(atom, methods, at));
      return specs.length === 1 ? specs[0] : { kind: 'intersection', specs };
    }),
  };
}

/** Parses one atom, `[@][N+][method[.arg]:]value[+N]`; throws a UserError naming it when malformed. */
export function parseSelectionAtom(raw: string, methods: ReadonlyMap<string, SelectorMethod> = selectorMethods, at?: SourceLocation): SelectionCriteria {
  const match = ATOM.exec(raw);
  if (!match) throw invalid(raw, 'not a selector', undefined, at);
  const [, at_, parentsDepth, methodText, value, childrenDepth] = match;
  const childrensParents = at_ !== undefined;
  const children = childrenDepth !== undefined;
  if (childrensParents && children) {
    throw invalid(raw, "'@' and a '+' suffix cannot be combined", `'@x' already selects x's descendants; write '@${value}' or '${value}+'`, at);
  }
  if (value === '') {
    throw invalid(raw, methodText ? `no value after '${methodText}:'` : 'no node name', "write e.g. 'tag:nightly' or 'stg_orders+'", at);
  }
  // dbt would read `resource-type:seed` as a node name and select nothing; name the method instead.
  const misspelled = methodText === undefined ? /^([\w.-]+):./s.exec(value) : null;
  const criteria = misspelled
    ? criteriaFrom(raw, { method: misspelled[1], value: value.slice(misspelled[1].length + 1) }, methods, at)
    : criteriaFrom(raw, { method: methodText, value }, methods, at);
  return {
    ...criteria,
    parents: parentsDepth !== undefined,
    parentsDepth: depth(parentsDepth),
    children,
    childrenDepth: depth(childrenDepth),
    childrensParents,
  };
}

/** Checks a method name (with dotted arguments) and value against the registry; shared with selectors.yml. */
export function criteriaFrom(
  raw: string,
  input: { method?: string; value: string },
  methods: ReadonlyMap<string, SelectorMethod>,
  at?: SourceLocation,
): SelectionCriteria {
  const methodText = input.method ?? defaultMethod(input.value);
  const [method, ...args] = methodText.split('.');
  const selectorMethod = methods.get(method);
  if (!selectorMethod) {
    const names = [...methods.keys()];
    throw invalid(raw, `unknown method '${method}'`, didYouMean(method, names) || `methods: ${names.join(', ')}`, at);
  }
  if (selectorMethod.args === 'required' && (args.length === 0 || args.some((arg) => arg === ''))) {
    throw invalid(raw, `method '${method}' needs a key`, `write e.g. '${method}.materialized:${input.value}'`, at);
  }
  if (selectorMethod.args === undefined && args.length > 0) {
    throw invalid(raw, `method '${method}' takes no '.${args.join('.')}'`, `write '${method}:${input.value}'`, at);
  }
  const problem = selectorMethod.validate?.(input.value, args);
  if (problem) throw invalid(raw, problem.message, problem.hint, at);
  return {
    kind: 'criteria',
    raw,
    method,
    args,
    value: input.value,
    parents: false,
    parentsDepth: null,
    children: false,
    childrenDepth: null,
    childrensParents: false,
    ...(at ? { at } : {}),
  };
}

function depth(text: string | undefined): number | null {
  return text === undefined || text === '' ? null : Number(text);
}

function invalid(raw: string, problem: string, hint: string | undefined, at: SourceLocation | undefined): UserError {
  return new UserError(`invalid selector '${raw}': ${problem}`, { ...at, hint: hint || undefined });
}
