import { builtinGenericTests } from '../project/data-tests/builtin-generic-tests.js';
import { resolveYamlRef } from '../project/data-tests/resolve-yaml-ref.js';
import type { AnyNode, ManifestNode } from '../manifest/nodes.js';
import type { Project } from '../project/load-project.js';
import type { Template } from '../template/template-parser.js';

/** Resolves ref()/source() strings of a project; build once, use for every test. */
export function yamlRefResolver(project: Project): (expression: string) => string | undefined {
  const modelIds = new Map<string, string>();
  for (const n of project.nodes.values()) if (n.resource_type !== 'test') modelIds.set(n.name, n.unique_id);
  const sourceIds = new Set(project.sources.keys());
  // Most tests pass the same few strings (`id`, a column name): each is parsed once.
  const resolved = new Map<string, string | undefined>();
  return (expression) => {
    let id = resolved.get(expression);
    if (id === undefined && !resolved.has(expression)) resolved.set(expression, (id = resolveYamlRef(expression, project.file.name, modelIds, sourceIds)));
    return id;
  };
}

/**
 * The template of a generic test (a project's `test_<name>` macro, as dispatched for the
 * adapter, else the built-in) and the context it renders with: its arguments, `model` as the
 * tested relation (filtered by the `where` config), and ref()/source() arguments as relations.
 */
export function genericTestTemplate(
  node: ManifestNode,
  partials: Record<string, Template>,
  project: Project,
  resolve: (expression: string) => string | undefined,
  /** Where a ref to a node points (deferral may send it to another environment). */
  relationOf: (node: AnyNode) => string | null = (n) => ('relation_name' in n ? n.relation_name : null),
): { template: Template; context: Record<string, unknown> } {
  const { name, kwargs } = node.test_metadata!;
  const own = partials[`test_${name}`];
  const builtin = own ? undefined : builtinGenericTests().get(name);
  const template = own ?? builtin?.template;
  if (!template) throw new Error(`no generic test '${name}' for ${node.unique_id}`);
  const attached = project.all.get(node.attached_node ?? '');
  const relation = (attached && relationOf(attached)) ?? '';
  const where = typeof node.config.where === 'string' && node.config.where ? node.config.where : null;
  // A project's own test_<name> takes its arguments as declared; a built-in fills in its defaults.
  const context: Record<string, unknown> = { ...builtin?.defaults };
  for (const [key, value] of Object.entries(kwargs)) {
    if (key === 'model') continue;
    const id = typeof value === 'string' ? resolve(value) : undefined;
    const target = id ? project.all.get(id) : undefined;
    context[key] = target ? (relationOf(target) ?? value) : value;
  }
  if (builtin?.derived) Object.assign(context, builtin.derived(context));
  // dbt wraps the tested relation the same way when a test has a `where` config.
  context.model = where ? `(select * from ${relation} where ${where}) strata_subquery` : relation;
  return { template, context };
}
