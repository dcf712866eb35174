import type { DirectedGraph } from 'graphology';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import type { AnyNode } from '../manifest/nodes.js';
import { withChildren, withChildrensParents, withParents } from './graph-operators.js';
import { parseSelectionArgs } from './parse-selection-args.js';
import type { SelectorDefinitions } from './parse-selectors-file.js';
import type { SelectionCriteria, SelectionSpec } from './selection-spec.js';
import type { SelectionState } from './selection-state.js';
import type { SelectionContext, SelectorMethod } from './selector-method.js';
import { selectorMethods } from './selector-methods.js';

export { parseSelectorsFile, type SelectorDefinition, type SelectorDefinitions } from './parse-selectors-file.js';

/** The inputs of a selection: the DAG, its nodes, and the CLI's `--select`, `--exclude` and `--selector`. */
export interface ResolveSelectionInput {
  /** Node keys are unique_ids, with an edge from each parent to its child. */
  graph: DirectedGraph;
  nodes: ReadonlyMap<string, AnyNode>;
  select?: readonly string[];
  exclude?: readonly string[];
  /** A selector name from selectors.yml. */
  selector?: string;
  selectors?: SelectorDefinitions;
  /** Defaults to the built-in registry. */
  methods?: ReadonlyMap<string, SelectorMethod>;
  /** A previous run's artifacts (--state), for `state:`, `result:` and `source_status:`. */
  state?: SelectionState;
}

/**
 * The unique_ids a command acts on, as dbt computes them: `--selector` alone, or the selectors.yml
 * default when nothing is given, or `--select` (all nodes when absent) minus `--exclude`.
 */
export function resolveSelection(input: ResolveSelectionInput): Set<string> {
  const methods = input.methods ?? selectorMethods;
  const spec = selectionSpecFor(input, methods);
  return selectNodes(spec, { graph: input.graph, nodes: graphMembers(input.graph, input.nodes), state: input.state }, methods);
}

/** The spec for the CLI inputs. */
export function selectionSpecFor(
  input: Pick<ResolveSelectionInput, 'select' | 'exclude' | 'selector' | 'selectors'>,
  methods: ReadonlyMap<string, SelectorMethod> = selectorMethods,
): SelectionSpec {
  const hasSelect = (input.select?.length ?? 0) > 0;
  const hasExclude = (input.exclude?.length ?? 0) > 0;
  if (input.selector !== undefined) {
    if (hasSelect || hasExclude) {
      throw new UserError('--selector cannot be combined with --select or --exclude', {
        hint: `add the other criteria to the '${input.selector}' definition in selectors.yml, or drop --selector`,
      });
    }
    return selectorDefinition(input.selector, input.selectors);
  }
  if (!hasSelect && !hasExclude && input.selectors) {
    for (const definition of input.selectors.values()) {
      if (definition.default) return definition.definition;
    }
  }
  // Without --select, dbt includes `fqn:* source:* exposure:*`: every node.
  const include: SelectionSpec = hasSelect ? parseSelectionArgs(input.select!, methods) : { kind: 'all' };
  if (!hasExclude) return include;
  return { kind: 'difference', include, exclude: parseSelectionArgs(input.exclude!, methods) };
}

/** Evaluates a spec against the graph. */
export function selectNodes(
  spec: SelectionSpec,
  context: SelectionContext,
  methods: ReadonlyMap<string, SelectorMethod> = selectorMethods,
): Set<string> {
  switch (spec.kind) {
    case 'all':
      return new Set(context.graph.nodes());
    case 'criteria':
      return selectCriteria(spec, context, methods);
    case 'union': {
      const result = new Set<string>();
      for (const part of spec.specs) for (const id of selectNodes(part, context, methods)) result.add(id);
      return result;
    }
    case 'intersection': {
      if (spec.specs.length === 0) return new Set();
      const sets = spec.specs.map((part) => selectNodes(part, context, methods)).sort((a, b) => a.size - b.size);
      const [smallest, ...others] = sets;
      return new Set([...smallest].filter((id) => others.every((set) => set.has(id))));
    }
    case 'difference': {
      const result = selectNodes(spec.include, context, methods);
      for (const id of selectNodes(spec.exclude, context, methods)) result.delete(id);
      return result;
    }
  }
}

function selectCriteria(spec: SelectionCriteria, context: SelectionContext, methods: ReadonlyMap<string, SelectorMethod>): Set<string> {
  const method = methods.get(spec.method);
  if (!method) throw new Error(`selector method '${spec.method}' is not registered (parsed with another registry?)`);
  const collected = new Set(method.search(spec.value, spec.args, context));
  // As dbt does, each operator expands the directly matched nodes, and the results are unioned.
  const result = new Set(collected);
  const add = (ids: Iterable<string>) => {
    for (const id of ids) result.add(id);
  };
  if (spec.childrensParents) add(withChildrensParents(context.graph, collected));
  if (spec.parents) add(withParents(context.graph, collected, spec.parentsDepth));
  if (spec.children) add(withChildren(context.graph, collected, spec.childrenDepth));
  return result;
}

function selectorDefinition(name: string, selectors: SelectorDefinitions | undefined): SelectionSpec {
  const found = selectors?.get(name);
  if (found) return found.definition;
  const names = [...(selectors?.keys() ?? [])];
  throw new UserError(`unknown selector '${name}'`, {
    hint:
      names.length === 0
        ? 'define it under selectors: in selectors.yml at the project root'
        : didYouMean(name, names) || `selectors.yml defines: ${names.join(', ')}`,
  });
}

/** The nodes of the graph only (a map that may hold more, e.g. disabled nodes, is filtered). */
export function graphMembers(graph: DirectedGraph, nodes: ReadonlyMap<string, AnyNode>): ReadonlyMap<string, AnyNode> {
  let members = 0;
  for (const id of nodes.keys()) if (graph.hasNode(id)) members++;
  if (members === nodes.size) return nodes;
  const filtered = new Map<string, AnyNode>();
  for (const [id, node] of nodes) if (graph.hasNode(id)) filtered.set(id, node);
  return filtered;
}
