import type { RelationRef, RelationType } from '../adapter/adapter.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import type { AnyNode, ManifestNode } from '../manifest/nodes.js';
import type { Project } from '../project/load-project.js';
import { envValue, varValue } from '../project/vars-and-env.js';
import { renderTemplate, type Helper, type HelperOptions } from '../template/render-template.js';
import { parseTemplate, type Template } from '../template/template-parser.js';
import path from 'node:path';
import { compiledPath } from './compiled-path.js';
import { injectCtes } from './inject-ctes.js';
import { genericTestTemplate, yamlRefResolver } from './generic-test-template.js';
import { sqlList } from '../project/data-tests/builtin-generic-tests.js';

/** What compilation may know about the warehouse; the runner asks the adapter and passes it in. */
export interface WarehouseState {
  /** The type of an existing relation, or undefined when it does not exist. */
  relationType(rel: RelationRef): RelationType | undefined;
}

export interface CompileOptions {
  target: { name: string; type: string; schema: string; database: string | null; threads?: number };
  /** Warehouse state for `is_incremental`; without it, incremental models compile in full-refresh form. */
  state?: WarehouseState;
  fullRefresh?: boolean;
  /** dbt's --empty: every ref and source reads no rows (`{{this}}` and unit tests' inputs are left alone). */
  empty?: boolean;
  invocationId: string;
  runStartedAt: Date;
  env?: NodeJS.ProcessEnv;
  /** Replacements used by unit tests: what `ref`/`source` render to, vars, and is_incremental. */
  overrides?: CompileOverrides;
  /** `--defer`: refs to nodes this run does not build may read another environment's relation. */
  deferral?: RefDeferral;
}

/** Decides where a `ref` to a node points when it is deferred to a previous run's environment. */
export interface RefDeferral {
  /** The relation (rendered) a ref to this node reads instead of its own, or undefined to keep its own. */
  relationFor(node: ManifestNode): string | undefined;
}

/** Unit tests compile a model against literal inputs instead of warehouse relations. */
export interface CompileOverrides {
  /** Model or seed name to the SQL text `{{ref "name"}}` renders to. */
  ref?: Record<string, string>;
  /** `source_name.table_name` to the SQL text `{{source ...}}` renders to. */
  source?: Record<string, string>;
  vars?: Record<string, unknown>;
  isIncremental?: boolean;
}

export interface CompiledNode {
  sql: string;
  /** Ephemeral models inlined as CTEs, in dependency order. */
  ephemerals: { id: string; sql: string }[];
}

export const EPHEMERAL_PREFIX = '__strata__cte__';

/** Whether a model builds incrementally this run (dbt's `should_full_refresh` rules). */
export function isIncrementalRun(node: ManifestNode, options: Pick<CompileOptions, 'state' | 'fullRefresh'>): boolean {
  if (node.config.materialized !== 'incremental' || !options.state || !node.relation_name) return false;
  const fullRefresh = typeof node.config.full_refresh === 'boolean' ? node.config.full_refresh : Boolean(options.fullRefresh);
  if (fullRefresh) return false;
  return options.state.relationType({ database: node.database, schema: node.schema, identifier: node.alias }) === 'table';
}

/** Renders model templates to SQL. Never opens a connection. */
export class Compiler {
  private readonly partials: Record<string, Template>;
  private readonly env: { helpers: Record<string, Helper>; partials: Record<string, Template> };
  private readonly runStartedAt: string;
  private readonly ephemeralCache = new Map<string, CompiledNode>();
  private resolveYamlRef: ((expression: string) => string | undefined) | undefined;
  private uniqueNames: Map<string, ManifestNode> | undefined;
  /** The render under way: what the helpers act on. */
  private frame: { template: Template; node: ManifestNode; ephemerals: string[] } | undefined;

  constructor(
    private readonly project: Project,
    private readonly options: CompileOptions,
  ) {
    this.partials = project.macros.partialsFor(options.target.type);
    this.env = { helpers: this.makeHelpers(project.macros.helpersFor(options.target.type)), partials: this.partials };
    this.runStartedAt = options.runStartedAt.toISOString();
  }

  /** Compiles a model (or any templated node) and records the result on the node. */
  compile(node: ManifestNode): CompiledNode {
    if (node.resource_type === 'seed') return { sql: '', ephemerals: [] };
    const generic = node.test_metadata
      ? genericTestTemplate(node, this.partials, this.project, (this.resolveYamlRef ??= yamlRefResolver(this.project)), (n) => this.relationOf(n))
      : undefined;
    const template = generic?.template ?? this.project.templates.get(node.unique_id);
    if (!template) throw new Error(`no template for ${node.unique_id}`);
    const ephemerals: string[] = [];
    const body = this.render(template, node, ephemerals, generic?.context).trim();
    const ctes = this.ephemeralCtes(ephemerals);
    const sql = injectCtes(body, ctes);
    node.compiled = true;
    node.compiled_code = sql;
    node.extra_ctes_injected = true;
    node.extra_ctes = ctes;
    const file = compiledPath(this.project.file.targetPath, 'compiled', node);
    node.compiled_path = path.sep === '/' ? file : file.split(path.sep).join('/');
    return { sql, ephemerals: ctes };
  }

