// dbt's templates are Jinja, and a dbt user's first Strata model often is too. Handlebars would
// pass `{% if ... %}` through to the warehouse as SQL text and fail on `{{ ref('x') }}` with a
// lexer's complaint, so the parser asks here first and says what to write instead.

/** A Jinja tag found in a template, and what to write in Handlebars. */
/** What a parse error about Jinja adds to its hint: the command that rewrites a whole project. */
export const CONVERT_HINT = "(strata convert rewrites a dbt project's Jinja in one go)";

export interface JinjaTag {
  /** Offset of the tag in the text. */
  offset: number;
  message: string;
  hint: string;
}

const STATEMENT = /\{%(-|\+)?\s*([A-Za-z_]\w*)\b([\s\S]{0,400}?)[-+]?%\}/y;
const COMMENT = /\{#[\s\S]{0,2000}?#\}/y;

/**
 * The first Jinja statement (`{% if ... %}`) or comment (`{# ... #}`) starting in `text` between
 * `from` and `to`, the literal text between two Handlebars tags. Only whole tags count, so SQL
 * that merely holds `{%` is left alone.
 */
export function findJinjaTag(text: string, from = 0, to = text.length): JinjaTag | undefined {
  for (let at = text.indexOf('{', from); at !== -1 && at < to; at = text.indexOf('{', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (next === 37 /* % */) {
      STATEMENT.lastIndex = at;
      const match = STATEMENT.exec(text);
      if (match) return { offset: at, ...statementHint(match[0], match[2], match[3].trim()) };
    } else if (next === 35 /* # */) {
      COMMENT.lastIndex = at;
      const match = COMMENT.exec(text);
      if (match) {
        const raw = match[0].slice(2, -2);
        const inner = raw.replace(/^-|-$/g, '');
        const hint = `write ${handlebarsComment(inner, raw.startsWith('-'), raw.endsWith('-'))}`;
        return { offset: at, message: `${quoteTag(match[0])} is a Jinja comment (dbt's template syntax); Strata's templates are Handlebars`, hint };
      }
    }
  }
  return undefined;
}

/** The message and hint for a `{{ ... }}` tag at `open` that Handlebars cannot parse, if it is Jinja. */
export function jinjaExpressionHint(src: string, open: number): Omit<JinjaTag, 'offset'> | undefined {
  const close = src.indexOf('}}', open + 2);
  if (close === -1 || close - open > 2000) return undefined;
  const tag = src.slice(open, close + 2);
  const inner = tag.slice(2, -2).replace(/^[-~]|[-~]$/g, '').trim();
  // Jinja's marks: a call with its parentheses (Handlebars' `name (sub)` has a space), a
  // filter, a list, `~` concatenation.
  const jinja = /^[A-Za-z_][\w.]*\(|^\[|[\w)'"]\s*~\s*['"\w]/.test(inner) || (/[\w)'"]\s*\|\s*[A-Za-z_]/.test(inner) && !/\bas\s*\|/.test(inner));
  if (!jinja) return undefined;
  const message = `${quoteTag(tag)} is Jinja (dbt's template syntax); Strata's templates are Handlebars`;
  const packaged = /^([A-Za-z_]\w*)\.[A-Za-z_][\w.]*\(/.exec(inner);
  if (packaged && packaged[1] !== 'this') return { message, hint: packageHint(packaged[1]) };
  const written = translate(inner, false);
  if (written !== undefined) return { message, hint: `write {{${written}}}` };
  return { message, hint: 'a helper takes its arguments after its name, without parentheses or commas: {{ref "orders"}}, {{var "start" "2024-01-01"}}, {{#if (is_incremental)}}' };
}

/** A Jinja expression (`var('x', 'd')`, `env_var('X')`, `target.schema`) as the inside of a Handlebars tag, if it has one. */
export function jinjaToHandlebars(expression: string): string | undefined {
  return translate(expression.trim(), false);
}

/** A Jinja condition (`is_incremental()`, `var('full')`) as a Handlebars block's argument: a call in parentheses. */
export function jinjaCondition(expression: string): string | undefined {
  return translate(expression.trim(), true);
}

/** The message and hint for a Jinja statement tag, `{% set x = 1 %}`, as the parser gives them. */
export function jinjaStatementHint(tag: string): Omit<JinjaTag, 'offset'> {
  STATEMENT.lastIndex = 0;
  const match = STATEMENT.exec(tag);
  return match ? statementHint(match[0], match[2], match[3].trim()) : statementHint(tag, '', '');
}

function statementHint(tag: string, keyword: string, rest: string): Omit<JinjaTag, 'offset'> {
  const message = `${quoteTag(tag)} is a Jinja tag (dbt's template syntax); Strata's templates are Handlebars`;
  const hint = (text: string) => ({ message, hint: text });
  switch (keyword) {
    case 'if':
    case 'elif': {
      const negated = /^not\s+(.+)$/.exec(rest);
      const condition = translate(negated ? negated[1] : rest, true);
      if (condition === undefined) return hint('write {{#if (helper args)}} ... {{else}} ... {{/if}}; a condition is a helper call in parentheses, a var or a path, and comparisons go into a JS helper in macros/');
      if (keyword === 'elif') return hint(negated ? `write {{else}}{{#unless ${condition}}} ... {{/unless}}` : `write {{else if ${condition}}}`);
      return hint(negated ? `write {{#unless ${condition}}} ... {{/unless}}` : `write {{#if ${condition}}} ... {{/if}}`);
    }
    case 'else':
      return hint('write {{else}}');
    case 'endif':
      return hint('write {{/if}}');
    case 'for': {
      const loop = /^([A-Za-z_]\w*)\s+in\s+(.+)$/.exec(rest);
      const list = loop ? translate(loop[2], true) : undefined;
      return hint(loop && list !== undefined ? `write {{#each ${list} as |${loop[1]}|}} ... {{/each}}` : 'write {{#each list as |item|}} ... {{/each}}');
    }
    case 'endfor':
      return hint('write {{/each}}');
    case 'set':
      return hint('templates have no variables: put the value under vars: in project.yml and write {{var "name"}}, or compute it in a JS helper in macros/');
    case 'macro': {
      const name = /^([A-Za-z_]\w*)/.exec(rest)?.[1] ?? 'name';
      if (name === 'generate_schema_name') return hint('write it as a JS helper: macros/generate_schema_name.js exporting function generate_schema_name(custom_schema_name, { node, target }) that returns the schema');
      return hint(`a macro is a partial, macros/${name}.sql used as {{> ${name} arg="..."}}, or a JS helper in macros/*.js used as {{${name} ...}}`);
    }
    case 'test':
      return hint(`a custom generic test is macros/test_${/^([A-Za-z_]\w*)/.exec(rest)?.[1] ?? 'name'}.sql: a query on {{model}} and {{column_name}} whose rows are the failures`);
    case 'snapshot':
      return hint('a snapshot is the select alone in snapshots/<name>.sql, with {{config unique_key="id" strategy="timestamp" updated_at="updated_at"}} at its top, or declared in YAML as in dbt 1.9 (relation: ref(\'x\') and a config)');
    case 'docs':
      return hint('write the description in the YAML file beside the model');
    case 'call':
    case 'do':
      return hint('call the helper in a tag of its own: {{helper args}}');
    default:
      return hint('Handlebars has blocks ({{#if}}, {{#each}}, {{#unless}}, {{#with}}), partials ({{> name}}) and JS helpers in macros/; see "How Strata differs from dbt" in the README');
  }
}

function packageHint(name: string): string {
  if (name === 'adapter' || name === 'dbt' || name === 'modules') return `Jinja's ${name} object does not exist here: write the SQL, or a JS helper in macros/ (macros/duckdb__name.sql overrides a partial per adapter)`;
  return `macros of dbt packages (${name}) are not available: write the SQL, or a partial or JS helper in macros/`;
}

/** A Jinja comment's text as a Handlebars comment; Jinja's `{#-`/`-#}` trim whitespace as `{{~`/`~}}` do. */
export function handlebarsComment(inner: string, trimLeft: boolean, trimRight: boolean): string {
  return `{{${trimLeft ? '~' : ''}!--${inner}--${trimRight ? '~' : ''}}}`;
}

/** A tag as quoted in a message: on one line, shortened when long. */
export function quoteTag(tag: string): string {
  const flat = tag.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

type Token = { kind: 'name' | 'string' | 'number' | 'punct'; text: string };

/** Jinja's tokens in the subset worth translating: names, strings, numbers, ( ) [ ] , =. */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][\w.]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|([()[\],=]))/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return /^\s*$/.test(text.slice(at)) ? tokens : undefined;
    at = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'name', text: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) tokens.push({ kind: 'string', text: (m[2] ?? m[3]).replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) tokens.push({ kind: 'number', text: m[4] });
    else tokens.push({ kind: 'punct', text: m[5] });
  }
  return tokens;
}

