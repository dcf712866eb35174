// The expression half of the template parser: what lies inside a tag (names, paths,
// literals, params, hashes, subexpressions, block params), with Handlebars' rules.
import { UserError } from '../errors/user-error.js';
import { CONVERT_HINT, jinjaExpressionHint } from './jinja-hints.js';
import { TagScanner, Tok, isSpace } from './tag-scanner.js';
import type { CallKind, Expression, Hash, HashPair, Literal, PathExpression, StripFlags, SubExpression } from './template-ast.js';

/** Helpers Handlebars' compiler knows by name: a bare `{{each}}` is always a helper call. */
const KNOWN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'log', 'lookup', 'helperMissing', 'blockHelperMissing']);
const STRIPS: readonly StripFlags[] = [false, true].flatMap((close) => [false, true].map((open) => Object.freeze({ open, close })));
/** The `StripFlags` for a tag (one shared instance per combination). */
export const strip = (open: boolean, close: boolean): StripFlags => STRIPS[(open ? 1 : 0) + (close ? 2 : 0)];
/** A tag without `~`. */
export const NO_STRIP = strip(false, false);
const NO_PARAMS: readonly Expression[] = Object.freeze([]);

/**
 * Paths (and keyword literals) with the same text on the same line are shared between all
 * templates, frozen. Parsed templates stay in memory (10,000 models are parsed up front) and
 * helper and variable names repeat from model to model: fewer objects are cheaper to collect.
 * Strings are not shared: most are model names, which rarely repeat on the same line.
 */
class LeafCache<T extends object> {
  private readonly byLine: (Map<string, T> | undefined)[] = [];
  private static size = 0;
  private static readonly MAX_SIZE = 100_000;

  get(line: number, key: string): T | undefined {
    return this.byLine[line]?.get(key);
  }

  /** Freezes `node` and shares it from now on (unless the cache is full). */
  add(line: number, key: string, node: T): T {
    Object.freeze(node);
    if (LeafCache.size < LeafCache.MAX_SIZE) {
      (this.byLine[line] ??= new Map()).set(key, node);
      LeafCache.size++;
    }
    return node;
  }
}

const PATHS = new LeafCache<PathExpression>();
const DATA_PATHS = new LeafCache<PathExpression>();
const KEYWORDS = new LeafCache<Literal>();

/** A position in the source: 1-based line, 0-based column. */
export interface Position {
  line: number;
  column: number;
}

/** An opening tag: `{{#path params hash as |blockParams|}}` and where it starts and ends. */
export interface OpenTag {
  /** A subexpression only as a dynamic partial's name. */
  path: PathExpression | Literal | SubExpression;
  params: readonly Expression[];
  hash: Hash | null;
  blockParams?: string[];
  strip: StripFlags;
  start: Position;
  end: Position;
  /** Offset of the tag's `{{` in the source. */
  offset: number;
}

/** Parses the inside of tags; `TemplateParser` builds statements on top of it. */
export class ExpressionParser {
  protected readonly s: TagScanner;
  /** Block params in scope, innermost last. */
  protected readonly scopes: string[][] = [];
  /** Offset and line of the tag being parsed, for errors. */
  protected tagOpen = 0;
  protected tagLine = 1;

  constructor(
    protected readonly src: string,
    protected readonly file: string,
  ) {
    this.s = new TagScanner(src);
  }

  /** A tag's inside from offset `p`: `name params* hash? blockParams?` and its closing `}}`. */
  protected openTag(p: number, start: Position, stripOpen: boolean, close: Tok, allowBlockParams: boolean, partial = false): OpenTag {
    const s = this.s;
    s.advanceTo(p);
    const tok = s.next();
    if (tok === Tok.CLOSE || tok === Tok.CLOSE_UNESCAPED) throw this.fail('empty tag {{}}', start.line, 'write a name or expression between the braces');
    const path = partial && tok === Tok.OPEN_SEXPR ? this.subExpression() : this.helperName();
    const { params, hash } = this.args();
    let blockParams: string[] | undefined;
    if (s.current() === Tok.OPEN_BLOCK_PARAMS) {
      if (!allowBlockParams) throw this.fail('block params (as |x|) are only allowed on {{#block}} tags', s.tokLine);
      blockParams = [];
      while (s.next() === Tok.ID) blockParams.push(s.value);
      blockParams = blockParams.slice();
      if (s.current() !== Tok.CLOSE_BLOCK_PARAMS || blockParams.length === 0) throw this.unexpected('in block params', 'write as |item index|');
      s.next();
    }
    this.expectClose(close, start.line);
    const tag: OpenTag = { path, params, hash, strip: strip(stripOpen, s.flag), start, end: this.here(), offset: this.tagOpen };
    if (blockParams) tag.blockParams = blockParams;
    return tag;
  }

