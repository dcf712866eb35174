import { readFileSync } from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../errors/did-you-mean.js';
import { UserError } from '../errors/user-error.js';
import type { ManifestNode } from '../manifest/nodes.js';
import type { Project } from '../project/load-project.js';
import { findFiles } from '../project/find-files.js';
import { FolderConfigs, fqnPrefixes } from '../project/folder-config.js';
import { CONFIG_KEYS, defaultConfig, mergeConfig } from '../project/node-config.js';
import { sha256 } from '../project/parse-model.js';
import { lineOf, type YamlFile } from '../project/yaml-file.js';
import { FixtureError, readFixtureTable } from './fixture-table.js';
import { InputCallError, parseInputCall, type InputCall } from './parse-input-call.js';
import { knownColumns, planInputs } from './plan-inputs.js';
import type { FixtureFormat, FixtureRows, UnitTestExpect, UnitTestInput, UnitTestNode, UnitTestOverrides } from './unit-test-node.js';

type Path = (string | number)[];

const TEST_KEYS = new Set(['name', 'model', 'description', 'given', 'expect', 'overrides', 'config', 'versions']);
const GIVEN_KEYS = new Set(['input', 'rows', 'format', 'fixture']);
const EXPECT_KEYS = new Set(['rows', 'format', 'fixture']);
const OVERRIDE_KEYS = new Set(['macros', 'vars', 'env_vars']);
const FORMATS: readonly FixtureFormat[] = ['dict', 'csv', 'sql'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads and checks every `unit_tests:` entry of the project's YAML files; disabled tests are left
 * out. project.yml's `unit_tests:` folder configs (enabled, tags, meta) apply by fqn, as in dbt;
 * those naming no unit test's folder join the project's unused config paths.
 */
export function readUnitTests(project: Project): UnitTestNode[] {
  const tests: UnitTestNode[] = [];
  const seen = new Map<string, string>();
  const folders = new FolderConfigs(project.file.folderConfigs.unit_tests, 'unit_test');
  const prefixes = new Set<string>();
  for (const file of project.propertyFiles) {
    const section = file.other.unit_tests;
    if (section === undefined || section === null) continue;
    if (!Array.isArray(section)) throw file.yaml.error(['unit_tests'], `'unit_tests' must be a list`, '- {name: test_is_paid, model: fct_orders, given: [...], expect: {rows: [...]}}');
    section.forEach((entry, i) => {
      const fqn = unitTestFqn(project, file.yaml.file, entry);
      if (fqn) fqnPrefixes([fqn], prefixes);
    });
  }
  project.unusedConfigPaths.push(...folders.validate(project.file.yaml, 'unit_tests', prefixes));
  for (const file of project.propertyFiles) {
    const section = file.other.unit_tests;
    if (section === undefined || section === null) continue;
    (section as unknown[]).forEach((entry, i) => {
      const test = readUnitTest(project, file.yaml, entry, ['unit_tests', i], folders);
      if (!test) return;
      const twin = seen.get(test.unique_id);
      if (twin) throw file.yaml.error(['unit_tests', i, 'name'], `model '${test.model}' has two unit tests named '${test.name}'`, `the other is in ${twin}`);
      seen.set(test.unique_id, file.yaml.file);
      tests.push(test);
    });
  }
  return tests;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function checkKeys(yaml: YamlFile, entry: Record<string, unknown>, allowed: ReadonlySet<string>, at: Path, what: string): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.has(key)) throw yaml.error([...at, key], `unknown key '${key}' in ${what}`, didYouMean(key, allowed) || `allowed: ${[...allowed].join(', ')}`);
  }
}

/**
 * dbt's fqn of a unit test: the project, the folders of its YAML file under its resource path,
 * the model's name and the test's (undefined before the entry is known to have both).
 */
function unitTestFqn(project: Project, file: string, raw: unknown): string[] | undefined {
  const entry = asObject(raw);
  if (typeof entry?.name !== 'string' || typeof entry.model !== 'string') return undefined;
  const folders = file.split('/').slice(1, -1);
  return [project.file.name, ...folders, entry.model, entry.name];
}

