import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Compiler, type CompileOptions } from '../compile/compiler.js';
import { injectCtes } from '../compile/inject-ctes.js';
import { UserError } from '../errors/user-error.js';
import type { ManifestNode, SourceNode } from '../manifest/nodes.js';
import type { Project } from '../project/load-project.js';
import type { MacroSet } from '../project/macro-files.js';
import { parseTemplate } from '../template/template-parser.js';
import { fixtureTableSql, readFixtureTable } from './fixture-table.js';
import { parseInputCall } from './parse-input-call.js';
import { knownColumns, planInputs } from './plan-inputs.js';
import type { UnitTestExpect, UnitTestInput, UnitTestNode } from './unit-test-node.js';

/** What a unit test runs: the model over literal inputs, and the rows it must return. */
export interface CompiledUnitTest {
  /** The model's query with one CTE per input in front of it (`with __strata_input_stg_orders as (...)`). */
  sql: string;
  /** The expected rows as a select (before their cast to the model's column types), or null when none are expected. */
  expectedSql: string | null;
}

/** Prefix of the CTE that stands in for an input. */
export const INPUT_CTE_PREFIX = '__strata_input_';
const OVERRIDE_HELPER_PREFIX = '__strata_override_';

/** Compiles a unit test: its model with each ref, source and `this` it reads replaced by the given rows. Never opens a connection. */
export function compileUnitTest(project: Project, test: UnitTestNode, options: CompileOptions): CompiledUnitTest {
  const model = project.nodes.get(test.depends_on.nodes[0]);
  if (!model) throw new UserError(`unit test '${test.name}': model '${test.model}' is not in the project`, { file: test.original_file_path });
  const calls = test.given.map((g) => parseInputCall(g.input));
  const plan = planInputs(project, model, new Set(calls.map((c) => c.key)));

  const ctes: { id: string; sql: string }[] = [];
  const taken = new Set<string>();
  const addCte = (base: string, sql: string) => {
    const stem = `${INPUT_CTE_PREFIX}${base.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let name = stem;
    for (let i = 2; taken.has(name); i++) name = `${stem}_${i}`;
    taken.add(name);
    ctes.push({ id: name, sql });
    return name;
  };
  const ref: Record<string, string> = {};
  const source: Record<string, string> = {};
  let thisRelation: string | undefined;
  test.given.forEach((given, i) => {
    const call = calls[i];
    const node = call.kind === 'this' ? model : plan.allowed.find((a) => a.key === call.key)?.node;
    if (call.kind === 'ref') ref[call.name] = addCte(call.name, inputSql(given, node));
    else if (call.kind === 'source') source[`${call.source}.${call.table}`] = addCte(`${call.source}__${call.table}`, inputSql(given, node));
    else thisRelation = addCte('this', inputSql(given, node));
  });
  for (const seed of plan.seeds) ref[seed.name] = addCte(seed.name, seedSql(project, seed));

  const macros = test.overrides?.macros ?? {};
  const envVars = test.overrides?.env_vars ?? {};
  const compiler = new Compiler(withMacroOverrides(project, macros), {
    ...options,
    // A unit test knows nothing of the warehouse: is_incremental is false unless overridden.
    state: undefined,
    fullRefresh: false,
    env: Object.keys(envVars).length ? { ...(options.env ?? process.env), ...envVars } : options.env,
    overrides: { ref, source, vars: test.overrides?.vars ?? {}, isIncremental: typeof macros.is_incremental === 'boolean' ? macros.is_incremental : false },
  });
  // compile() records its output on the node it is given, so it gets a copy: the model's own stays as it was.
  const copy: ManifestNode = { ...model };
  if (thisRelation) copy.relation_name = thisRelation;
  const body = compiler.compile(copy).sql;
  return { sql: injectCtes(body, ctes, ''), expectedSql: expectedSql(test.expect) };
}

function withoutSemicolon(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '');
}

function inputSql(given: UnitTestInput, node: ManifestNode | SourceNode | undefined): string {
  if (given.format === 'sql') return withoutSemicolon(given.rows as string);
  return fixtureTableSql(readFixtureTable(given.rows, given.format, { role: 'input', known: node ? knownColumns(node) : [] }));
}

function seedSql(project: Project, seed: ManifestNode): string {
  const text = readFileSync(path.join(project.file.root, seed.original_file_path), 'utf8');
  const delimiter = typeof seed.config.delimiter === 'string' ? seed.config.delimiter : undefined;
  return fixtureTableSql(readFixtureTable(text, 'csv', { role: 'input', known: knownColumns(seed), delimiter }));
}

function expectedSql(expect: UnitTestExpect): string | null {
  if (expect.format === 'sql') return withoutSemicolon(expect.rows as string);
  const table = readFixtureTable(expect.rows, expect.format, { role: 'expect' });
  return table.columns.length ? fixtureTableSql(table) : null;
}

/** The project as the compiler sees it with some macros returning fixed values (`overrides.macros`). */
function withMacroOverrides(project: Project, macros: Record<string, unknown>): Project {
  const values = Object.entries(macros).filter(([name]) => name !== 'is_incremental');
  if (values.length === 0) return project;
  const base = project.macros;
  const overridden = Object.create(base) as MacroSet;
  overridden.helpersFor = (adapterType: string) => {
    const helpers = { ...base.helpersFor(adapterType) };
    for (const [name, value] of values) {
      helpers[`${OVERRIDE_HELPER_PREFIX}${name}`] = () => value;
      if (name in helpers) helpers[name] = () => value;
    }
    return helpers;
  };
  overridden.partialsFor = (adapterType: string) => {
    const partials = { ...base.partialsFor(adapterType) };
    // A partial is a template, so the overriding one calls a helper that returns the value.
    for (const [name] of values) if (name in partials) partials[name] = parseTemplate(`{{${OVERRIDE_HELPER_PREFIX}${name}}}`, `overrides.macros.${name}`);
    return partials;
  };
  return { ...project, macros: overridden };
}
