// An interpreter for parsed templates with Handlebars' runtime semantics (as compiled with
// `noEscape: true`): the same helper resolution, `options` object, data frames, depths for
// `../`, block params, partials and value-to-string rules.
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import { builtinHelpers, lookupProperty } from './builtin-helpers.js';
import type { BlockStatement, CallExpression, Expression, MustacheStatement, PartialStatement, PathExpression, Program, SourceLoc, Statement, SubExpression, Template } from './template-ast.js';

/** A helper: positional arguments, then a Handlebars-style `options`; `this` is the current context. */
export type Helper = (this: any, ...args: any[]) => unknown;

/** `@data` variables: `@root`, and inside `each` `@index`, `@key`, `@first`, `@last`. */
export interface DataFrame {
  root?: unknown;
  index?: number;
  key?: string | number;
  first?: boolean;
  last?: boolean;
  _parent?: DataFrame;
  [name: string]: unknown;
}

/** What a helper may pass to `options.fn`/`options.inverse` besides the new context. */
export interface ProgramOptions {
  data?: DataFrame;
  blockParams?: unknown[];
}

/** Renders one branch of a block with a context (Handlebars' `options.fn` and `options.inverse`). */
export type ProgramFn = (context?: unknown, options?: ProgramOptions) => string;

/** The last argument of every helper call, shaped like Handlebars' so its helpers work unchanged. */
export interface HelperOptions {
  /** The helper's name as written. */
  name: string;
  hash: Record<string, unknown>;
  /** Present for block calls only, as in Handlebars. */
  fn?: ProgramFn;
  inverse?: ProgramFn;
  data: DataFrame;
  loc: SourceLoc;
  lookupProperty: (parent: unknown, name: string) => unknown;
}

/** `options` of a block call (`{{#helper}}`): `fn` and `inverse` are always there. */
export interface BlockHelperOptions extends HelperOptions {
  fn: ProgramFn;
  inverse: ProgramFn;
}

/**
 * Helpers and partials by name (plain objects; only own properties count). Helpers here
 * override the built-ins (`if`, `unless`, `each`, `with`, `lookup`, `log`).
 */
export interface RenderEnv {
  helpers: Record<string, Helper>;
  partials: Record<string, Template>;
}

/** Renders a parsed template against a context; a failing helper or missing partial throws a UserError with file and line. */
export function renderTemplate(template: Template, context: unknown, env: RenderEnv): string {
  const scope: Scope = { context, depths: { value: context, up: null }, data: { root: context }, params: null, template };
  return new Renderer(env).body(template.body, scope);
}

/** The contexts `../` climbs: the nearest first, each pushed when a block changed the context. */
interface Depths {
  value: unknown;
  up: Depths | null;
}

/** Block params in scope: `as |names|` of an enclosing program and the values it was given. */
interface BlockParams {
  names: string[];
  values: unknown[] | undefined;
  up: BlockParams | null;
}

/** Everything a statement is evaluated against. */
interface Scope {
  context: unknown;
  depths: Depths;
  data: DataFrame;
  params: BlockParams | null;
  /** The template being rendered (a partial, inside one), for error locations. */
  template: Template;
}

interface Branches {
  fn: ProgramFn;
  inverse: ProgramFn;
}

const hasOwn = Object.prototype.hasOwnProperty;
/** `this` for helpers called where the context is null or undefined (Handlebars' `nullContext`). */
const NULL_CONTEXT = Object.seal({});
const noop: ProgramFn = () => '';
const MAX_PARTIAL_DEPTH = 200;

class Renderer {
  private readonly helpers: Record<string, Helper>;
  private readonly partials: Record<string, Template>;
  private partialDepth = 0;

  constructor(env: RenderEnv) {
    this.helpers = env.helpers;
    this.partials = env.partials;
  }