function readUnitTest(project: Project, yaml: YamlFile, raw: unknown, at: Path, folders: FolderConfigs): UnitTestNode | null {
  const entry = asObject(raw);
  if (!entry || typeof entry.name !== 'string') throw yaml.error(at, `each unit test needs a 'name'`, '- name: test_is_paid');
  const name = entry.name;
  const what = `unit test '${name}'`;
  if (!NAME.test(name)) throw yaml.error([...at, 'name'], `${what}: a unit test name is made of letters, digits and underscores`);
  checkKeys(yaml, entry, TEST_KEYS, at, what);
  if (entry.versions !== undefined) throw yaml.error([...at, 'versions'], `${what}: 'versions' is not supported`, 'Strata models have no versions; remove it');
  const fqn = unitTestFqn(project, yaml.file, entry);
  const config = readConfig(yaml, entry.config, [...at, 'config'], what, fqn ? folders.layersFor(fqn) : []);
  if (!config.enabled) return null;

  if (typeof entry.model !== 'string') throw yaml.error(entry.model === undefined ? at : [...at, 'model'], `${what} needs a 'model': the name of the model it tests`, 'model: fct_orders');
  const model = [...project.nodes.values()].find((n) => n.name === entry.model && n.resource_type !== 'unit_test' && n.resource_type !== 'test');
  if (!model) {
    // dbt disables the unit tests of a disabled model.
    if ([...project.disabled.values()].some((n) => n.name === entry.model && n.resource_type === 'model')) return null;
    const models = [...project.nodes.values()].filter((n) => n.resource_type === 'model').map((n) => n.name);
    throw yaml.error([...at, 'model'], `${what}: there is no model named '${entry.model}'`, didYouMean(entry.model, models) || 'check the spelling, or create the model');
  }
  if (model.resource_type !== 'model') throw yaml.error([...at, 'model'], `${what}: '${model.name}' is a ${model.resource_type}; unit tests test models`);

  if (entry.expect === undefined || entry.expect === null) {
    throw yaml.error(at, `${what} has no 'expect': the rows '${model.name}' must return`, 'expect: {rows: [{order_id: 1, is_paid: true}]}');
  }
  const given = readGiven(project, yaml, model, entry.given, [...at, 'given'], what);
  const expect = readExpect(project, yaml, entry.expect, [...at, 'expect'], what);
  const overrides = readOverrides(project, yaml, entry.overrides, [...at, 'overrides'], what);

  const keys = new Set(given.map((g) => parseInputCall(g.input).key));
  const missing = planInputs(project, model, keys).missing[0];
  if (missing) {
    const through = missing.via ? ` (through the ephemeral model '${missing.via}', which it inlines)` : '';
    throw yaml.error(entry.given === undefined ? at : [...at, 'given'], `${what}: '${model.name}' reads ${missing.key}${through}, which the test gives no rows for`,
      `add "- input: ${missing.key}" under given${missing.via ? `, or give ref('${missing.via}') itself` : ''}; rows: [] gives it no rows`);
  }

  const file = yaml.file;
  const resourcePath = [...project.file.modelPaths, ...project.file.seedPaths, ...project.file.macroPaths].find((p) => file.startsWith(`${p.replace(/\/$/, '')}/`));
  const node: UnitTestNode = {
    unique_id: `unit_test.${project.file.name}.${model.name}.${name}`,
    resource_type: 'unit_test',
    package_name: project.file.name,
    name,
    path: resourcePath ? file.slice(resourcePath.replace(/\/$/, '').length + 1) : file,
    original_file_path: file,
    fqn: fqn!,
    description: typeof entry.description === 'string' ? entry.description : '',
    tags: config.tags,
    meta: config.meta,
    database: model.database,
    schema: model.schema,
    relation_name: null,
    alias: name,
    checksum: { name: 'sha256', checksum: sha256(JSON.stringify(raw)) },
    config,
    unrendered_config: asObject(entry.config) ?? {},
    columns: {},
    patch_path: null,
    language: 'sql',
    raw_code: '',
    refs: [],
    sources: [],
    depends_on: { nodes: [model.unique_id], macros: [] },
    created_at: Date.now() / 1000,
    model: model.name,
    given,
    expect,
    overrides,
  };
  return node;
}

