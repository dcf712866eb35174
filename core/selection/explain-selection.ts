import type { DirectedGraph } from 'graphology';
import type { SelectionCriteria, SelectionSpec } from './selection-spec.js';
import type { SelectionContext, SelectorMethod } from './selector-method.js';
import { selectorMethods } from './selector-methods.js';

/**
 * Why each node of a selection is in it: the criterion that matched it (with what the method
 * has to say, e.g. what changed for `state:modified`) or the matched node it is downstream or
 * upstream of. Evaluates the spec as `selectNodes` does, so the keys are the same set.
 */
export function explainSelection(
  spec: SelectionSpec,
  context: SelectionContext,
  methods: ReadonlyMap<string, SelectorMethod> = selectorMethods,
): Map<string, string[]> {
  switch (spec.kind) {
    case 'all':
      return new Map(context.graph.nodes().map((id) => [id, ['no --select: every node']]));
    case 'criteria':
      return explainCriteria(spec, context, methods);
    case 'union': {
      const out = new Map<string, string[]>();
      for (const part of spec.specs) for (const [id, why] of explainSelection(part, context, methods)) out.set(id, [...(out.get(id) ?? []), ...why]);
      return out;
    }
    case 'intersection': {
      const parts = spec.specs.map((part) => explainSelection(part, context, methods));
      const out = new Map<string, string[]>();
      if (parts.length === 0) return out;
      for (const id of parts[0].keys()) if (parts.every((p) => p.has(id))) out.set(id, parts.flatMap((p) => p.get(id)!));
      return out;
    }
    case 'difference': {
      const out = explainSelection(spec.include, context, methods);
      for (const id of explainSelection(spec.exclude, context, methods).keys()) out.delete(id);
      return out;
    }
  }
}

function explainCriteria(spec: SelectionCriteria, context: SelectionContext, methods: ReadonlyMap<string, SelectorMethod>): Map<string, string[]> {
  const method = methods.get(spec.method);
  if (!method) throw new Error(`selector method '${spec.method}' is not registered`);
  const matched = [...new Set(method.search(spec.value, spec.args, context))];
  const out = new Map<string, string[]>();
  const add = (id: string, why: string) => {
    const list = out.get(id) ?? [];
    if (!list.includes(why)) list.push(why);
    out.set(id, list);
  };
  for (const id of matched) {
    const detail = method.explain?.(id, spec.value, spec.args, context);
    add(id, `${spec.raw}: ${detail ?? `matches ${spec.method}:${spec.value}`}`);
  }
  const name = (id: string) => {
    const node = context.nodes.get(id);
    return node ? (node.resource_type === 'source' && 'source_name' in node ? `${node.source_name}.${node.name}` : node.name) : id;
  };
  if (spec.childrensParents) {
    const down = reach(context.graph, matched, null, 'out');
    for (const [id, origin] of down) if (origin !== id) add(id, `${spec.raw}: downstream of ${name(origin)}`);
    const up = reach(context.graph, [...down.keys()], null, 'in');
    for (const [id, origin] of up) if (!down.has(id)) add(id, `${spec.raw}: upstream of ${name(origin)}, which is downstream of a match`);
  }
  if (spec.parents) for (const [id, origin] of reach(context.graph, matched, spec.parentsDepth, 'in')) if (origin !== id) add(id, `${spec.raw}: upstream of ${name(origin)}`);
  if (spec.children) for (const [id, origin] of reach(context.graph, matched, spec.childrenDepth, 'out')) if (origin !== id) add(id, `${spec.raw}: downstream of ${name(origin)}`);
  return out;
}

/** Breadth-first from all starts at once: each reached node with the start it was first reached from. */
function reach(graph: DirectedGraph, start: string[], maxDepth: number | null, direction: 'in' | 'out'): Map<string, string> {
  const origin = new Map<string, string>();
  let frontier: string[] = [];
  for (const id of start) {
    if (origin.has(id) || !graph.hasNode(id)) continue;
    origin.set(id, id);
    frontier.push(id);
  }
  for (let level = 1; frontier.length > 0 && (maxDepth === null || level <= maxDepth); level++) {
    const next: string[] = [];
    for (const id of frontier) {
      const from = origin.get(id)!;
      const visit = (neighbor: string) => {
        if (origin.has(neighbor)) return;
        origin.set(neighbor, from);
        next.push(neighbor);
      };
      if (direction === 'in') graph.forEachInNeighbor(id, visit);
      else graph.forEachOutNeighbor(id, visit);
    }
    frontier = next;
  }
  return origin;
}