/**
 * A Jinja expression written as Handlebars: a call `f(a, k=v)` as `f a k=v` (or `(f a k=v)` when
 * `nested`), with a list of strings as one comma-separated string (as `unique_key="a,b"` is
 * written). Undefined for anything else, which has no one-line translation.
 */
function translate(text: string, nested: boolean): string | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  let i = 0;
  const peek = (t: string) => tokens[i]?.kind === 'punct' && tokens[i].text === t;
  const value = (inCall: boolean): string | undefined => {
    const token = tokens[i++];
    if (!token) return undefined;
    if (token.kind === 'string') return quote(token.text);
    if (token.kind === 'number') return token.text;
    if (token.kind === 'punct') {
      if (token.text !== '[') return undefined;
      const items: string[] = [];
      while (!peek(']')) {
        const item = tokens[i++];
        if (item?.kind !== 'string') return undefined;
        items.push(item.text);
        if (peek(',')) i++;
        else if (!peek(']')) return undefined;
      }
      i++;
      return quote(items.join(','));
    }
    const keyword = { True: 'true', true: 'true', False: 'false', false: 'false', None: 'null', none: 'null' }[token.text];
    if (keyword) return keyword;
    if (!peek('(')) return token.text;
    if (token.text.includes('.')) return undefined;
    i++;
    const parts = [token.text];
    while (!peek(')')) {
      if (i >= tokens.length) return undefined;
      let key = '';
      if (tokens[i].kind === 'name' && tokens[i + 1]?.kind === 'punct' && tokens[i + 1].text === '=') {
        key = `${tokens[i].text}=`;
        i += 2;
      }
      const arg = value(true);
      if (arg === undefined) return undefined;
      parts.push(key + arg);
      if (peek(',')) i++;
      else if (!peek(')')) return undefined;
    }
    i++;
    return inCall || nested ? `(${parts.join(' ')})` : parts.join(' ');
  };
  const written = value(false);
  return i === tokens.length ? written : undefined;
}

function quote(text: string): string {
  return text.includes('"') && !text.includes("'") ? `'${text}'` : `"${text.replace(/"/g, '\\"')}"`;
}