  body(body: Statement[], scope: Scope): string {
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const node = body[i];
      switch (node.type) {
        case 'content':
          out += node.value;
          break;
        case 'mustache': {
          const value = this.mustache(node, scope);
          if (value != null) out += value;
          break;
        }
        case 'block': {
          const value = this.block(node, scope);
          if (value != null) out += value;
          break;
        }
        case 'partial':
          out += this.partial(node, scope);
          break;
      }
    }
    return out;
  }

  private helper(name: string): Helper | undefined {
    if (hasOwn.call(this.helpers, name)) return this.helpers[name];
    return hasOwn.call(builtinHelpers, name) ? builtinHelpers[name] : undefined;
  }

  private mustache(node: MustacheStatement, scope: Scope): unknown {
    if (node.kind === 'helper') return this.helperCall(node, scope, undefined);
    if (node.kind === 'ambiguous') {
      const helper = this.helper(node.path.parts[0]);
      if (helper) return this.invoke(helper, node, scope, undefined);
      const value = this.path(node.path, scope);
      return typeof value === 'function' ? this.invoke(value as Helper, node, scope, undefined) : value;
    }
    const value = this.path(node.path, scope);
    return typeof value === 'function' ? this.lambda(value as Helper, node, scope) : value;
  }

  private block(node: BlockStatement, scope: Scope): unknown {
    const branches: Branches = {
      fn: node.program ? this.programFn(node.program, scope) : noop,
      inverse: node.inverse ? this.programFn(node.inverse, scope) : noop,
    };
    if (node.kind === 'helper') return this.helperCall(node, scope, branches);
    let value: unknown;
    if (node.kind === 'ambiguous') {
      const helper = this.helper(node.path.parts[0]);
      if (helper) return this.invoke(helper, node, scope, branches);
      value = this.path(node.path, scope);
      if (typeof value === 'function') value = this.invoke(value as Helper, node, scope, branches);
    } else {
      value = this.path(node.path, scope);
      if (typeof value === 'function') value = this.lambda(value as Helper, node, scope);
    }
    return this.blockValue(value, node, scope, branches);
  }

  /** `{{#value}}` without a helper (Handlebars' `blockHelperMissing`): a section over a value. */
  private blockValue(value: unknown, node: BlockStatement, scope: Scope, branches: Branches): unknown {
    if (value === true) return branches.fn(scope.context);
    if (value === false || value == null) return branches.inverse(scope.context);
    if (Array.isArray(value)) {
      if (value.length === 0) return branches.inverse(scope.context);
      return this.helper('each')!(value, this.options(node, scope, branches, {}));
    }
    return branches.fn(value, { data: scope.data });
  }

  /** A call that must be a helper, or a function found at its path. */
  private helperCall(node: CallExpression, scope: Scope, branches: Branches | undefined): unknown {
    const path = node.path;
    if (path.parts.length === 1 && !path.scoped && path.depth === 0) {
      const helper = this.helper(path.parts[0]);
      if (helper) return this.invoke(helper, node, scope, branches);
    }
    const value = this.path(path, scope);
    if (typeof value === 'function') return this.invoke(value as Helper, node, scope, branches);
    throw this.unknownHelper(path, scope);
  }

  private invoke(helper: Helper, node: CallExpression, scope: Scope, branches: Branches | undefined): unknown {
    const params = node.params;
    const n = params.length;
    const args = new Array<unknown>(n + 1);
    for (let i = 0; i < n; i++) args[i] = this.expression(params[i], scope);
    args[n] = this.options(node, scope, branches, undefined);
    try {
      return helper.apply(scope.context != null ? scope.context : NULL_CONTEXT, args);
    } catch (error) {
      throw this.located(error, node, scope, `the helper '${node.path.original}' threw this`);
    }
  }

  /** A function found at a plain path (`{{a.b}}`): called with the context as `this`, no arguments. */
  private lambda(fn: Helper, node: CallExpression, scope: Scope): unknown {
    try {
      return fn.call(scope.context);
    } catch (error) {
      throw this.located(error, node, scope, `the function at '${node.path.original}' threw this`);
    }
  }

  private options(node: CallExpression, scope: Scope, branches: Branches | undefined, hash: Record<string, unknown> | undefined): HelperOptions {
    hash ??= this.hash(node, scope);
    const name = node.path.original;
    const loc = { start: { line: node.line, column: node.column }, end: { line: node.endLine, column: node.endColumn } };
    if (!branches) return { name, hash, data: scope.data, loc, lookupProperty };
    return { name, hash, fn: branches.fn, inverse: branches.inverse, data: scope.data, loc, lookupProperty };
  }

  /** The hash of a call; with `into`, its pairs are assigned onto that object (as `{...into, ...hash}` would, without the second object). */
  private hash(node: CallExpression | PartialStatement, scope: Scope, into?: Record<string, unknown>): Record<string, unknown> {
    const hash: Record<string, unknown> = into ?? {};
    if (!node.hash) return hash;
    const pairs = node.hash.pairs;
    // Handlebars builds the hash from the last pair to the first: keys come out in reverse
    // order, and of two pairs with the same key the first wins.
    for (let i = pairs.length - 1; i >= 0; i--) hash[pairs[i].key] = this.expression(pairs[i].value, scope);
    return hash;
  }

  private expression(expr: Expression, scope: Scope): unknown {
    if (expr.type === 'path') return this.path(expr, scope);
    if (expr.type === 'subexpression') return this.subExpression(expr, scope);
    return expr.value;
  }

  private subExpression(node: SubExpression, scope: Scope): unknown {
    if (node.kind !== 'simple') return this.helperCall(node, scope, undefined);
    const value = this.path(node.path, scope);
    return typeof value === 'function' ? this.lambda(value as Helper, node, scope) : value;
  }

  /** Resolves a path: block param, `@data`, or the context (`../` climbing the depths). */
  private path(path: PathExpression, scope: Scope): unknown {
    const parts = path.parts;
    let value: unknown;
    let i = 0;
    if (path.blockParam) {
      value = blockParam(parts[0], scope.params);
      i = 1;
    } else if (path.data) {
      let data: DataFrame | undefined = scope.data;
      for (let d = path.depth; data && d > 0; d--) data = data._parent;
      value = data;
      for (; i < parts.length; i++) value = value && lookupProperty(value, parts[i]);
      return value;
    } else if (path.depth === 0) {
      value = scope.context;
    } else {
      let depths: Depths | null = scope.depths;
      for (let d = path.depth; depths && d > 0; d--) depths = depths.up;
      value = depths ? depths.value : undefined;
    }
    for (; i < parts.length; i++) {
      if (value == null) return value;
      value = lookupProperty(value, parts[i]);
    }
    return value;
  }

  /** `options.fn`/`options.inverse` for a program: renders it with a new context, data and block params. */
  private programFn(program: Program, scope: Scope): ProgramFn {
    return (context?: unknown, options?: ProgramOptions): string => {
      let depths = scope.depths;
      // Handlebars compares loosely here, and only pushes a context that differs.
      if (context != depths.value && !(context === NULL_CONTEXT && depths.value === null)) depths = { value: context, up: depths };
      const data = (options && options.data) || scope.data;
      const params = program.blockParams ? { names: program.blockParams, values: options?.blockParams, up: scope.params } : scope.params;
      return this.body(program.body, { context, depths, data, params, template: scope.template });
    };
  }

  private partial(node: PartialStatement, scope: Scope): string {
    const name = node.name.type === 'subexpression' ? String(this.subExpression(node.name, scope)) : node.name.type === 'path' ? node.name.original : String(node.name.value);
    const partial = hasOwn.call(this.partials, name) ? this.partials[name] : undefined;
    if (!partial) {
      const hint = didYouMean(name, Object.keys(this.partials)) || (this.helper(name) ? `'${name}' is a helper: write {{${name} ...}}` : 'partials are the .sql files in the macro paths');
      throw new UserError(`partial '${name}' not found`, { file: scope.template.file, line: node.line, hint });
    }
    let context = node.params.length > 0 ? this.expression(node.params[0], scope) : scope.context;
    if (node.hash) context = this.hash(node, scope, ownEnumerable(context));
    if (this.partialDepth >= MAX_PARTIAL_DEPTH) {
      throw new UserError(`partials nested more than ${MAX_PARTIAL_DEPTH} deep while rendering '${name}'`, { file: scope.template.file, line: node.line, hint: 'a partial probably includes itself' });
    }
    this.partialDepth++;
    let out: string;
    try {
      out = this.body(partial.body, { context, depths: { value: context, up: null }, data: scope.data, params: null, template: partial });
    } finally {
      this.partialDepth--;
    }
    return node.indent ? indent(out, node.indent) : out;
  }

  private unknownHelper(path: PathExpression, scope: Scope): UserError {
    const name = path.original;
    const names = new Set([...Object.keys(this.helpers), ...Object.keys(builtinHelpers)]);
    const hint = didYouMean(name, names) || (hasOwn.call(this.partials, name) ? `'${name}' is a partial: write {{> ${name}}}` : `no helper '${name}' is defined; helpers are functions exported from .js/.ts files in the macro paths`);
    return new UserError(`unknown helper '${name}'`, { file: scope.template.file, line: path.line, hint });
  }

  /** An error from a helper, as a UserError that says where the call was; a located UserError passes through. */
  private located(error: unknown, node: CallExpression, scope: Scope, hint: string): UserError {
    if (error instanceof UserError) {
      if (error.file !== undefined && error.line !== undefined) return error;
      return new UserError(error.message, { file: error.file ?? scope.template.file, line: error.line ?? node.line, hint: error.hint, cause: error.cause ?? error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new UserError(message, { file: scope.template.file, line: node.line, hint, cause: error });
  }
}

function blockParam(name: string, params: BlockParams | null): unknown {
  for (let frame = params; frame; frame = frame.up) {
    const index = frame.names.indexOf(name);
    if (index >= 0) return frame.values?.[index];
  }
  return undefined;
}

/** `Utils.extend({}, value)`: own enumerable properties, as Handlebars copies a partial's context. */
function ownEnumerable(value: unknown): Record<string, unknown> {
  if (value == null) return {};
  // A spread copies the same own enumerable properties in the same order (and much faster, as
  // a clone of the object's shape), plus symbol-keyed ones, which for...in skips.
  const out: Record<string | symbol, unknown> = { ...(value as Record<string, unknown>) };
  for (const symbol of Object.getOwnPropertySymbols(out)) delete out[symbol];
  return out as Record<string, unknown>;
}

/** Prefixes every line of a standalone partial's output, except an empty last one. */
function indent(text: string, prefix: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i] && i + 1 === lines.length) break;
    lines[i] = prefix + lines[i];
  }
  return lines.join('\n');
}
