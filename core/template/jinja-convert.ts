import { handlebarsComment, jinjaCondition, jinjaExpressionHint, jinjaStatementHint, jinjaToHandlebars, quoteTag as quote } from './jinja-hints.js';

// `strata convert` rewrites a dbt project's Jinja as Handlebars where one construct has one
// translation, and lists the rest by line with what to write, all at once: a parse stops at the
// first Jinja tag of a project, and a dbt project has hundreds.

/** A dbt macro: `{% macro name(a, b='x') %}`, its parameters in order with their defaults (Jinja text). */
export interface MacroSignature {
  name: string;
  params: { name: string; default?: string }[];
}

/** A tag the conversion left as it was. */
export interface LeftTag {
  line: number;
  message: string;
  hint: string;
}

export interface Conversion {
  text: string;
  /** How many tags were rewritten. */
  rewritten: number;
  left: LeftTag[];
}

/** The helpers a Strata template has, that a Jinja call may name. */
const HELPERS = new Set(['ref', 'source', 'config', 'var', 'env', 'env_var', 'is_incremental', 'should_full_refresh', 'sql_list', 'list', 'doc', 'log']);

type Tag = { kind: 'expression' | 'statement' | 'comment'; start: number; end: number; inner: string; trimLeft: boolean; trimRight: boolean };

/** Finds the Jinja tag starting at `at` (`{{`, `{%` or `{#`), with quotes inside respected; undefined when unclosed. */
function readTag(text: string, at: number): Tag | undefined {
  const open = text[at + 1];
  if (open === '#') {
    const close = text.indexOf('#}', at + 2);
    if (close === -1) return undefined;
    const raw = text.slice(at + 2, close);
    return { kind: 'comment', start: at, end: close + 2, inner: raw.replace(/^-/, '').replace(/-$/, ''), trimLeft: raw.startsWith('-'), trimRight: raw.endsWith('-') };
  }
  const closer = open === '{' ? '}}' : '%}';
  let quote: string | null = null;
  for (let i = at + 2; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === closer[0] && text[i + 1] === closer[1]) {
      const raw = text.slice(at + 2, i);
      const trimLeft = /^[-~]/.test(raw);
      const trimRight = /[-~]$/.test(raw);
      const inner = raw.slice(trimLeft || raw.startsWith('+') ? 1 : 0, trimRight || raw.endsWith('+') ? raw.length - 1 : raw.length).trim();
      return { kind: open === '{' ? 'expression' : 'statement', start: at, end: i + 2, inner, trimLeft, trimRight };
    }
  }
  return undefined;
}

/** Reads `{% macro name(a, b='x') %}`'s name and parameters. */
export function macroSignature(statement: string): MacroSignature | undefined {
  const m = /^macro\s+([A-Za-z_]\w*)\s*\(([\s\S]*)\)\s*$/.exec(statement.trim());
  if (!m) return undefined;
  const params: MacroSignature['params'] = [];
  for (const part of splitArgs(m[2])) {
    const p = /^([A-Za-z_]\w*)\s*(?:=\s*([\s\S]+))?$/.exec(part.trim());
    if (!p) return undefined;
    params.push(p[2] === undefined ? { name: p[1] } : { name: p[1], default: p[2].trim() });
  }
  return { name: m[1], params };
}

