import { didYouMean } from '../../errors/did-you-mean.js';
import { setPrivate, type ManifestNode, type NodeConfig, type SourceNode } from '../../manifest/nodes.js';
import { CONFIG_KEYS, ConfigKeyError, mergeConfig, validateConfigEntry } from '../node-config.js';
import { newNode, sha256 } from '../parse-model.js';
import { genericTestHash, modelArgument, synthesizeTestNames } from './dbt-test-names.js';
import { DBT_UTILS_TESTS } from './builtin-generic-tests.js';
import { lineOf, type YamlFile } from '../yaml-file.js';
import type { PropertyFile } from '../property-files.js';

/** What a declaration of a generic test must give, and what it may not (a built-in's dbt_utils arguments it does not take). */
export type GenericTestArguments = { required: string[]; unsupported?: Record<string, string>; choices?: Record<string, readonly unknown[]> };

/** Where tests can be declared, and what they attach to. */
export interface TestTarget {
  /** unique_id of the model, seed or source the test is declared on. */
  id: string;
  /** Name used in the test's name, as dbt's target name: the model name, or `<source>_<table>` for a source table. */
  label: string;
  /** A source's tests are named `source_<test>_...`, as in dbt. */
  isSource: boolean;
  /** The test's `model` argument as dbt writes it in test_metadata: `{{ get_where_subquery(ref('orders')) }}`. */
  model: string;
  yaml: YamlFile;
  /** YAML path of the entry that holds `columns:`/`tests:`. */
  path: (string | number)[];
  entry: Record<string, unknown>;
}

/** Everything declaring tests needs to know about the project. */
export interface DeclarationContext {
  projectName: string;
  /** Generic tests that exist: built-ins and `test_*` macros, with their required arguments. */
  genericTests: ReadonlyMap<string, GenericTestArguments>;
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
      if (knownIds.has(id)) out.push({ id, label: entry.name, isSource: false, model: modelArgument({ kind: 'ref', name: entry.name }), yaml: file.yaml, path: [section, i], entry });
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
        if (knownIds.has(id)) {
          out.push({ id, label: `${source.name}_${table.name}`, isSource: true, model: modelArgument({ kind: 'source', source: String(source.name), table: table.name }), yaml: file.yaml, path: ['sources', i, 'tables', j], entry: table });
        }
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
  // dbt's CONFIG_ARGS, a test's config keys: written beside the arguments, these are configs.
  for (const key of CONFIG_KEYS.test) {
    if (key in args) {
      if (key in config) throw target.yaml.error(path, `'${key}' is given twice, beside the arguments and under config:`, `keep the one under config:`);
      config[key] = args[key];
      delete args[key];
    }
  }
  const customName = typeof args.name === 'string' ? (args.name as string) : undefined;
  delete args.name;
  const description = typeof args.description === 'string' ? args.description : undefined;
  delete args.description;
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
  for (const [argument, instead] of Object.entries(definition.unsupported ?? {})) {
    if (argument in args) throw target.yaml.error(path, `test '${testName}' here does not take dbt_utils' argument '${argument}'`, instead);
  }
  for (const [argument, allowed] of Object.entries(definition.choices ?? {})) {
    if (argument in args && !allowed.includes(args[argument])) {
      throw target.yaml.error(path, `test '${testName}': '${argument}' cannot be ${JSON.stringify(args[argument])}`, `one of: ${allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`);
    }
  }
  for (const [key, value] of Object.entries(config)) {
    try {
      validateConfigEntry('test', key, value);
    } catch (error) {
      if (error instanceof ConfigKeyError) throw target.yaml.error(path, error.message, error.hint);
      throw error;
    }
  }
  return { testName, namespace, args, config, customName, description };
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
  const declare = (list: unknown, listPath: (string | number)[], column: string | null) => {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw target.yaml.error(listPath, 'tests must be a list', '- unique');
    for (let k = 0; k < list.length; k++) {
      const path = [...listPath, k];
      const { testName, namespace, args, config, customName, description } = readEntry(target, list[k], path, ctx);
      // As in dbt, a column's test has the column as its column_name argument.
      if (column !== null) args.column_name = column;
      const columnName = typeof args.column_name === 'string' ? args.column_name : null;
      const dependsOn = [target.id];
      for (const key in args) {
        const value = args[key];
        if (typeof value === 'string' && isRefOrSource.test(value)) {
          const id = ctx.resolve(value);
          if (!id) throw target.yaml.error([...path], `'${key}: ${value}' names nothing that exists`, "write ref('model_name') or source('source_name', 'table_name')");
          if (!dependsOn.includes(id)) dependsOn.push(id);
        }
      }
      const prefixed = `${namespace ? `${namespace}_` : ''}${target.isSource ? 'source_' : ''}${testName}`;
      const names = customName ? { name: customName, shortName: customName } : synthesizeTestNames(prefixed, target.label, args);
      const name = names.name;
      // dbt names the file and the relation of a long-named test by its shorter name.
      if (names.shortName !== name && !('alias' in config)) config.alias = names.shortName;
      const testMetadata = { name: testName, kwargs: { ...args, model: target.model }, namespace };
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
        uniqueId: `test.${ctx.projectName}.${name}.${genericTestHash(name, testMetadata)}`,
        file: target.yaml.file,
        resourcePath: '',
        path: names.shortName + '.sql',
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
      node.test_metadata = testMetadata;
      if (description !== undefined) node.description = description;
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