/** The test's config: project.yml's folder configs (`layers`, outermost first), then its own. */
function readConfig(yaml: YamlFile, value: unknown, at: Path, what: string, layers: readonly Record<string, unknown>[]): UnitTestNode['config'] {
  const config = defaultConfig('unit_test');
  config.materialized = 'unit_test';
  for (const layer of layers) mergeConfig(config, layer);
  if (value === undefined || value === null) return config;
  const entry = asObject(value);
  if (!entry) throw yaml.error(at, `${what}: 'config' must be a mapping`, 'config: {tags: [unit]}');
  checkKeys(yaml, entry, CONFIG_KEYS.unit_test, at, `the config of ${what}`);
  if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') throw yaml.error([...at, 'enabled'], `'enabled' must be true or false`);
  const tags = entry.tags;
  if (tags !== undefined && typeof tags !== 'string' && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    throw yaml.error([...at, 'tags'], `'tags' must be a string or a list of strings`);
  }
  if (entry.meta !== undefined && !asObject(entry.meta)) throw yaml.error([...at, 'meta'], `'meta' must be a mapping`);
  return mergeConfig(config, entry);
}

function readGiven(project: Project, yaml: YamlFile, model: ManifestNode, value: unknown, at: Path, what: string): UnitTestInput[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw yaml.error(at, `${what}: 'given' must be a list of inputs`, "given: [{input: \"ref('stg_orders')\", rows: [{order_id: 1}]}]");
  const allowed = planInputs(project, model, new Set()).allowed;
  const seen = new Set<string>();
  return value.map((raw, i) => {
    const entryAt = [...at, i];
    const entry = asObject(raw);
    if (!entry) throw yaml.error(entryAt, `${what}: each entry under 'given' is a mapping with 'input' and 'rows'`);
    checkKeys(yaml, entry, GIVEN_KEYS, entryAt, `an input of ${what}`);
    if (typeof entry.input !== 'string') throw yaml.error(entry.input === undefined ? entryAt : [...entryAt, 'input'], `${what}: each given entry needs an 'input'`, "input: ref('stg_orders')");
    let call: InputCall;
    try {
      call = parseInputCall(entry.input);
    } catch (error) {
      if (error instanceof InputCallError) throw yaml.error([...entryAt, 'input'], `${what}: ${error.message}`, error.hint);
      throw error;
    }
    const input = allowed.find((a) => a.key === call.key);
    if (!input && call.kind !== 'this') {
      const reads = allowed.map((a) => a.key);
      throw yaml.error([...entryAt, 'input'], `${what}: '${model.name}' does not read ${call.key}`, didYouMean(call.key, reads) || (reads.length ? `it reads ${reads.join(', ')}` : `'${model.name}' reads no ref or source`));
    }
    if (seen.has(call.key)) throw yaml.error([...entryAt, 'input'], `${what}: ${call.key} is given twice`, 'merge the rows into one entry');
    seen.add(call.key);
    const node = call.kind === 'this' ? model : input!.node;
    const fixture = readFixture(project, yaml, entry, entryAt, `${call.key} in ${what}`, { role: 'input', known: knownColumns(node) });
    return { input: entry.input, ...fixture };
  });
}

function readExpect(project: Project, yaml: YamlFile, value: unknown, at: Path, what: string): UnitTestExpect {
  const entry = asObject(value);
  if (!entry) throw yaml.error(at, `${what}: 'expect' must be a mapping with 'rows'`, 'expect: {rows: [{order_id: 1}]}');
  checkKeys(yaml, entry, EXPECT_KEYS, at, `the expect of ${what}`);
  return readFixture(project, yaml, entry, at, `the expected rows of ${what}`, { role: 'expect' });
}

interface FixtureOptions {
  role: 'input' | 'expect';
  known?: { name: string; type: string | null }[];
}

