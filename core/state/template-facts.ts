import { findHelperCalls, findReferencedNames } from '../template/static-calls.js';
import { parseTemplate } from '../template/template-parser.js';

/** What a template calls, found without rendering: macro candidates and the vars it reads. */
export interface TemplateFacts {
  /** Helper and partial names (built-ins like `ref` and `if` included; callers keep the macros). */
  names: Set<string>;
  /** Names of `{{var "name"}}` calls. */
  vars: Set<string>;
  /** A `var` call whose name is not a literal: any var may be read. */
  dynamicVars: boolean;
}

const VAR = new Set(['var']);

/** The facts of a template's source, or undefined when it does not parse (the project check reports that). */
export function templateFacts(source: string, file: string): TemplateFacts | undefined {
  let template;
  try {
    template = parseTemplate(source, file);
  } catch {
    return undefined;
  }
  const { helpers, partials } = findReferencedNames(template);
  const names = new Set([...helpers, ...partials]);
  const vars = new Set<string>();
  let dynamicVars = false;
  try {
    for (const call of findHelperCalls(template, VAR)) {
      if (typeof call.args[0] === 'string') vars.add(call.args[0]);
      else dynamicVars = true;
    }
  } catch {
    // findHelperCalls refuses a non-literal argument: the var's name is only known when rendering.
    dynamicVars = names.has('var');
  }
  return { names, vars, dynamicVars };
}