  /** Renders a hook (or any SQL snippet) in the context of a node. */
  renderSnippet(sql: string, node: ManifestNode | null, where: string, extra?: Record<string, unknown>): string {
    const template = parseTemplate(sql, where);
    const fake = node ?? ({ name: 'operation', config: { materialized: 'operation' }, refs: [], depends_on: { nodes: [], macros: [] }, unique_id: 'operation', original_file_path: where } as unknown as ManifestNode);
    const ephemerals: string[] = [];
    return injectCtes(this.render(template, fake, ephemerals, extra).trim(), this.ephemeralCtes(ephemerals));
  }

  /**
   * The SQL of `run-operation name --args`: the macro (a partial, or a JS helper returning SQL)
   * called with each arg as a named argument. An arg's value reaches it whole (a list stays a list).
   */
  renderOperation(name: string, args: Record<string, unknown>): string {
    const helpers = this.project.macros.helpersFor(this.options.target.type);
    const isPartial = Object.hasOwn(this.partials, name) && !name.startsWith('test_');
    if (!isPartial && !Object.hasOwn(helpers, name)) {
      const names = [...Object.keys(this.partials).filter((n) => !n.startsWith('test_')), ...Object.keys(helpers)];
      throw new UserError(`there is no macro named '${name}'`, { hint: didYouMean(name, names) || (names.length ? `the macros are: ${names.sort().join(', ')}` : 'put it in macros/: a partial (macros/name.sql) or a JS helper (macros/*.js)') });
    }
    for (const key of Object.keys(args)) {
      if (!/^[A-Za-z_]\w*$/.test(key)) throw new UserError(`--args has the key '${key}', which cannot be a macro's argument name`, { hint: 'names are letters, digits and underscores' });
    }
    // The values sit in the context under a name no user writes, and each named argument looks its value up there.
    const hash = Object.keys(args).map((key) => ` ${key}=__operation_args.${key}`).join('');
    return this.renderSnippet(isPartial ? `{{> ${name}${hash}}}` : `{{${name}${hash}}}`, null, `run-operation ${name}`, { __operation_args: args });
  }

  /**
   * The node a ref to `name` resolves to when no other node has that name (the usual case):
   * both the parent search and the search by name below would find it. Undefined otherwise.
   */
  private onlyNodeNamed(name: string): ManifestNode | undefined {
    if (!this.uniqueNames) {
      this.uniqueNames = new Map();
      const seen = new Set<string>();
      for (const node of this.project.nodes.values()) {
        if (seen.has(node.name)) this.uniqueNames.delete(node.name);
        else {
          seen.add(node.name);
          if (node.resource_type !== 'test' && node.resource_type !== 'unit_test') this.uniqueNames.set(node.name, node);
        }
      }
    }
    return this.uniqueNames.get(name);
  }

  /** What a ref or source renders to: the relation, or with --empty a subquery of it that returns no rows (dbt's form). */
  private readable(relation: string | null): string | null {
    return this.options.empty && relation ? `(select * from ${relation} where false limit 0)` : relation;
  }

  /** Where a ref to a node points: its own relation, or the deferred one. */
  private relationOf(node: AnyNode): string | null {
    if (node.resource_type === 'source') return node.relation_name;
    if (node.resource_type === 'exposure') return null;
    return this.options.deferral?.relationFor(node) ?? node.relation_name;
  }