  /** Positional params, then `key=value` pairs. */
  private args(): { params: readonly Expression[]; hash: Hash | null } {
    const s = this.s;
    let params: Expression[] | undefined;
    for (;;) {
      const tok = s.current();
      if (tok === Tok.ID && this.equalsFollows()) return { params: params ? params.slice() : NO_PARAMS, hash: this.hash() };
      if (!startsParam(tok)) return { params: params ? params.slice() : NO_PARAMS, hash: null };
      (params ??= []).push(this.param());
    }
  }

  private hash(): Hash {
    const s = this.s;
    const pairs: HashPair[] = [];
    while (s.current() === Tok.ID && this.equalsFollows()) {
      const key = s.value;
      const line = s.tokLine;
      s.next(); // =
      s.next();
      if (!startsParam(s.current())) throw this.unexpected(`after ${key}=`, 'a hash value is a literal, a path or a (subexpression)');
      pairs.push({ key, value: this.param(), line });
    }
    if (startsParam(s.current())) throw this.fail('positional arguments must come before key=value pairs', s.tokLine);
    return { pairs: pairs.slice() };
  }

  /** Whether the current ID is a hash key: the next non-space character is `=`. */
  private equalsFollows(): boolean {
    const src = this.src;
    let p = this.s.pos;
    while (isSpace(src.charCodeAt(p))) p++;
    return src.charCodeAt(p) === 61;
  }

  private param(): Expression {
    return this.s.current() === Tok.OPEN_SEXPR ? this.subExpression() : this.helperName();
  }

  private subExpression(): SubExpression {
    const s = this.s;
    const line = s.tokLine;
    const column = s.tokColumn;
    s.next();
    if (s.current() === Tok.CLOSE_SEXPR) throw this.fail('empty subexpression ()', line, 'write (helper arg ...)');
    const path = toPath(this.helperName());
    const { params, hash } = this.args();
    if (s.current() !== Tok.CLOSE_SEXPR) throw this.unexpected('in a subexpression', 'close it with )');
    const end = this.here();
    s.next();
    const kind = this.isBlockParam(path) ? 'simple' : 'helper';
    return { type: 'subexpression', path, params, hash, kind, line, column, endLine: end.line, endColumn: end.column };
  }

  /** A path, `@data` path or literal (Handlebars' `helperName`); leaves the next token current. */
  protected helperName(): PathExpression | Literal {
    const s = this.s;
    const line = s.tokLine;
    const tok = s.current();
    if (tok === Tok.ID) return this.path(false, line);
    if (tok === Tok.DATA) {
      if (s.next() !== Tok.ID) throw this.unexpected('after @', 'write @index, @key, @root.name, ...');
      return this.path(true, line);
    }
    const type = LITERAL_TYPES[tok];
    if (type === undefined) throw this.unexpected('', 'expected a name, a path or a literal');
    const text = s.value;
    s.next();
    if (type === 'string' || type === 'number') return literal(type, text, line);
    return KEYWORDS.get(line, text) ?? KEYWORDS.add(line, text, literal(type, text, line));
  }

  /** `ID (SEP ID)*`, applying Handlebars' rules for `this`, `.` and `..` (its `preparePath`). */
  private path(data: boolean, line: number): PathExpression {
    const s = this.s;
    const first = s.value;
    const firstBracketed = s.flag;
    if (s.next() !== Tok.SEP && (firstBracketed || !isScopeWord(first))) {
      // The common case, a single name.
      return this.pathNode(data, 0, first, null, data ? `@${first}` : first, line);
    }
    let original = data ? '@' : '';
    const parts: string[] = [];
    let depth = 0;
    let part = first;
    let bracketed = firstBracketed;
    for (;;) {
      original += part;
      if (!bracketed && isScopeWord(part)) {
        if (parts.length > 0) throw this.fail(`invalid path ${original}: '${part}' may only start a path`, line, 'write ../name or this.name');
        if (part === '..') depth++;
      } else {
        parts.push(part);
      }
      if (s.current() !== Tok.SEP) break;
      original += s.value;
      if (s.next() !== Tok.ID) throw this.unexpected(`in path ${original}`, 'a path is names separated by . or /');
      part = s.value;
      bracketed = s.flag;
      s.next();
    }
    return this.pathNode(data, depth, parts[0], parts, original, line);
  }

  /** A path node, shared with identical ones unless it names a block param. `parts` null means `[first]`. */
  private pathNode(data: boolean, depth: number, first: string | undefined, parts: string[] | null, original: string, line: number): PathExpression {
    const scoped = original.charCodeAt(0) === 46 || (original.includes('this') && /this\b/.test(original));
    const blockParam = depth === 0 && !scoped && first !== undefined && this.inScope(first);
    const cache = data ? DATA_PATHS : PATHS;
    if (!blockParam) {
      const cached = cache.get(line, original);
      if (cached) return cached;
    }
    const node: PathExpression = { type: 'path', data, depth, parts: Object.freeze(parts ? parts.slice() : [first!]), original, scoped, blockParam, line };
    return blockParam ? node : cache.add(line, original, node);
  }

