// Static analysis of parsed templates: finds calls of given helpers (ref, source, config)
// and the helper and partial names a template uses, without rendering anything.
import { UserError } from '../errors/user-error.js';
import type { CallExpression, Expression, Statement, Template } from './template-ast.js';

/** A literal value as it can appear in a template. */
export type LiteralValue = string | number | boolean | null;

/** One call of a named helper, with its literal arguments. */
export interface HelperCall {
  name: string;
  args: LiteralValue[];
  hash: Record<string, LiteralValue>;
  line: number;
}

/**
 * Every call of the named helpers, in source order: mustaches, blocks (both branches),
 * subexpressions at any depth and partial arguments. Arguments must be literals: a variable
 * or subexpression argument throws a UserError, since the value is needed without rendering.
 */
export function findHelperCalls(template: Template, names: ReadonlySet<string>): HelperCall[] {
  const calls: HelperCall[] = [];
  const visitCall = (call: CallExpression) => {
    const name = helperName(call);
    if (name !== undefined && names.has(name)) {
      calls.push(literalCall(template, name, call));
    } else {
      for (const param of call.params) visitExpression(param);
      if (call.hash) for (const pair of call.hash.pairs) visitExpression(pair.value);
    }
  };
  const visitExpression = (expr: Expression) => {
    if (expr.type === 'subexpression') visitCall(expr);
  };
  walk(template.body, {
    call: visitCall,
    partial: (node) => {
      if (node.name.type === 'subexpression') visitCall(node.name);
      for (const param of node.params) visitExpression(param);
      if (node.hash) for (const pair of node.hash.pairs) visitExpression(pair.value);
    },
  });
  return calls;
}

/**
 * The names a template may call as helpers (the callee of every mustache, block and
 * subexpression that can resolve to a helper) and the partials it includes by a static name.
 * Partials chosen at render time (`{{> (expr)}}`) cannot be known and are not listed.
 */
export function findReferencedNames(template: Template): { helpers: Set<string>; partials: Set<string> } {
  const helpers = new Set<string>();
  const partials = new Set<string>();
  const visitCall = (call: CallExpression) => {
    const name = helperName(call);
    if (name !== undefined) helpers.add(name);
    for (const param of call.params) visitExpression(param);
    if (call.hash) for (const pair of call.hash.pairs) visitExpression(pair.value);
  };
  const visitExpression = (expr: Expression) => {
    if (expr.type === 'subexpression') visitCall(expr);
  };
  walk(template.body, {
    call: visitCall,
    partial: (node) => {
      if (node.name.type === 'subexpression') visitCall(node.name);
      else partials.add(node.name.type === 'path' ? node.name.original : String(node.name.value));
      for (const param of node.params) visitExpression(param);
      if (node.hash) for (const pair of node.hash.pairs) visitExpression(pair.value);
    },
  });
  return { helpers, partials };
}

interface Visitor {
  call(node: CallExpression): void;
  partial(node: Extract<Statement, { type: 'partial' }>): void;
}

function walk(body: Statement[], visitor: Visitor): void {
  for (const node of body) {
    switch (node.type) {
      case 'mustache':
        visitor.call(node);
        break;
      case 'block':
        visitor.call(node);
        if (node.program) walk(node.program.body, visitor);
        if (node.inverse) walk(node.inverse.body, visitor);
        break;
      case 'partial':
        visitor.partial(node);
        break;
    }
  }
}

/** The helper a call would invoke by name, or undefined if its callee is a path or block param. */
function helperName(call: CallExpression): string | undefined {
  const path = call.path;
  if (call.kind === 'simple' || path.parts.length !== 1 || path.depth !== 0 || path.scoped || path.data) return undefined;
  return path.parts[0];
}

function literalCall(template: Template, name: string, call: CallExpression): HelperCall {
  const args = call.params.map((param) => literal(template, name, param));
  const hash: Record<string, LiteralValue> = {};
  if (call.hash) {
    for (const pair of call.hash.pairs) {
      const value = literal(template, name, pair.value);
      if (!Object.prototype.hasOwnProperty.call(hash, pair.key)) hash[pair.key] = value;
    }
  }
  return { name, args, hash, line: call.line };
}

function literal(template: Template, name: string, expr: Expression): LiteralValue {
  switch (expr.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return expr.value;
    case 'undefined':
      throw notLiteral(template, name, expr.line, 'undefined', 'write the value itself, or leave the argument out');
    case 'path':
      throw notLiteral(template, name, expr.line, `a variable \`${expr.original}\``, literalHint(name));
    case 'subexpression':
      throw notLiteral(template, name, expr.line, `a subexpression \`(${expr.path.original} ...)\``, literalHint(name));
  }
}

function literalHint(name: string): string {
  return `write the value itself, e.g. "orders", 3 or true: ${name} calls are read without rendering the template`;
}

function notLiteral(template: Template, name: string, line: number, found: string, hint: string): UserError {
  return new UserError(`\`${name}\` takes literal values: found ${found}`, { file: template.file, line, hint });
}
