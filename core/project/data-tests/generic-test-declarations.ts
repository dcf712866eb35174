import { didYouMean } from '../../errors/did-you-mean.js';
import { setPrivate, type ManifestNode, type NodeConfig, type SourceNode } from '../../manifest/nodes.js';
import { ConfigKeyError, mergeConfig, validateConfigEntry } from '../node-config.js';
import { newNode, sha256 } from '../parse-model.js';
import { DBT_UTILS_TESTS } from './builtin-generic-tests.js';
import { lineOf, type YamlFile } from '../yaml-file.js';
import type { PropertyFile } from '../property-files.js';

/** Where tests can be declared, and what they attach to. */
export interface TestTarget {
  /** unique_id of the model, seed or source the test is declared on. */
  id: string;
  /** Name used in the test's name: the model name, or `source_table` for sources. */
  label: string;
  yaml: YamlFile;
  /** YAML path of the entry that holds `columns:`/`tests:`. */
  path: (string | number)[];
  entry: Record<string, unknown>;
}

/** Everything declaring tests needs to know about the project. */
export interface DeclarationContext {
  projectName: string;
  /** Generic tests that exist: built-ins and `test_*` macros, with their required arguments. */
  genericTests: ReadonlyMap<string, { required: string[] }>;
  /** Resolves `ref('x')` / `source('a', 'b')` written in YAML to a unique_id, or undefined. */
  resolve(expression: string): string | undefined;
  /** A fresh test config: the defaults with the folder configs for tests from project.yml applied (outermost first). */
  folderConfig(fqn: string[]): NodeConfig;
}

const asObject = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** The places in one property file where tests may be declared. */
export function testTargets(file: PropertyFile, projectName: string, knownIds: ReadonlySet<string>): TestTarget[] {
  const data = asObject(file.yaml.data) ?? {};
  const out: TestTarget[] = [];
  for (const section of ['models', 'seeds', 'snapshots'] as const) {
    const list = data[section];
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const entry = asObject(raw);
      if (!entry || typeof entry.name !== 'string') return;
      const id = `${section.slice(0, -1)}.${projectName}.${entry.name}`;
      if (knownIds.has(id)) out.push({ id, label: entry.name, yaml: file.yaml, path: [section, i], entry });
    });
  }
  const sources = data.sources;
  if (Array.isArray(sources)) {
    sources.forEach((rawSource, i) => {
      const source = asObject(rawSource);
      if (!source || !Array.isArray(source.tables)) return;
      source.tables.forEach((rawTable, j) => {
        const table = asObject(rawTable);
        if (!table || typeof table.name !== 'string') return;
        const id = `source.${projectName}.${source.name}.${table.name}`;
        if (knownIds.has(id)) out.push({ id, label: `source_${source.name}_${table.name}`, yaml: file.yaml, path: ['sources', i, 'tables', j], entry: table });
      });
    });
  }
  return out;
}

/** Reads one test entry (`unique`, `{accepted_values: {...}}`, `{name: x, test_name: y, ...}`) into name, arguments and config. */
function readEntry(target: TestTarget, raw: unknown, path: (string | number)[], ctx: DeclarationContext) {
  let testName: string;
  let args: Record<string, unknown>;
  if (typeof raw === 'string') {
    testName = raw;
    args = {};
  } else {
    const entry = asObject(raw);
    const keys = entry ? Object.keys(entry) : [];
    if (entry && typeof entry.test_name === 'string') {
      testName = entry.test_name;
      args = { ...entry };
      delete args.test_name;
    } else if (entry && keys.length === 1) {
      testName = keys[0];
      const value = entry[testName];
      if (value !== null && value !== undefined && !asObject(value)) throw target.yaml.error(path, `the arguments of test '${testName}' must be a mapping`, `e.g. ${testName}: {values: [a, b]}`);
      args = { ...(asObject(value) ?? {}) };
    } else {
      throw target.yaml.error(path, 'a test is a name or a mapping with one test name', 'e.g. - unique, or - accepted_values: {values: [a, b]}');
    }
  }
  // dbt 1.10 puts arguments under `arguments:`; older projects put them beside config.
  const nested = asObject(args.arguments);
  const config = { ...(asObject(args.config) ?? {}) };
  delete args.arguments;
  delete args.config;
  if (nested) Object.assign(args, nested);
  for (const key of ['severity', 'where', 'limit', 'warn_if', 'error_if', 'store_failures', 'tags', 'enabled', 'fail_calc']) {
    if (key in args) {
      config[key] = args[key];
      delete args[key];
    }
  }
  const customName = typeof args.name === 'string' ? (args.name as string) : undefined;
  delete args.name;
  // A package's test, `dbt_utils.accepted_range`: the built-in of that name, or the project's own test_<name>.
  let namespace: string | null = null;
  const dot = testName.indexOf('.');
  if (dot > 0) {
    namespace = testName.slice(0, dot);
    const bare = testName.slice(dot + 1);
    if (!ctx.genericTests.has(bare)) {
      throw target.yaml.error(path, `'${testName}' is a test of the dbt package ${namespace}, and Strata installs no packages`, `built in from dbt_utils: ${DBT_UTILS_TESTS.join(', ')}; for another, write macros/test_${bare}.sql`);
    }
    testName = bare;
  }
  const definition = ctx.genericTests.get(testName);
  if (!definition) {
    throw target.yaml.error(path, `no generic test named '${testName}'`, didYouMean(testName, ctx.genericTests.keys()) || `built-in: not_null, unique, accepted_values, relationships, and from dbt_utils ${DBT_UTILS_TESTS.join(', ')}; write your own as macros/test_${testName}.sql`);
  }
  for (const required of definition.required) {
    if (!(required in args)) throw target.yaml.error(path, `test '${testName}' needs the argument '${required}'`, testName === 'relationships' ? "relationships: {to: ref('customers'), field: customer_id}" : undefined);
  }
  for (const [key, value] of Object.entries(config)) {
    try {
      validateConfigEntry('test', key, value);
    } catch (error) {
      if (error instanceof ConfigKeyError) throw target.yaml.error(path, error.message, error.hint);
      throw error;
    }
  }
  return { testName, namespace, args, config, customName };
}