  /** Handlebars' `blockParamIndex` test: whether a block param of that name is in scope. */
  private inScope(name: string): boolean {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i].includes(name)) return true;
    return false;
  }

  /** Whether a callee is a block param (then it is looked up, never called). */
  private isBlockParam(path: PathExpression): boolean {
    return path.depth === 0 && !path.scoped && path.parts.length > 0 && this.inScope(path.parts[0]);
  }

  /** Handlebars' `classifySexpr` for mustaches and blocks. */
  protected kind(path: PathExpression, open: OpenTag): CallKind {
    const isSimple = path.parts.length === 1 && !path.scoped && path.depth === 0;
    if (isSimple && path.blockParam) return 'simple';
    if (open.params.length > 0 || open.hash) return 'helper';
    if (!isSimple) return 'simple';
    return KNOWN_HELPERS.has(path.parts[0]) ? 'helper' : 'ambiguous';
  }

  protected expectClose(kind: Tok, line: number): void {
    const tok = this.s.current();
    if (tok === kind) return;
    if (tok === Tok.CLOSE || tok === Tok.CLOSE_UNESCAPED) {
      throw this.fail(kind === Tok.CLOSE ? 'a tag opened with {{ closes with }}, not }}}' : 'a tag opened with {{{ closes with }}}', line);
    }
    throw this.unexpected('', 'expected }}');
  }

  /** Whether the current tag has no `}}` before the next `{{` or the end. */
  private tagIsUnclosed(): boolean {
    const close = this.src.indexOf('}}', this.tagOpen + 2);
    const next = this.src.indexOf('{{', this.tagOpen + 2);
    return close === -1 || (next !== -1 && next < close);
  }

  /** The cursor's position (after the last token read). */
  protected here(): Position {
    return { line: this.s.line, column: this.s.column(this.s.pos) };
  }

  private unexpected(where: string, hint?: string): UserError {
    const s = this.s;
    const jinja = jinjaExpressionHint(this.src, this.tagOpen);
    if (jinja) return this.fail(jinja.message, this.tagLine, `${jinja.hint} ${CONVERT_HINT}`);
    if (this.tagIsUnclosed()) return this.fail('unclosed tag: {{ without a matching }}', this.tagLine, `close the tag that starts on line ${this.tagLine}`);
    const suffix = where ? ` ${where}` : '';
    if (s.current() === Tok.UNTERMINATED) {
      return s.value === '[' ? this.fail(`unclosed [segment]${suffix}`, s.tokLine, 'close it with ]') : this.fail(`unterminated string${suffix}`, s.tokLine, `close it with ${s.value}`);
    }
    if (s.current() === Tok.EOF || s.current() === Tok.OPEN_TAG) return this.fail(`unclosed tag${suffix}: {{ without a matching }}`, s.tokLine, hint);
    const text = s.current() === Tok.STRING ? JSON.stringify(s.value) : s.value;
    return this.fail(`unexpected '${text}'${suffix}`, s.tokLine, hint);
  }

  protected unsupported(what: string, line: number): UserError {
    return this.fail(`${what} are not supported by Strata's template engine`, line, 'use a partial ({{> name}}) or a helper instead');
  }

  protected fail(message: string, line: number, hint?: string): UserError {
    return new UserError(message, { file: this.file, line, hint });
  }
}

/** `this`, `.` and `..` start a path instead of naming a property (unless written in brackets). */
function isScopeWord(part: string): boolean {
  return part === 'this' || part === '.' || part === '..';
}

const LITERAL_TYPES: Partial<Record<Tok, Literal['type']>> = {
  [Tok.STRING]: 'string',
  [Tok.NUMBER]: 'number',
  [Tok.BOOLEAN]: 'boolean',
  [Tok.NULL]: 'null',
  [Tok.UNDEFINED]: 'undefined',
};

function literal(type: Literal['type'], text: string, line: number): Literal {
  switch (type) {
    case 'string':
      return { type, value: text, line };
    case 'number':
      return { type, value: Number(text), line };
    case 'boolean':
      return { type, value: text === 'true', line };
    case 'null':
      return { type, value: null, line };
    case 'undefined':
      return { type, value: undefined, line };
  }
}

function startsParam(tok: Tok): boolean {
  return tok === Tok.ID || tok === Tok.DATA || tok === Tok.OPEN_SEXPR || (tok >= Tok.STRING && tok <= Tok.NULL);
}

/** The name of a callee as written, for messages and matching `{{/name}}`. */
export function originalOf(name: PathExpression | Literal | SubExpression): string {
  if (name.type === 'subexpression') return `(${name.path.original})`;
  return name.type === 'path' ? name.original : String(name.value);
}

/** Handlebars' `transformLiteralToPath`: `{{"name"}}` and `{{true}}` look up a name. */
export function toPath(name: PathExpression | Literal | SubExpression): PathExpression {
  if (name.type === 'path') return name;
  if (name.type === 'subexpression') return name.path; // not reached: only partial names are subexpressions
  const original = String(name.value);
  return { type: 'path', data: false, depth: 0, parts: [original], original, scoped: /^\.|this\b/.test(original), blockParam: false, line: name.line };
}