/** Splits `a, 'b, c', f(x, y)` at its top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  if (text.slice(from).trim() !== '') out.push(text.slice(from));
  return out;
}

/** A call of a project macro, `name(a, k=b)`, as a partial with named arguments and the macro's defaults filled in. */
function macroCall(inner: string, macros: ReadonlyMap<string, MacroSignature>): string | undefined | null {
  const m = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/.exec(inner);
  const macro = m && macros.get(m[1]);
  if (!m || !macro) return null;
  const given = new Map<string, string>();
  let position = 0;
  for (const arg of splitArgs(m[2])) {
    const named = /^\s*([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(arg);
    const param = named ? named[1] : macro.params[position++]?.name;
    if (!param) return undefined;
    given.set(param, (named ? named[2] : arg).trim());
  }
  const parts = [`> ${macro.name}`];
  for (const param of macro.params) {
    const value = given.get(param.name) ?? param.default;
    if (value === undefined) continue;
    const written = jinjaCondition(value);
    if (written === undefined) return undefined;
    parts.push(`${param.name}=${written}`);
  }
  return parts.join(' ');
}

/** A quoted Jinja string, '...' or "...", in a larger pattern. */
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/.source;

/** The text between the quotes of an argument that is one Jinja string, as written. */
function stringLiteral(arg: string): string | undefined {
  return /^\s*(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*$/.exec(arg)?.[2];
}

/** A constant's value: its Jinja text, the text `{{ name }}` renders, and for a list its Handlebars. */
type Literal = { kind: 'text' | 'number' | 'boolean'; jinja: string; text: string } | { kind: 'list'; jinja: string; handlebars: string };

/** Reads a literal Jinja value: a string, a number, a boolean, or a list of strings and numbers. */
function readLiteral(expression: string): Literal | undefined {
  const text = expression.trim();
  const string = stringLiteral(text);
  if (string !== undefined) return { kind: 'text', jinja: text, text: string.replace(/\\(.)/g, '$1') };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'number', jinja: text, text };
  if (/^(true|false|True|False)$/.test(text)) return { kind: 'boolean', jinja: text, text: text.toLowerCase() === 'true' ? 'True' : 'False' };
  const list = /^\[([\s\S]*)\]$/.exec(text);
  if (!list) return undefined;
  const items: string[] = [];
  for (const item of splitArgs(list[1])) {
    const value = readLiteral(item);
    if (!value || (value.kind !== 'text' && value.kind !== 'number')) return undefined;
    items.push(value.kind === 'text' ? JSON.stringify(value.text) : value.text);
  }
  return { kind: 'list', jinja: text, handlebars: `(list${items.map((i) => ` ${i}`).join('')})` };
}

/** The expression with each name (outside strings, not after a dot) that `replace` gives a text for replaced. */
function replaceNames(expression: string, replace: (name: string) => string | undefined): string {
  return expression.replace(new RegExp(`(${QUOTED})|(?<![\\w.])([A-Za-z_]\\w*)(?![\\w(])`, 'g'), (whole, quoted, name) => (quoted ? whole : (replace(name) ?? whole)));
}

const WORDS = new Set(['not', 'and', 'or', 'in', 'is', 'True', 'False', 'None', 'true', 'false', 'none', 'this', 'target', 'loop']);

/**
 * The names an expression reads that hold nothing in a Handlebars template: not a call, a keyword
 * argument, `this`, `target` or `loop`, a macro's parameter or a loop's variable. A `{% set %}`
 * variable is such a name: its value stays behind in the Jinja.
 */
function unknownNames(expression: string, known: ReadonlySet<string>): string[] {
  const bare = expression.replace(new RegExp(QUOTED, 'g'), '""');
  const out: string[] = [];
  for (const m of bare.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?!\w)(?!\s*\()(?!\s*=(?!=))/g)) {
    if (!WORDS.has(m[1]) && !known.has(m[1])) out.push(m[1]);
  }
  return out;
}

const TYPES: Record<string, string> = { string: 'varchar', int: 'integer', bigint: 'bigint', float: 'float', numeric: 'numeric(28, 6)', boolean: 'boolean', timestamp: 'timestamp' };

/**
 * dbt's common cross-database macros, written out as the SQL DuckDB runs (date_trunc, datediff
 * and the types read the same on Snowflake and Redshift): `{{ dbt.date_trunc('day', 'ordered_at') }}`
 * is `date_trunc('day', ordered_at)`. Their arguments must be literal strings (SQL text), as they
 * are in most projects.
 */
function crossDatabaseSql(inner: string): string | undefined {
  const key = /^dbt_utils\.generate_surrogate_key\s*\(\s*\[([\s\S]*)\]\s*\)$/.exec(inner);
  if (key) return surrogateKey(key[1]);
  const spine = /^(?:dbt_utils|dbt)\.date_spine\s*\(([\s\S]*)\)$/.exec(inner);
  if (spine) return dateSpine(spine[1]);
  const m = /^dbt\.(\w+)\s*\(([\s\S]*)\)$/.exec(inner);
  if (!m) return undefined;
  const args: string[] = [];
  for (const arg of splitArgs(m[2])) {
    const literal = stringLiteral(arg);
    if (literal === undefined) return undefined;
    args.push(literal);
  }
  const [a, b, c] = args;
  switch (m[1]) {
    case 'date_trunc':
      return args.length === 2 ? `date_trunc('${a}', ${b})` : undefined;
    case 'datediff':
      return args.length === 3 ? `datediff('${c}', ${a}, ${b})` : undefined;
    case 'current_timestamp':
      return args.length === 0 ? 'current_timestamp' : undefined;
    case 'safe_cast':
      return args.length === 2 ? `try_cast(${a} as ${b})` : undefined;
    default: {
      const type = /^type_(\w+)$/.exec(m[1])?.[1];
      return type && TYPES[type] && args.length === 0 ? TYPES[type] : undefined;
    }
  }
}

/**
 * dbt_utils' generate_surrogate_key of a list of literal column expressions, as dbt_utils writes it
 * (the md5 of the fields cast to text, nulls as '_dbt_utils_surrogate_key_null_', joined by '-'),
 * so the keys equal those dbt built.
 */
function surrogateKey(list: string): string | undefined {
  const fields: string[] = [];
  for (const item of splitArgs(list)) {
    const literal = stringLiteral(item);
    if (literal === undefined) return undefined;
    fields.push(`coalesce(cast(${literal} as varchar), '_dbt_utils_surrogate_key_null_')`);
  }
  return fields.length ? `md5(cast(${fields.join(" || '-' || ")} as varchar))` : undefined;
}

/**
 * dbt's date_spine (dbt_utils' or dbt's own): one row per datepart from start_date up to, not
 * including, end_date, in a column date_<datepart>, as DuckDB's range() gives them (timestamps, as
 * dbt-duckdb's dateadd does).
 */
function dateSpine(argsText: string): string | undefined {
  const names = ['datepart', 'start_date', 'end_date'];
  const args = new Map<string, string>();
  let position = 0;
  for (const arg of splitArgs(argsText)) {
    const named = /^\s*(\w+)\s*=\s*([\s\S]+)$/.exec(arg);
    const literal = stringLiteral(named ? named[2] : arg);
    const name = named ? named[1] : names[position++];
    if (literal === undefined || !names.includes(name)) return undefined;
    args.set(name, literal);
  }
  const part = args.get('datepart');
  if (!part || !/^\w+$/.test(part) || !args.has('start_date') || !args.has('end_date')) return undefined;
  return `select range as date_${part} from range(cast(${args.get('start_date')} as timestamp), cast(${args.get('end_date')} as timestamp), interval 1 ${part})`;
}

/** `loop.last` and friends, Jinja's loop variables, as Handlebars' data variables inside {{#each}}. */
function loopVariables(written: string): string | undefined {
  if (/\bloop\.(index|revindex|revindex0|length|cycle|depth)\b/.test(written)) return undefined;
  return written.replace(/\bloop\.(last|first)\b/g, '@$1').replace(/\bloop\.index0\b/g, '@index');
}

/** An `{% if %}` chain or a `{% for %}` loop: its tags (by index), and whether it becomes Handlebars. */
interface Block {
  kind: 'if' | 'for';
  tags: number[];
  parent: Block | undefined;
  closed: boolean;
  /** Decided when its opening tag comes: the block is written in Handlebars. */
  converted?: boolean;
  /** What the {{#...}} block is: `if`, `unless` or `each`, and the loop's variable. */
  helper?: 'if' | 'unless' | 'each';
  variable?: string;
  line?: number;
}

/**
 * Rewrites the Jinja of one template as Handlebars. `macros` are the project's macros, whose calls
 * become partials; `params` the names a macro's body may read. What has no single translation
 * (`{% set %}`, filters, comparisons, dbt package macros) is left as it was and listed; a block
 * (`{% if %}` with its `{% elif %}`s, or `{% for %}`) is rewritten whole or not at all.
 */
export function convertJinja(text: string, macros: ReadonlyMap<string, MacroSignature> = new Map(), params: readonly string[] = []): Conversion {
  // The tags, and the blocks they make up.
  const tags: (Tag & { keyword: string; rest: string; block?: Block })[] = [];
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) {
    const next = text[at + 1];
    if (next !== '{' && next !== '%' && next !== '#') continue;
    const tag = readTag(text, at);
    if (!tag) continue;
    const keyword = tag.kind === 'statement' ? (/^([A-Za-z_]\w*)/.exec(tag.inner)?.[1] ?? '') : '';
    tags.push({ ...tag, keyword, rest: tag.inner.slice(keyword.length).trim() });
    at = tag.end - 1;
  }
  const stack: Block[] = [];
  tags.forEach((tag, index) => {
    const top = stack.at(-1);
    if (tag.keyword === 'if' || tag.keyword === 'for') {
      const block: Block = { kind: tag.keyword, tags: [index], parent: top, closed: false };
      stack.push(block);
      tag.block = block;
    } else if ((tag.keyword === 'elif' && top?.kind === 'if') || (tag.keyword === 'else' && top)) {
      top.tags.push(index);
      tag.block = top;
    } else if ((tag.keyword === 'endif' && top?.kind === 'if') || (tag.keyword === 'endfor' && top?.kind === 'for')) {
      top.tags.push(index);
      top.closed = true;
      tag.block = top;
      stack.pop();
    }
  });

  // `{% set name = 'literal' %}` at the top of a template, set once before any use: a constant,
  // written into the places that read it (Handlebars has no variables).
  const constants = new Map<string, Literal>();
  const setTags = new Set<(typeof tags)[number]>();
  {
    const sets = new Map<string, { tag: (typeof tags)[number]; value: Literal | undefined }[]>();
    let depth = 0;
    for (const tag of tags) {
      if (tag.block && (tag.keyword === 'if' || tag.keyword === 'for')) depth++;
      else if (tag.block && (tag.keyword === 'endif' || tag.keyword === 'endfor')) depth--;
      if (tag.keyword !== 'set') continue;
      const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(tag.rest);
      const name = m?.[1] ?? /^([A-Za-z_]\w*)/.exec(tag.rest)?.[1] ?? '';
      sets.set(name, [...(sets.get(name) ?? []), { tag, value: m && depth === 0 ? readLiteral(m[2]) : undefined }]);
    }
    for (const [name, assignments] of sets) {
      const [only] = assignments;
      // Set once, to a literal, and read nowhere before.
      if (assignments.length !== 1 || !only.value || params.includes(name)) continue;
      if (tags.some((t) => t.start < only.tag.start && unknownNames(t.inner, new Set()).includes(name))) continue;
      constants.set(name, only.value);
      setTags.add(only.tag);
    }
  }
  /** The expression with the constants it reads written in (loop variables shadow them). */
  const withConstants = (expression: string, shadowed: ReadonlySet<string>): string => {
    if (constants.size === 0) return expression;
    return replaceNames(expression, (name) => (constants.has(name) && !shadowed.has(name) ? constants.get(name)!.jinja : undefined));
  };

  let out = '';
  let copied = 0;
  let rewritten = 0;
  const left: LeftTag[] = [];
  let lineAt = 0;
  let line = 1;
  const lineOf = (offset: number) => {
    for (; lineAt < offset; lineAt++) if (text.charCodeAt(lineAt) === 10) line++;
    return line;
  };
  const leave = (tag: Tag, found: { message: string; hint: string }) => left.push({ line: lineOf(tag.start), message: found.message, hint: found.hint });
  const write = (tag: Tag, body: string) => {
    out += text.slice(copied, tag.start) + `{{${tag.trimLeft ? '~' : ''}${body}${tag.trimRight ? '~' : ''}}}`;
    copied = tag.end;
    rewritten++;
  };
  // Names a condition or a loop may read: the macro's parameters and the converted loops' variables.
  const known = (block: Block | undefined) => {
    const names = new Set(params);
    for (let b = block; b; b = b.parent) if (b.converted && b.variable) names.add(b.variable);
    return names;
  };
  /** The innermost block the tag at `index` is inside. */
  const enclosingBlock = (index: number): Block | undefined => {
    for (let i = index - 1, depth = 0; i >= 0; i--) {
      const t = tags[i];
      if (!t.block) continue;
      if (t.keyword === 'endif' || t.keyword === 'endfor') depth++;
      else if (t.keyword === 'if' || t.keyword === 'for') {
        if (depth === 0) return t.block;
        depth--;
      }
    }
    return undefined;
  };
  // Why a block stays Jinja, for its first tag's message.
  const blockProblem = new Map<Block, { message: string; hint: string }>();
  const condition = (jinja: string, names: ReadonlySet<string>, whole: string, list = false): string | { message: string; hint: string } => {
    const expression = withConstants(jinja, names);
    // A list written out, `['a', 'b']` (or a constant holding one), for a loop: (list "a" "b").
    const literal = list ? readLiteral(expression) : undefined;
    if (literal?.kind === 'list') return literal.handlebars;
    const unread = unknownNames(expression, names);
    if (unread.length) {
      return {
        message: `${quote(whole)} reads ${unread.map((n) => `'${n}'`).join(', ')}, which a Handlebars template does not have (a {% set %} variable, or Jinja's context)`,
        hint: `put the value under vars: in project.yml and read {{var "${unread[0]}"}}, pass it to a partial, or compute it in a JS helper in macros/`,
      };
    }
    const written = jinjaCondition(expression);
    const withLoop = written === undefined ? undefined : loopVariables(written);
    return withLoop ?? jinjaStatementHint(whole);
  };
  const decide = (block: Block) => {
    block.line = lineOf(tags[block.tags[0]].start);
    block.converted = false;
    if (block.parent && !block.parent.converted) return;
    if (!block.closed) return void blockProblem.set(block, { message: `${quote(text.slice(tags[block.tags[0]].start, tags[block.tags[0]].end))} is never closed`, hint: `end it with {% end${block.kind} %}` });
    const names = known(block.parent);
    const first = tags[block.tags[0]];
    const whole = (t: Tag) => text.slice(t.start, t.end);
    if (block.kind === 'for') {
      const loop = /^([A-Za-z_]\w*)\s+in\s+([\s\S]+)$/.exec(first.rest);
      if (!loop) return void blockProblem.set(block, jinjaStatementHint(whole(first)));
      const list = condition(loop[2], names, whole(first), true);
      if (typeof list !== 'string') return void blockProblem.set(block, list);
      Object.assign(block, { converted: true, helper: 'each', variable: loop[1] });
      first.rest = `#each ${list} as |${loop[1]}|`;
      return;
    }
    const negated = /^not\s+([\s\S]+)$/.exec(first.rest);
    const chain = block.tags.map((i) => tags[i]);
    if (negated && chain.some((t) => t.keyword === 'elif')) return void blockProblem.set(block, { message: `${quote(whole(first))} has {% elif %}s after a negated condition`, hint: 'write {{#if}} with the conditions turned round, or a JS helper in macros/' });
    const written: string[] = [];
    for (const t of chain) {
      if (t.keyword !== 'if' && t.keyword !== 'elif') continue;
      const expression = t === first && negated ? negated[1] : t.rest;
      const result = /^not\s/.test(expression) ? jinjaStatementHint(whole(t)) : condition(expression, names, whole(t));
      if (typeof result !== 'string') {
        return void blockProblem.set(block, t === first ? result : { message: `${quote(whole(first))} stays Jinja with its block: ${result.message}`, hint: result.hint });
      }
      written.push(result);
    }
    Object.assign(block, { converted: true, helper: negated ? 'unless' : 'if' });
    for (const t of chain) if (t.keyword === 'if' || t.keyword === 'elif') t.rest = written.shift()!;
  };

  for (const tag of tags) {
    if (tag.kind === 'comment') {
      if (tag.inner.includes('--}}')) leave(tag, { message: 'a Jinja comment holds --}}', hint: 'write it as {{!-- ... --}} without --}} inside' });
      else {
        out += text.slice(copied, tag.start) + handlebarsComment(tag.inner, tag.trimLeft, tag.trimRight);
        copied = tag.end;
        rewritten++;
      }
      continue;
    }
    if (tag.kind === 'expression' && constants.size) {
      const enclosingNames = known(enclosingBlock(tags.indexOf(tag)));
      const constant = constants.get(tag.inner);
      // `{{ name }}` of a text or a number: the value itself.
      if (constant && constant.kind !== 'list' && !enclosingNames.has(tag.inner)) {
        out += text.slice(copied, tag.start) + constant.text;
        copied = tag.end;
        rewritten++;
        continue;
      }
      const replaced = withConstants(tag.inner, enclosingNames);
      if (replaced !== tag.inner) {
        const converted = convertJinja(`{{ ${replaced} }}`, macros, [...params, ...enclosingNames]);
        if (converted.left.length === 0) {
          out += text.slice(copied, tag.start) + converted.text;
          copied = tag.end;
          rewritten++;
          continue;
        }
      }
    }
    if (tag.kind === 'expression') {
      // Jinja's conditional expression, `a if b else c`.
      const inline = /\sif\s/.test(tag.inner.replace(new RegExp(QUOTED, 'g'), '""'));
      const hint = jinjaExpressionHint(text, tag.start) ?? (inline ? { message: `${quote(text.slice(tag.start, tag.end))} is Jinja (dbt's template syntax); Strata's templates are Handlebars`, hint: 'write {{#if (helper args)}} ... {{else}} ... {{/if}}' } : undefined);
      // Not Jinja's own syntax: Handlebars already, or a bare name that reads the same in both.
      if (!hint) continue;
      // `{{ "," if not loop.last }}`, the separator of a loop.
      const separator = /^(['"])([^'"]*)\1\s+if\s+(not\s+)?loop\.last(?:\s+else\s+(['"])\4)?$/.exec(tag.inner);
      if (separator) {
        const helper = separator[3] ? 'unless' : 'if';
        out += text.slice(copied, tag.start) + `{{${tag.trimLeft ? '~' : ''}#${helper} @last}}${separator[2]}{{/${helper}${tag.trimRight ? '~' : ''}}}`;
        copied = tag.end;
        rewritten++;
        continue;
      }
      const sql = crossDatabaseSql(tag.inner);
      if (sql !== undefined) {
        out += text.slice(copied, tag.start) + sql;
        copied = tag.end;
        rewritten++;
        continue;
      }
      const call = macroCall(tag.inner, macros);
      const name = /^([A-Za-z_]\w*)\s*\(/.exec(tag.inner)?.[1];
      const unknownCall = call === null && name !== undefined && !HELPERS.has(name);
      const packaged = /^[A-Za-z_]\w*\.[A-Za-z_][\w.]*\(/.test(tag.inner) && !tag.inner.startsWith('this.');
      const unread = unknownNames(tag.inner, known(enclosingBlock(tags.indexOf(tag))));
      const written = unknownCall || packaged || unread.length ? undefined : (call ?? jinjaToHandlebars(tag.inner));
      const body = written === undefined ? undefined : loopVariables(written);
      if (body !== undefined) write(tag, body);
      else if (packaged) leave(tag, hint);
      else if (name === 'ref' || name === 'source') {
        leave(tag, { message: hint.message, hint: `${name}() takes literal names in Strata, which is how the whole DAG is found without rendering: write one {{${name === 'ref' ? 'ref "model"' : 'source "source" "table"'}}} per relation (a partial can take the relation as an argument)` });
      }
      else if (unknownCall) leave(tag, { message: hint.message, hint: `'${name}' is no macro of this project and no helper of Strata's: write the SQL, or a partial or JS helper in macros/` });
      else if (unread.length) leave(tag, { message: `${hint.message}, and reads ${unread.map((n) => `'${n}'`).join(', ')}, which a Handlebars template does not have`, hint: `put the value under vars: in project.yml and read {{var "${unread[0]}"}}, or compute it in a JS helper in macros/` });
      else leave(tag, hint);
      continue;
    }
    const whole = text.slice(tag.start, tag.end);
    const block = tag.block;
    if (setTags.has(tag)) {
      // A set alone on its line goes with its line.
      const lineStart = text.lastIndexOf('\n', tag.start - 1) + 1;
      const alone = /^[ \t]*$/.test(text.slice(Math.max(lineStart, copied), tag.start)) && /^[ \t]*(\r?\n|$)/.test(text.slice(tag.end));
      out += text.slice(copied, alone ? Math.max(lineStart, copied) : tag.start);
      copied = alone ? tag.end + /^[ \t]*(\r?\n)?/.exec(text.slice(tag.end))![0].length : tag.end;
      rewritten++;
      continue;
    }
    if (!block) {
      leave(tag, jinjaStatementHint(whole));
      continue;
    }
    if (tag === tags[block.tags[0]]) decide(block);
    if (!block.converted) {
      const problem = tag === tags[block.tags[0]] ? blockProblem.get(block) : undefined;
      if (problem) leave(tag, problem);
      else if (tag === tags[block.tags[0]]) leave(tag, { message: `${quote(whole)} is inside a Jinja block left as it was`, hint: 'rewrite the outer block first' });
      else leave(tag, { message: `${quote(whole)} belongs to the Jinja block of line ${block.line}, left as it was`, hint: 'rewrite the block as a whole' });
      continue;
    }
    if (tag.keyword === 'if' || tag.keyword === 'for') write(tag, tag.keyword === 'for' ? tag.rest : `#${block.helper} ${tag.rest}`);
    else if (tag.keyword === 'elif') write(tag, `else if ${tag.rest}`);
    else if (tag.keyword === 'else') write(tag, 'else');
    else write(tag, `/${block.helper}`);
  }
  return { text: out + text.slice(copied), rewritten, left };
}

/** The macros of a dbt macro file, each with its body (`{% macro name(...) %}body{% endmacro %}`), the line of its tag and of its body's first line. */
export function splitMacros(text: string): { macros: { signature: MacroSignature; body: string; line: number; bodyLine: number; source: string }[]; rest: string } | undefined {
  const macros: { signature: MacroSignature; body: string; line: number; bodyLine: number; source: string }[] = [];
  const re = /\{%-?\s*macro\s+([\s\S]*?)\s*-?%\}([\s\S]*?)\{%-?\s*endmacro\s*-?%\}/g;
  let rest = '';
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const signature = macroSignature(`macro ${m[1]}`);
    if (!signature) return undefined;
    rest += text.slice(from, m.index);
    from = re.lastIndex;
    const lead = /^\s*\n/.exec(m[2])?.[0] ?? '';
    const bodyAt = m.index + m[0].indexOf('%}') + 2 + lead.length;
    macros.push({ signature, body: m[2].slice(lead.length).replace(/\n\s*$/, '\n'), line: text.slice(0, m.index).split('\n').length, bodyLine: text.slice(0, bodyAt).split('\n').length, source: m[0] });
  }
  rest += text.slice(from);
  return { macros, rest };
}
