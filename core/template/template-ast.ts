// Syntax tree of a Handlebars template, as produced by `parseTemplate` and walked by the
// renderer and the static analysis. Every node carries the 1-based line where it starts.

/** A parsed template: its file (for error messages), its source and its top-level statements. */
export interface Template {
  file: string;
  source: string;
  body: Statement[];
}

/** A sequence of statements: a template's body or one branch of a block. */
export interface Program {
  body: Statement[];
  /** Names declared with `as |a b|`, visible in this program only. */
  blockParams?: string[];
  /** True when this is the `{{else if ...}}` branch of a chain: its body is a single block. */
  chained?: boolean;
}

/** Where a call starts and ends, in Handlebars' shape (`options.loc`); columns are 0-based. */
export interface SourceLoc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** Where a tag starts (`line`, 0-based `column`) and ends, kept flat to keep the tree small. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Whether a tag has `~` on its left (`open`) and right (`close`) side (shared, frozen instances). */
export interface StripFlags {
  readonly open: boolean;
  readonly close: boolean;
}

/** Literal text between tags. `original` is the text as written, `value` after whitespace control. */
export interface ContentStatement {
  type: 'content';
  value: string;
  original: string;
  line: number;
}

/** `{{! ... }}` or `{{!-- ... --}}`; renders nothing. */
export interface CommentStatement {
  type: 'comment';
  value: string;
  strip: StripFlags;
  line: number;
}

/**
 * How a call's callee is resolved at render time, decided at parse time as Handlebars does:
 * `helper` (it has arguments, is a subexpression or a built-in helper: must be a helper or a
 * function in the context), `ambiguous` (a bare name: a helper if one is registered, else a
 * context value) or `simple` (a path such as `a.b`, `this`, `../x`, `@index` or a block param).
 */
export type CallKind = 'helper' | 'ambiguous' | 'simple';

/** The parts shared by mustaches, blocks and subexpressions: `path param* key=value*`. */
export interface CallExpression extends Span {
  path: PathExpression;
  params: readonly Expression[];
  hash: Hash | null;
  kind: CallKind;
}

/** `{{expr}}`, `{{{expr}}}` or `{{&expr}}` (all unescaped: we render SQL, not HTML). */
export interface MustacheStatement extends CallExpression {
  type: 'mustache';
  strip: StripFlags;
}

/** `{{#helper ...}}program{{else}}inverse{{/helper}}`, or `{{^x}}inverse{{/x}}`. */
export interface BlockStatement extends CallExpression {
  type: 'block';
  program?: Program;
  inverse?: Program;
  openStrip: StripFlags;
  inverseStrip?: StripFlags;
  closeStrip?: StripFlags;
}

/** `{{> name context key=value}}`; `name` is a path or string (static) or a subexpression (dynamic). */
export interface PartialStatement {
  type: 'partial';
  name: PathExpression | StringLiteral | NumberLiteral | SubExpression;
  params: readonly Expression[];
  hash: Hash | null;
  /** Indentation of a standalone partial, prefixed to each line it renders. */
  indent: string;
  strip: StripFlags;
  line: number;
}

/** Anything that can appear in a program's body. */
export type Statement = ContentStatement | CommentStatement | MustacheStatement | BlockStatement | PartialStatement;

/** `(helper a b k=v)`. */
export interface SubExpression extends CallExpression {
  type: 'subexpression';
}

/** `a.b`, `this`, `.`, `../a`, `@index`, `@root.x`, `[literal segment]`. */
export interface PathExpression {
  type: 'path';
  /** True for `@data` variables. */
  data: boolean;
  /** Number of leading `../`. */
  depth: number;
  /** Segments after `this`, `.` and `..`; empty for `this` itself. Frozen and shared between paths. */
  parts: readonly string[];
  /** The path as written, separators included. */
  original: string;
  /** Starts with `this` or `.`: never a helper and never a block param. */
  scoped: boolean;
  /** Its first part names a block param (`as |x|`) in scope. */
  blockParam: boolean;
  line: number;
}

/** `"text"` or `'text'`. */
export interface StringLiteral {
  type: 'string';
  value: string;
  line: number;
}

/** `42`, `-1`, `1.5`. */
export interface NumberLiteral {
  type: 'number';
  value: number;
  line: number;
}

/** `true` or `false`. */
export interface BooleanLiteral {
  type: 'boolean';
  value: boolean;
  line: number;
}

/** `null`. */
export interface NullLiteral {
  type: 'null';
  value: null;
  line: number;
}

/** `undefined`. */
export interface UndefinedLiteral {
  type: 'undefined';
  value: undefined;
  line: number;
}

/** Any literal value. */
export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | UndefinedLiteral;

/** A positional argument or hash value. */
export type Expression = PathExpression | Literal | SubExpression;

/** `key=value` pairs of a call, in source order. */
export interface Hash {
  pairs: HashPair[];
}

/** One `key=value`. */
export interface HashPair {
  key: string;
  value: Expression;
  line: number;
}