function testNodeName(testName: string, label: string, column: string | null, args: Record<string, unknown>): string {
  const parts = [testName, label, ...(column ? [column] : [])];
  const extra = Object.values(args)
    .map((v) => (Array.isArray(v) ? v.join('__') : String(v)))
    .join('__');
  const name = (parts.join('_') + (extra ? `__${extra}` : '')).replace(/[^A-Za-z0-9_]+/g, '_');
  // dbt shortens long names the same way: a readable prefix and a hash.
  return name.length > 63 ? `${name.slice(0, 50)}_${sha256(name).slice(0, 12)}` : name;
}

/** The attached node's tags, then the test's own, each once. */
function mergeTags(attached: string[], own: string[]): string[] {
  const tags = [...new Set(attached)];
  for (const tag of own) if (!tags.includes(tag)) tags.push(tag);
  return tags;
}

// Most tests of a large project are the same few declarations (`unique`, `not_null` without arguments): hash each text once.
const checksums = new Map<string, string>();
function testChecksum(text: string): string {
  let checksum = checksums.get(text);
  if (checksum === undefined) {
    checksum = sha256(text);
    if (checksums.size < 10_000) checksums.set(text, checksum);
  }
  return checksum;
}

/** Where a generic test was declared; its line is found only when a message needs it. */
class Declaration {
  constructor(
    private readonly yaml: YamlFile,
    private readonly path: (string | number)[],
  ) {}

  get file(): string {
    return this.yaml.file;
  }

  line(): number | undefined {
    return lineOf(this.yaml.text, this.path);
  }
}

const isRefOrSource = /^\s*(ref|source)\s*\(/;

/** Builds test nodes for every generic test declared on a target (on columns and at entry level). */
export function declareGenericTests(target: TestTarget, ctx: DeclarationContext, attached: ManifestNode | SourceNode): ManifestNode[] {
  const out: ManifestNode[] = [];
  const folder = attached.fqn.slice(1, -1);
  const model = `ref('${attached.name}')`;
  const declare = (list: unknown, listPath: (string | number)[], column: string | null) => {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw target.yaml.error(listPath, 'tests must be a list', '- unique');
    for (let k = 0; k < list.length; k++) {
      const path = [...listPath, k];
      const { testName, namespace, args, config, customName } = readEntry(target, list[k], path, ctx);
      const columnName = column ?? (typeof args.column_name === 'string' ? args.column_name : null);
      const dependsOn = [target.id];
      let named = args;
      for (const key in args) {
        const value = args[key];
        if (key === 'column_name') named = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'column_name'));
        if (typeof value === 'string' && isRefOrSource.test(value)) {
          const id = ctx.resolve(value);
          if (!id) throw target.yaml.error([...path], `'${key}: ${value}' names nothing that exists`, "write ref('model_name') or source('source_name', 'table_name')");
          if (!dependsOn.includes(id)) dependsOn.push(id);
        }
      }
      const name = customName ?? testNodeName(namespace ? `${namespace}_${testName}` : testName, target.label, columnName, named);
      const argsJson = JSON.stringify(args);
      const checksumOf = `[${JSON.stringify(testName)},${argsJson},${JSON.stringify(config)}]`;
      const fqn = [ctx.projectName, ...folder, name];
      const nodeConfig = ctx.folderConfig(fqn);
      mergeConfig(nodeConfig, config);
      if (typeof nodeConfig.severity === 'string') nodeConfig.severity = nodeConfig.severity.toUpperCase();
      nodeConfig.tags = mergeTags(attached.tags, nodeConfig.tags);
      const node = newNode({
        resourceType: 'test',
        projectName: ctx.projectName,
        uniqueId: `test.${ctx.projectName}.${name}.${sha256(`${target.id}|${columnName}|${argsJson}|${namespace ? `${namespace}.${testName}` : testName}`).slice(0, 10)}`,
        file: target.yaml.file,
        resourcePath: '',
        path: name + '.sql',
        fqn,
        name,
        rawCode: '',
        checksumOf,
        checksum: testChecksum(checksumOf),
        config: nodeConfig,
        language: 'sql',
      });
      node.tags = nodeConfig.tags;
      node.unrendered_config = config;
      node.depends_on.nodes = dependsOn;
      node.test_metadata = { name: testName, kwargs: { ...args, column_name: columnName ?? undefined, model }, namespace };
      node.column_name = columnName;
      node.attached_node = target.id;
      setPrivate(node, 'declared_at', new Declaration(target.yaml, path));
      out.push(node);
    }
  };
  const columns = target.entry.columns;
  if (Array.isArray(columns)) {
    columns.forEach((rawColumn, j) => {
      const column = asObject(rawColumn);
      if (!column || typeof column.name !== 'string') return;
      declare(column.data_tests, [...target.path, 'columns', j, 'data_tests'], column.name);
      declare(column.tests, [...target.path, 'columns', j, 'tests'], column.name);
    });
  }
  declare(target.entry.data_tests, [...target.path, 'data_tests'], null);
  declare(target.entry.tests, [...target.path, 'tests'], null);
  return out;
}
