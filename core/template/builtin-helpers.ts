// Handlebars' built-in helpers (if, unless, each, with, lookup, log), ported to behave the
// same, plus the property lookup and data-frame helpers they rely on.
import type { BlockHelperOptions, DataFrame, Helper, HelperOptions } from './render-template.js';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads `parent[name]` the way Handlebars does by default: own properties only (inherited
 * ones, such as getters on a class or `Map#size`, read as undefined), and never a
 * prototype's `constructor`.
 */
export function lookupProperty(parent: unknown, name: string): unknown {
  const value = (parent as Record<string, unknown>)[name];
  if (value == null) return value;
  if (hasOwn.call(parent, name) && !(name === 'constructor' && typeof value === 'function' && value.prototype === parent)) return value;
  return undefined;
}

/** A child data frame (for `@index` and friends) whose `_parent` is `data`, like `Handlebars.createFrame`. */
export function createFrame(data: DataFrame): DataFrame {
  const frame: DataFrame = { ...data };
  frame._parent = data;
  return frame;
}

/** Handlebars' emptiness test: falsy but not 0, or an empty array. */
export function isEmpty(value: unknown): boolean {
  return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
}

function blockOptions(name: string, options: HelperOptions): BlockHelperOptions {
  if (!options.fn || !options.inverse) throw new Error(`{{${name}}} is a block helper: write {{#${name} ...}}...{{/${name}}}`);
  return options as BlockHelperOptions;
}

function ifHelper(this: unknown, ...args: unknown[]): unknown {
  if (args.length !== 2) throw new Error('#if requires exactly one argument');
  const options = blockOptions('if', args[1] as HelperOptions);
  let conditional = args[0];
  if (typeof conditional === 'function') conditional = conditional.call(this);
  if ((!options.hash.includeZero && !conditional) || isEmpty(conditional)) return options.inverse(this);
  return options.fn(this);
}

function unlessHelper(this: unknown, ...args: unknown[]): unknown {
  if (args.length !== 2) throw new Error('#unless requires exactly one argument');
  const options = blockOptions('unless', args[1] as HelperOptions);
  return ifHelper.call(this, args[0], { ...options, fn: options.inverse, inverse: options.fn });
}

function eachHelper(this: unknown, ...args: unknown[]): unknown {
  if (args.length < 2) throw new Error('Must pass iterator to #each');
  const options = blockOptions('each', args[args.length - 1] as HelperOptions);
  let context = args[0];
  if (typeof context === 'function') context = context.call(this);
  const { fn, inverse } = options;
  const data = options.data ? createFrame(options.data) : undefined;
  let out = '';
  let i = 0;
  const iteration = (key: string | number, index: number, last: boolean, value: unknown) => {
    if (data) {
      data.key = key;
      data.index = index;
      data.first = index === 0;
      data.last = last;
    }
    out += fn(value, { data, blockParams: [value, key] });
  };
  if (context && typeof context === 'object') {
    if (Array.isArray(context)) {
      for (const j = context.length; i < j; i++) if (i in context) iteration(i, i, i === context.length - 1, context[i]);
    } else if (typeof (context as Iterable<unknown>)[Symbol.iterator] === 'function') {
      const iterator = (context as Iterable<unknown>)[Symbol.iterator]();
      let current = iterator.next();
      while (!current.done) {
        const next = iterator.next();
        try {
          iteration(i, i, Boolean(next.done), current.value);
        } catch (error) {
          if (!next.done) closeIterator(iterator);
          throw error;
        }
        current = next;
        i++;
      }
    } else {
      const keys = Object.keys(context);
      for (; i < keys.length; i++) iteration(keys[i], i, i === keys.length - 1, (context as Record<string, unknown>)[keys[i]]);
    }
  }
  if (i === 0) out = inverse(this);
  return out;
}

function closeIterator(iterator: Iterator<unknown>): void {
  try {
    iterator.return?.();
  } catch {
    // The block's own error is the one to report.
  }
}

function withHelper(this: unknown, ...args: unknown[]): unknown {
  if (args.length !== 2) throw new Error('#with requires exactly one argument');
  const options = blockOptions('with', args[1] as HelperOptions);
  let context = args[0];
  if (typeof context === 'function') context = context.call(this);
  if (isEmpty(context)) return options.inverse(this);
  return options.fn(context, { data: options.data, blockParams: [context] });
}

function lookupHelper(obj: unknown, field: unknown, options: HelperOptions): unknown {
  if (!obj) return obj;
  return options.lookupProperty(obj, field as string);
}

/** The helpers every template has; helpers in the render environment override them. */
export const builtinHelpers: Readonly<Record<string, Helper>> = Object.freeze({
  if: ifHelper,
  unless: unlessHelper,
  each: eachHelper,
  with: withHelper,
  lookup: lookupHelper,
  log: () => undefined,
});