  private ephemeralCtes(direct: string[]): { id: string; sql: string }[] {
    const ordered: { id: string; sql: string }[] = [];
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const compiled = this.compileEphemeral(id);
      for (const parent of compiled.ephemerals) visit(parent.id);
      ordered.push({ id, sql: compiled.sql });
    };
    for (const id of direct) visit(id);
    return ordered;
  }

  private compileEphemeral(id: string): CompiledNode {
    let compiled = this.ephemeralCache.get(id);
    if (!compiled) {
      const node = this.project.nodes.get(id)!;
      const ephemerals: string[] = [];
      const sql = this.render(this.project.templates.get(id)!, node, ephemerals).trim();
      compiled = { sql, ephemerals: ephemerals.map((e) => ({ id: e, sql: '' })) };
      this.ephemeralCache.set(id, compiled);
    }
    return compiled;
  }

  private render(template: Template, node: ManifestNode, ephemerals: string[], extra?: Record<string, unknown>): string {
    const relation = node.relation_name ?? `${EPHEMERAL_PREFIX}${node.name}`;
    // `{{this}}` renders the context itself, so the context's string form is the model's relation.
    // It is an own property: a partial called with key=value pairs gets a copy of own properties.
    const context: Record<string, unknown> = {
      toString: () => relation,
      database: node.database,
      schema: node.schema,
      identifier: node.alias,
      name: node.name,
      target: this.options.target,
      model: { name: node.name, unique_id: node.unique_id, config: node.config, resource_type: node.resource_type },
      invocation_id: this.options.invocationId,
      run_started_at: this.runStartedAt,
    };
    if (extra) Object.assign(context, extra);
    // The helpers are made once; they read the node being rendered from the frame (restored after, should a render nest).
    const outer = this.frame;
    this.frame = { template, node, ephemerals };
    try {
      return renderTemplate(template, context, this.env);
    } finally {
      this.frame = outer;
    }
  }

  /** The helpers of every render: the project's macros, then ref, source, var and the rest. */
  private makeHelpers(macros: Record<string, Helper>): Record<string, Helper> {
    const project = this.project;
    const frame = () => this.frame!;
    const fail = (options: HelperOptions, message: string, hint?: string) => new UserError(message, { file: frame().template.file, line: options?.loc?.start?.line, hint });
    // Helpers win over same-named variables, as in Handlebars: a partial argument `source="..."`
    // read back as {{source}} calls the source helper with no names.
    const shadowed = (options: HelperOptions, helper: string, example: string) =>
      fail(options, `${helper} needs literal names, as in ${example}`, `a partial argument or variable called '${helper}' cannot be read as {{${helper}}}: the ${helper} helper wins; rename it`);
    return {
      ...macros,
      ref: (...args: unknown[]) => {
        const { node, ephemerals } = frame();
        if (args.length < 2 || typeof args[args.length - 2] !== 'string') throw shadowed(args[args.length - 1] as HelperOptions, 'ref', '{{ref "stg_orders"}}');
        const name = String(args.length > 2 ? args[1] : args[0]);
        const override = this.options.overrides?.ref?.[name];
        if (override !== undefined) return override;
        let target = this.onlyNodeNamed(name);
        if (!target) {
          for (const id of node.depends_on.nodes) {
            const parent = project.nodes.get(id);
            if (parent?.name === name) {
              target = parent;
              break;
            }
          }
          target ??= findByName(project, name);
        }
        if (!target) throw fail(args[args.length - 1] as HelperOptions, `'${name}' does not exist`, didYouMean(name, [...project.nodes.values()].map((n) => n.name)));
        if (target.config.materialized === 'ephemeral') {
          if (!ephemerals.includes(target.unique_id)) ephemerals.push(target.unique_id);
          return `${EPHEMERAL_PREFIX}${target.name}`;
        }
        return this.readable(this.relationOf(target));
      },
      source: (...args: unknown[]) => {
        const options = args.pop();
        const [sourceName, table] = args;
        if (typeof sourceName !== 'string' || typeof table !== 'string') throw shadowed(options as HelperOptions, 'source', '{{source "shop_mysql" "orders"}}');
        const override = this.options.overrides?.source?.[`${sourceName}.${table}`];
        if (override !== undefined) return override;
        const source = project.sources.get(`source.${frame().node.package_name}.${sourceName}.${table}`);
        if (!source) throw fail(options as HelperOptions, `source '${sourceName}.${table}' is not declared`);
        return this.readable(source.relation_name);
      },
      config: () => '',
      var: (...args: unknown[]) => {
        const options = args.pop() as HelperOptions;
        const vars = this.options.overrides?.vars;
        // A unit test's overrides come first.
        if (vars && String(args[0]) in vars) return vars[String(args[0])];
        return varValue(args, project.vars, (message, hint) => fail(options, message, hint));
      },
      env: (...args: unknown[]) => this.envHelper(args, fail),
      env_var: (...args: unknown[]) => this.envHelper(args, fail),
      is_incremental: () => this.options.overrides?.isIncremental ?? isIncrementalRun(frame().node, this.options),
      should_full_refresh: () => frame().node.config.materialized === 'incremental' && !isIncrementalRun(frame().node, this.options),
      sql_list: (values: unknown, quote: unknown) => sqlList(values, typeof quote === 'object' ? true : quote),
      // Its arguments as a list, for a loop over written values: {{#each (list "card" "coupon") as |m|}}.
      list: (...args: unknown[]) => args.slice(0, -1),
    };
  }

  private envHelper(args: unknown[], fail: (options: HelperOptions, message: string, hint?: string) => UserError): unknown {
    const options = args.pop() as HelperOptions;
    return envValue(args, this.options.env ?? process.env, (message, hint) => fail(options, message, hint), 'secrets never go into compiled SQL, which is written to target/');
  }
}

function findByName(project: Project, name: string): ManifestNode | undefined {
  for (const node of project.nodes.values()) if (node.name === name && node.resource_type !== 'test' && node.resource_type !== 'unit_test') return node;
  return undefined;
}
