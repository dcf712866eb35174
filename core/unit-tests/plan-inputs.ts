import type { ManifestNode, SourceNode } from '../manifest/nodes.js';
import type { Project } from '../project/load-project.js';
import { refKey, sourceKey, type InputCall } from './parse-input-call.js';

/** One relation a model reads, itself or through an ephemeral parent it inlines. */
export interface ModelInput {
  /** Canonical `ref('x')` / `source('a', 'b')`. */
  key: string;
  call: InputCall;
  node: ManifestNode | SourceNode;
  /** The ephemeral model whose SQL reads it, or null when the model reads it itself. */
  via: string | null;
}

/** What a unit test of a model has to give, given what it does give. */
export interface InputPlan {
  /** Every input the test may give: what the model reads, and what its ephemeral parents read. */
  allowed: ModelInput[];
  /** Inputs the model needs that the test does not give. */
  missing: ModelInput[];
  /** Seeds the model needs that the test does not give: their CSV file stands in, as dbt uses the seed itself. */
  seeds: ManifestNode[];
}

const byNameCache = new WeakMap<Project, Map<string, ManifestNode>>();

function nodeNamed(project: Project, name: string): ManifestNode | undefined {
  let byName = byNameCache.get(project);
  if (!byName) {
    byName = new Map();
    for (const node of project.nodes.values()) if (node.resource_type !== 'unit_test' && node.resource_type !== 'test') byName.set(node.name, node);
    byNameCache.set(project, byName);
  }
  return byName.get(name);
}

/**
 * Walks the model's refs and sources. An ephemeral parent is inlined, so when the test does
 * not give it, the test must give what it reads instead.
 */
export function planInputs(project: Project, model: ManifestNode, given: ReadonlySet<string>): InputPlan {
  const plan: InputPlan = { allowed: [], missing: [], seeds: [] };
  const allowed = new Set<string>();
  const needed = new Set<string>();
  const visit = (node: ManifestNode, via: string | null, reachable: boolean) => {
    const inputs: ModelInput[] = [];
    for (const ref of node.refs) {
      const target = nodeNamed(project, ref.name);
      if (target) inputs.push({ key: refKey(target.name), call: { kind: 'ref', name: target.name, key: refKey(target.name) }, node: target, via });
    }
    for (const [source, table] of node.sources) {
      const target = project.sources.get(`source.${node.package_name}.${source}.${table}`);
      const key = sourceKey(source, table);
      if (target) inputs.push({ key, call: { kind: 'source', source, table, key }, node: target, via });
    }
    for (const input of inputs) {
      if (!allowed.has(input.key)) {
        allowed.add(input.key);
        plan.allowed.push(input);
      }
      const ephemeral = input.node.resource_type === 'model' && (input.node as ManifestNode).config.materialized === 'ephemeral';
      const needs = reachable && !given.has(input.key) && !needed.has(input.key);
      if (needs) needed.add(input.key);
      if (ephemeral) {
        // Its inputs may be given even when it is, so they are walked either way.
        visit(input.node as ManifestNode, input.node.name, needs);
      } else if (needs) {
        if (input.node.resource_type === 'seed') plan.seeds.push(input.node as ManifestNode);
        else plan.missing.push(input);
      }
    }
  };
  visit(model, null, true);
  return plan;
}

/** Columns an input relation is known to have, from its YAML `columns:` and a seed's `column_types`. */
export function knownColumns(node: ManifestNode | SourceNode): { name: string; type: string | null }[] {
  const columnTypes = (node as ManifestNode).config?.column_types ?? {};
  const typeOf = (name: string) => Object.entries(columnTypes).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null;
  const known = Object.values(node.columns).map((c) => ({ name: c.name, type: c.data_type || typeOf(c.name) }));
  for (const name of Object.keys(columnTypes)) {
    if (!known.some((k) => k.name.toLowerCase() === name.toLowerCase())) known.push({ name, type: typeOf(name) });
  }
  return known;
}