/** Reads `rows`/`format`/`fixture` and checks the rows parse, so mistakes surface at parse time with their line. */
function readFixture(project: Project, yaml: YamlFile, entry: Record<string, unknown>, at: Path, what: string, options: FixtureOptions): { rows: FixtureRows; format: FixtureFormat; fixture: string | null } {
  const format = (entry.format ?? 'dict') as FixtureFormat;
  if (!FORMATS.includes(format)) throw yaml.error([...at, 'format'], `${what}: unknown format '${String(entry.format)}'`, didYouMean(String(entry.format), FORMATS) || `one of: ${FORMATS.join(', ')}`);
  if (entry.rows !== undefined && entry.fixture !== undefined) throw yaml.error([...at, 'fixture'], `${what}: give 'rows' or 'fixture', not both`);
  let rows: unknown = entry.rows;
  let fixture: string | null = null;
  let file = yaml.file;
  let firstLine: number | undefined;
  if (entry.fixture !== undefined) {
    if (typeof entry.fixture !== 'string') throw yaml.error([...at, 'fixture'], `${what}: 'fixture' must be the name of a file under ${project.file.testPaths[0] ?? 'tests'}/fixtures/`);
    if (format === 'dict') throw yaml.error([...at, 'fixture'], `${what}: a fixture file needs format: csv or format: sql`, 'format: csv');
    fixture = entry.fixture;
    const found = findFixture(project, fixture, format);
    if (!found) throw yaml.error([...at, 'fixture'], `${what}: no fixture file ${fixture}.${format} under ${project.file.testPaths.map((p) => `${p}/fixtures/`).join(' or ')}`, 'fixture files are found by name in any folder under <test-path>/fixtures/');
    file = found;
    rows = readFileSync(path.join(project.file.root, file), 'utf8');
    firstLine = 0;
  }
  if (rows === undefined || rows === null) throw yaml.error(at, `${what}: 'rows' is missing`, format === 'dict' ? 'rows: [{order_id: 1}], or rows: [] for none' : `rows: a ${format === 'csv' ? 'CSV text' : 'select statement'}, or fixture: <file name>`);
  if (format === 'sql') {
    if (typeof rows !== 'string' || rows.trim() === '') throw yaml.error([...at, 'rows'], `${what}: with format: sql, 'rows' must be a select statement`, 'rows: "select 1 as order_id"');
    return { rows, format, fixture };
  }
  try {
    readFixtureTable(rows, format, options);
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error;
    const message = `${what}: ${error.message}`;
    if (error.row !== undefined) throw yaml.error([...at, 'rows', error.row], message, error.hint);
    // A CSV line counts from the line after `rows: |`, or from the top of a fixture file.
    firstLine ??= lineOf(yaml.text, [...at, 'rows']);
    const line = error.line !== undefined && firstLine !== undefined ? firstLine + error.line : firstLine;
    throw new UserError(message, { file, line, hint: error.hint });
  }
  return { rows: rows as FixtureRows, format, fixture };
}

function findFixture(project: Project, name: string, format: FixtureFormat): string | undefined {
  const file = `${name}.${format}`;
  for (const testPath of project.file.testPaths) {
    const found = findFiles(project.file.root, `${testPath.replace(/\/$/, '')}/fixtures`, [`.${format}`]).find((f) => f === file || f.endsWith(`/${file}`));
    if (found) return found;
  }
  return undefined;
}

function readOverrides(project: Project, yaml: YamlFile, value: unknown, at: Path, what: string): UnitTestOverrides | null {
  if (value === undefined || value === null) return null;
  const entry = asObject(value);
  if (!entry) throw yaml.error(at, `${what}: 'overrides' must be a mapping`, 'overrides: {vars: {start_date: "2024-01-01"}}');
  checkKeys(yaml, entry, OVERRIDE_KEYS, at, `the overrides of ${what}`);
  const mapping = (key: string): Record<string, unknown> => {
    if (entry[key] === undefined || entry[key] === null) return {};
    const inner = asObject(entry[key]);
    if (!inner) throw yaml.error([...at, key], `${what}: 'overrides.${key}' must be a mapping`);
    return inner;
  };
  const macros = mapping('macros');
  const known = new Set(['is_incremental', ...project.macros.names()]);
  for (const name of Object.keys(macros)) {
    if (!known.has(name)) throw yaml.error([...at, 'macros', name], `${what}: there is no macro named '${name}' to override`, didYouMean(name, known) || 'macros that can be overridden: is_incremental and the project\'s own macros');
  }
  if (macros.is_incremental !== undefined && typeof macros.is_incremental !== 'boolean') throw yaml.error([...at, 'macros', 'is_incremental'], `${what}: is_incremental must be true or false`);
  const envVars = mapping('env_vars');
  for (const [name, v] of Object.entries(envVars)) {
    if (v !== null && typeof v === 'object') throw yaml.error([...at, 'env_vars', name], `${what}: an environment variable is a single value`);
  }
  return { macros, vars: mapping('vars'), env_vars: Object.fromEntries(Object.entries(envVars).map(([k, v]) => [k, v === null ? '' : String(v)])) };
}
