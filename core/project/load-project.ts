import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlDialect } from '../adapter/adapter.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { tableGlobs } from '../lake/lake-layout.js';
import { UserError } from '../errors/user-error.js';
import { assertAcyclic, buildGraph, type Dag } from '../graph/dag.js';
import type { NodeConfig } from '../manifest/nodes.js';
import { setPrivate, type AnyNode, type ExposureNode, type ManifestNode, type ResourceType, type SourceNode } from '../manifest/nodes.js';
import type { Template } from '../template/template-parser.js';
import { declareDataTests } from './data-tests/declare-data-tests.js';
import { applyProjectExposureConfigs, resolveExposures } from './exposure-files.js';
import { readDocBlocks, resolveDocReferences, type DocBlock } from './doc-blocks.js';
import { findFiles } from './find-files.js';
import { renderSourceLocations } from './yaml-templates.js';
import { FolderConfigs, fqnPrefixes, type UnusedConfigPath } from './folder-config.js';
import { loadMacros, type MacroSet } from './macro-files.js';
import { copyConfig, defaultConfig, mergeConfig } from './node-config.js';
import { ModelSourceReader, parseOnWorkers } from './model-source-reader.js';
import { ParseCache } from './parse-cache.js';
import { TemplateMap } from './template-map.js';
import { callLine, newNode, parseModelFile } from './parse-model.js';
import { applySnapshotTarget, parseSnapshotFile, resolveSnapshotConfig } from './snapshot-files.js';
import type { ProjectFile } from './project-file.js';
import { readPropertyFile, type NodePatch, type PropertyFile } from './property-files.js';
import { lineOf, YamlFile } from './yaml-file.js';

/** What relation naming needs to know about the target; no connection is opened. */
export interface TargetNaming {
  adapterType: string;
  sql: Pick<SqlDialect, 'relation' | 'canReadFiles'>;
  defaultDatabase: string | null;
  defaultSchema: string;
  /** The target's name in profiles.yml, for `{{target.name}}` in YAML values. */
  targetName?: string;
  /** The lake root of the target (a folder or `s3://bucket/prefix`); default the project's `lake-path`. */
  lakeRoot?: string;
}

/** The relation an external source renders to: its committed lake loads, read in place by the target. */
function externalRelationName(source: SourceNode, naming: TargetNaming, lakeRoot: string, yaml: YamlFile): string {
  const external = source.external!;
  if (!naming.sql.canReadFiles?.()) {
    throw yaml.error(['sources'], `source '${source.source_name}.${source.name}' reads lake files ('external'), which the ${naming.adapterType} target cannot query in place`, 'load it into a table with strata extract, or build on a target that reads files (duckdb)');
  }
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(external.location) || path.isAbsolute(external.location);
  const folder = absolute ? external.location : /^[a-z][a-z0-9+.-]*:\/\//i.test(lakeRoot) ? `${lakeRoot.replace(/\/+$/, '')}/${external.location}` : path.resolve(lakeRoot, external.location).split(path.sep).join('/');
  const globs = tableGlobs(folder, external.format);
  return naming.sql.externalRelation({ ...globs, format: external.format, primaryKey: external.primary_key, cursorField: external.cursor_field });
}

/** A parsed project: every node with its config, descriptions and resolved dependencies. */
export interface Project {
  file: ProjectFile;
  /** Folder configs in project.yml naming no folder or node (dbt warns of them; so does the CLI). */
  unusedConfigPaths: UnusedConfigPath[];
  /** Project vars with --vars applied on top. */
  vars: Record<string, unknown>;
  /** Models and seeds (later also tests and snapshots), by unique_id. */
  nodes: Map<string, ManifestNode>;
  sources: Map<string, SourceNode>;
  /** Enabled exposures (never built; in the DAG as children of what they depend on). */
  exposures: Map<string, ExposureNode>;
  /** Nodes, sources and exposures together, for selection and the DAG. */
  all: Map<string, AnyNode>;
  disabled: Map<string, AnyNode>;
  macros: MacroSet;
  /** Doc blocks of the .md files, by unique_id (`doc.<project>.<name>`). */
  docs: Map<string, DocBlock>;
  /** Parsed template of each model, by unique_id. */
  templates: Map<string, Template>;
  propertyFiles: PropertyFile[];
  dag: Dag;
  naming: TargetNaming;
}

export interface LoadOptions {
  project: ProjectFile;
  naming: TargetNaming;
  cliVars?: Record<string, unknown>;
  /** Keep the pure per-file work in target/partial_parse.jsonl and reuse it (see ParseCache). */
  partialParse?: boolean;
}

/** Parses every file of a project into nodes and a DAG. Pure apart from reading files. */
export async function loadProject(options: LoadOptions): Promise<Project> {
  const { project, naming } = options;
  const root = project.root;
  // One walk of each model folder finds its doc blocks' .md files too.
  const walked = project.modelPaths.map((dir) => ({ dir, files: findFiles(root, dir, ['.sql', '.yml', '.yaml', '.md']) }));
  const modelFiles = walked.map(({ dir, files }) => ({ dir, files: files.filter((f) => !f.endsWith('.md')) }));
  const docFiles = project.docsPaths.flatMap((dir) => {
    const files = walked.find((w) => w.dir === dir)?.files.filter((f) => f.endsWith('.md')) ?? findFiles(root, dir, ['.md']);
    return files.map((file) => ({ file, resourcePath: dir }));
  });
  // In a large project on a machine with a core to spare, model files and their YAML are parsed on two worker threads while this one builds nodes.
  const sqlFiles = modelFiles.flatMap(({ files }) => files.filter((f) => f.endsWith('.sql')));
  const cache = options.partialParse ? ParseCache.open(path.resolve(root, project.targetPath)) : undefined;
  // With most files in the cache, what is left to do per file (read, hash, look up) is less than a thread's start-up.
  const onWorkers = parseOnWorkers(sqlFiles.length) && (!cache || cache.size < sqlFiles.length / 2);
  const reader = new ModelSourceReader(root, sqlFiles, 'model', onWorkers, cache);
  const yamlReader = new ModelSourceReader(root, modelFiles.flatMap(({ files }) => files.filter((f) => !f.endsWith('.sql'))), 'yaml', onWorkers, cache);
  try {
    const loaded = await loadParsedProject(options, { reader, yamlReader }, modelFiles, docFiles);
    cache?.save();
    return loaded;
  } finally {
    reader.close();
    yamlReader.close();
  }
}

async function loadParsedProject(
  options: LoadOptions,
  { reader, yamlReader }: { reader: ModelSourceReader; yamlReader: ModelSourceReader },
  modelFiles: { dir: string; files: string[] }[],
  docFiles: { file: string; resourcePath: string }[],
): Promise<Project> {
  const { project, naming } = options;
  const root = project.root;
  const macros = await loadMacros(root, project.name, project.macroPaths, project.targetPath);
  const nodes = new Map<string, ManifestNode>();
  const templates = new TemplateMap();
  const fileConfigs = new Map<string, Record<string, unknown>>();
  const propertyFiles: PropertyFile[] = [];
  const byName = new Map<string, ManifestNode>();
  const snapshotConfigLines = new Map<string, number | undefined>();

  const addNode = (node: ManifestNode) => {
    if (node.resource_type === 'test') {
      // Tests have a namespace of their own: a test may share a model's name.
      if (nodes.has(node.unique_id)) throw new UserError(`two tests are named '${node.name}'`, { file: node.original_file_path, hint: `the other is ${nodes.get(node.unique_id)!.original_file_path}` });
      nodes.set(node.unique_id, node);
      return;
    }
    const twin = byName.get(node.name);
    if (twin) {
      throw new UserError(`two resources are named '${node.name}'`, { file: node.original_file_path, hint: `the other is ${twin.original_file_path}; names must be unique across models, seeds and snapshots` });
    }
    byName.set(node.name, node);
    nodes.set(node.unique_id, node);
  };
  // project.yml's `sources:` configs, applied to each source table as its YAML is read.
  const sourceFolders = new FolderConfigs(project.folderConfigs.sources, 'source');
  const sourceLayers = { layersFor: (fqn: string[]) => sourceFolders.layersFor(fqn), keyPath: (layer: Record<string, unknown>, key: string) => ['sources', ...sourceFolders.keyPath(layer, key)], yaml: project.yaml };
  const readProperties = (file: string, resourcePath: string) => {
    const yaml = new YamlFile(file, readFileSync(path.join(root, file), 'utf8'));
    propertyFiles.push(readPropertyFile(yaml, project.name, resourcePath, sourceLayers));
  };

  for (const { dir, files } of modelFiles) {
    for (const file of files) {
      if (!file.endsWith('.sql')) {
        const { text, data } = await yamlReader.nextYaml(file);
        propertyFiles.push(readPropertyFile(new YamlFile(file, text, data), project.name, dir, sourceLayers));
        continue;
      }
      const { source, analysed } = await reader.next(file);
      const { node, template, facts, names } = parseModelFile({ projectName: project.name, file, resourcePath: dir, source }, analysed);
      addNode(node);
      if (template) templates.set(node.unique_id, template);
      else templates.setSource(node.unique_id, file, source);
      fileConfigs.set(node.unique_id, facts.config);
      const used = [...names.helpers, ...names.partials].filter((n) => macros.nodes.has(`macro.${project.name}.${n}`));
      node.depends_on.macros = used.map((n) => `macro.${project.name}.${n}`).sort();
    }
  }
  for (const dir of project.seedPaths) {
    for (const file of findFiles(root, dir, ['.csv', '.yml', '.yaml'])) {
      if (file.endsWith('.csv')) addNode(seedNode(project.name, file, dir, readFileSync(path.join(root, file), 'utf8')));
      else readProperties(file, dir);
    }
  }
  for (const dir of project.macroPaths) for (const file of findFiles(root, dir, ['.yml', '.yaml'])) readProperties(file, dir);
  for (const dir of project.testPaths) {
    for (const file of findFiles(root, dir, ['.sql', '.yml', '.yaml'])) {
      if (!file.endsWith('.sql')) {
        readProperties(file, dir);
        continue;
      }
      const { node, template, facts } = parseModelFile({ projectName: project.name, resourceType: 'test', file, resourcePath: dir, source: readFileSync(path.join(root, file), 'utf8') });
      addNode(node);
      templates.set(node.unique_id, template);
      fileConfigs.set(node.unique_id, facts.config);
    }
  }

  // A snapshot declared in YAML (dbt 1.9): a select of everything in its relation, its config from the entry.
  const addYamlSnapshot = (patch: NodePatch, resourcePath: string) => {
    const relation = yamlRelationCall(patch.raw.relation as string, patch);
    const { node, template, facts } = parseSnapshotFile({ projectName: project.name, file: patch.yaml.file, resourcePath, source: `select * from ${relation}`, name: patch.name });
    addNode(node);
    templates.set(node.unique_id, template);
    fileConfigs.set(node.unique_id, facts.config);
  };

  for (const dir of project.snapshotPaths) {
    for (const file of findFiles(root, dir, ['.sql', '.yml', '.yaml'])) {
      if (!file.endsWith('.sql')) {
        readProperties(file, dir);
        continue;
      }
      const { node, template, facts, configLine } = parseSnapshotFile({ projectName: project.name, file, resourcePath: dir, source: readFileSync(path.join(root, file), 'utf8') });
      addNode(node);
      templates.set(node.unique_id, template);
      fileConfigs.set(node.unique_id, facts.config);
      snapshotConfigLines.set(node.unique_id, configLine);
    }
  }

  for (const properties of propertyFiles) {
    for (const patch of properties.patches) if (patch.resourceType === 'snapshot' && typeof patch.raw.relation === 'string') addYamlSnapshot(patch, properties.resourcePath);
  }
  const docs = readDocBlocks(
    docFiles.map(({ file, resourcePath }) => ({ file, resourcePath, text: readFileSync(path.join(root, file), 'utf8') })),
    project.name,
  );
  resolveDocReferences(propertyFiles, docs, project.name);
  const unusedConfigPaths = applyConfigs(project, nodes, fileConfigs, propertyFiles, macros);
  unusedConfigPaths.push(...sourceFolders.validate(project.yaml, 'sources', fqnPrefixes(propertyFiles.flatMap((p) => p.sources.map((source) => source.fqn)))));
  for (const node of nodes.values()) {
    if (node.resource_type !== 'snapshot' || !node.config.enabled) continue;
    resolveSnapshotConfig(node, (key) => locateSnapshotConfig(node, key, fileConfigs.get(node.unique_id) ?? {}, snapshotConfigLines.get(node.unique_id), propertyFiles, project.yaml.file));
  }

  renderSourceLocations(propertyFiles, { vars: { ...project.vars, ...(options.cliVars ?? {}) }, env: process.env, naming });
  const sources = new Map<string, SourceNode>();
  for (const properties of propertyFiles) {
    for (const source of properties.sources) {
      if (sources.has(source.unique_id)) throw properties.yaml.error(['sources'], `source table '${source.source_name}.${source.name}' is declared twice`);
      source.database ??= naming.defaultDatabase;
      // A source only implied by its loader block is, on a target that cannot read files, the raw table extract loads.
      const inPlace = source.external && !(source.external.loaded_by === 'extract' && !naming.sql.canReadFiles?.());
      source.relation_name = inPlace
        ? externalRelationName(source, naming, naming.lakeRoot ?? path.resolve(project.root, project.lakePath), properties.yaml)
        : naming.sql.relation({ database: source.database, schema: source.schema, identifier: source.identifier });
      sources.set(source.unique_id, source);
    }
  }

  const disabled = new Map<string, AnyNode>();
  for (const [id, node] of nodes) {
    if (!node.config.enabled) {
      disabled.set(id, node);
      nodes.delete(id);
    }
  }
  for (const [id, source] of sources) {
    if (!source.config.enabled) {
      disabled.set(id, source);
      sources.delete(id);
    }
  }

  const generateSchemaName = macros.helpersFor(naming.adapterType).generate_schema_name;
  for (const node of nodes.values()) {
    nameRelation(node, naming, generateSchemaName);
    if (node.resource_type === 'snapshot') applySnapshotTarget(node, naming);
  }
  resolveDependencies(nodes, sources, disabled);
  for (const test of declareDataTests(project, nodes, sources, propertyFiles, macros)) {
    if (!test.config.enabled) {
      disabled.set(test.unique_id, test);
      continue;
    }
    if (nodes.has(test.unique_id)) throw new UserError(`test '${test.name}' is declared twice`, { file: test.original_file_path, line: test.declared_at?.line(), hint: "give one of them a different name with 'name:'" });
    nameRelation(test, naming, generateSchemaName);
    nodes.set(test.unique_id, test);
  }
  // project.yml's test configs (under data_tests:, or tests: as dbt spelled it first), checked against every test's fqn.
  const testPrefixes = fqnPrefixes([...nodes.values(), ...disabled.values()].filter((node) => node.resource_type === 'test').map((node) => node.fqn));
  for (const key of ['data_tests', 'tests']) {
    const tree = (project.yaml.data as Record<string, unknown>)[key];
    if (tree && typeof tree === 'object' && !Array.isArray(tree)) unusedConfigPaths.push(...new FolderConfigs(tree as Record<string, unknown>, 'test').validate(project.yaml, key, testPrefixes));
  }
  const declaredExposures = propertyFiles.flatMap((p) => p.exposures);
  unusedConfigPaths.push(...applyProjectExposureConfigs(declaredExposures, project.folderConfigs.exposures, project.yaml));
  const exposures = resolveExposures(declaredExposures, nodes, sources, disabled);
  for (const exposure of exposures.disabled) disabled.set(exposure.unique_id, exposure);
  const all = new Map<string, AnyNode>([...sources, ...nodes, ...exposures.enabled]);
  assertAcyclic(all);
  let dag: Dag | undefined;
  return {
    file: project,
    unusedConfigPaths,
    vars: { ...project.vars, ...(options.cliVars ?? {}) },
    nodes,
    sources,
    exposures: exposures.enabled,
    all,
    disabled,
    docs,
    macros,
    templates,
    propertyFiles,
    // Built on first use: parse and a compile without selection never need the graph.
    get dag() {
      return (dag ??= buildGraph(all));
    },
    naming,
  };
}

function seedNode(projectName: string, file: string, dir: string, contents: string): ManifestNode {
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.csv$/, '');
  // dbt keeps a seed's raw_code empty and checksums the file.
  return newNode({ resourceType: 'seed', projectName, file, resourcePath: dir, name, rawCode: '', checksumOf: contents, language: 'csv' });
}

function applyConfigs(
  project: ProjectFile,
  nodes: Map<string, ManifestNode>,
  fileConfigs: Map<string, Record<string, unknown>>,
  propertyFiles: PropertyFile[],
  macros: MacroSet,
): UnusedConfigPath[] {
  const trees: Partial<Record<ResourceType, FolderConfigs>> = {
    model: new FolderConfigs(project.folderConfigs.models, 'model'),
    seed: new FolderConfigs(project.folderConfigs.seeds, 'seed'),
    test: new FolderConfigs(project.folderConfigs.tests, 'test'),
    snapshot: new FolderConfigs(project.folderConfigs.snapshots, 'snapshot'),
  };
  const prefixes: Record<string, Set<string>> = { model: new Set(), seed: new Set(), test: new Set(), snapshot: new Set() };
  for (const node of nodes.values()) {
    const set = prefixes[node.resource_type];
    if (!set) continue;
    fqnPrefixes([node.fqn], set);
  }
  const unused = [
    ...trees.model!.validate(project.yaml, 'models', prefixes.model),
    ...trees.seed!.validate(project.yaml, 'seeds', prefixes.seed),
    ...trees.snapshot!.validate(project.yaml, 'snapshots', prefixes.snapshot),
  ];

  const patches = new Map<string, NodePatch>();
  for (const properties of propertyFiles) {
    for (const patch of properties.patches) {
      if (patch.resourceType === 'macro') {
        const macro = [...macros.nodes.values()].find((m) => m.name === patch.name);
        if (!macro) throw patch.yaml.error(patch.path, `no macro named '${patch.name}'`, didYouMean(patch.name, macros.names()) || undefined);
        macro.description = patch.description ?? macro.description;
        continue;
      }
      const id = `${patch.resourceType}.${project.name}.${patch.name}`;
      if (!nodes.has(id)) {
        const candidates = [...nodes.values()].filter((n) => n.resource_type === patch.resourceType).map((n) => n.name);
        throw patch.yaml.error([...patch.path, 'name'], `no ${patch.resourceType} named '${patch.name}' for this entry`, didYouMean(patch.name, candidates) || `is the ${patch.resourceType} file missing, or listed under the wrong key?`);
      }
      const twin = patches.get(id);
      if (twin) throw patch.yaml.error(patch.path, `${patch.resourceType} '${patch.name}' is described twice`, `also in ${twin.yaml.file}`);
      patches.set(id, patch);
    }
  }

  // Nodes of one folder share their folder config: merge it once per folder, copy it per node.
  const folderDefaults = new Map<string, NodeConfig>();
  for (const node of nodes.values()) {
    const folderKey = `${node.resource_type}:${node.fqn.join('.')}`;
    let folder = node.resource_type === 'seed' ? undefined : folderDefaults.get(folderKey.slice(0, folderKey.lastIndexOf('.')));
    if (!folder) {
      folder = defaultConfig(node.resource_type);
      for (const layer of trees[node.resource_type]?.layersFor(node.fqn) ?? []) mergeConfig(folder, layer);
      // Seed configs are usually set per seed name, so only model folders are shared.
      if (node.resource_type !== 'seed') folderDefaults.set(folderKey.slice(0, folderKey.lastIndexOf('.')), folder);
    }
    const config = copyConfig(folder);
    const patch = patches.get(node.unique_id);
    if (patch) {
      mergeConfig(config, patch.config);
      if (patch.tags.length) mergeConfig(config, { tags: patch.tags });
      if (Object.keys(patch.meta).length) mergeConfig(config, { meta: patch.meta });
      node.description = patch.description ?? '';
      node.columns = patch.columns;
      node.patch_path = `${project.name}://${patch.yaml.file}`;
      setPrivate(node, 'property_entry', patch.raw);
      node.unrendered_config = { ...patch.config, ...node.unrendered_config };
    }
    const fileConfig = fileConfigs.get(node.unique_id);
    if (fileConfig) mergeConfig(config, fileConfig);
    node.config = config;
    node.tags = config.tags;
    node.meta = config.meta;
    const contract = config.contract as { enforced?: unknown } | undefined;
    if (contract?.enforced === true && config.materialized === 'ephemeral') {
      // dbt refuses this too: an ephemeral model is never built, so nothing could check it.
      throw new UserError(`'${node.name}' is ephemeral and cannot have an enforced contract`, {
        file: patch?.yaml.file ?? node.original_file_path,
        line: patch ? lineOf(patch.yaml.text, patch.path) : undefined,
        hint: 'materialize it as a view or table, or remove contract: {enforced: true}',
      });
    }
  }
  return unused;
}

function nameRelation(node: ManifestNode, naming: TargetNaming, generate: ((...args: unknown[]) => unknown) | undefined): void {
  // A test's relation is where store_failures keeps its failing rows: an audit schema, as in dbt.
  const custom = typeof node.config.schema === 'string' && node.config.schema ? node.config.schema : node.resource_type === 'test' ? 'strata_test__audit' : null;
  // dbt's default generate_schema_name: custom schemas are appended to the target schema.
  node.schema = generate ? generatedSchema(generate, custom, node, naming) : custom ? `${naming.defaultSchema}_${custom}` : naming.defaultSchema;
  node.database = typeof node.config.database === 'string' && node.config.database ? node.config.database : naming.defaultDatabase;
  node.alias = typeof node.config.alias === 'string' && node.config.alias ? node.config.alias : node.name;
  node.relation_name = node.config.materialized === 'ephemeral' ? null : naming.sql.relation({ database: node.database, schema: node.schema, identifier: node.alias });
}

/** `ref('x')` or `source('a', 'b')` written in YAML, as the template call it stands for. */
function yamlRelationCall(expression: string, patch: NodePatch): string {
  const call = /^\s*(ref|source)\s*\(\s*(['"])(\w+)\2\s*(?:,\s*(['"])(\w+)\4\s*)?\)\s*$/.exec(expression);
  if (!call || (call[1] === 'source') !== (call[5] !== undefined)) {
    throw patch.yaml.error([...patch.path, 'relation'], `cannot read relation: ${expression}`, "relation: ref('stg_orders') or source('shop', 'orders')");
  }
  return call[1] === 'ref' ? `{{ref "${call[3]}"}}` : `{{source "${call[3]}" "${call[5]}"}}`;
}

/** A project's generate_schema_name (a JS helper), called as dbt calls the macro: (custom_schema_name, { node, target }). */
function generatedSchema(generate: (...args: unknown[]) => unknown, custom: string | null, node: ManifestNode, naming: TargetNaming): string {
  const target = { name: naming.targetName ?? null, schema: naming.defaultSchema, database: naming.defaultDatabase, type: naming.adapterType };
  let schema: unknown;
  try {
    schema = generate(custom, { node, target });
  } catch (error) {
    throw new UserError(`generate_schema_name failed for '${node.name}': ${error instanceof Error ? error.message : String(error)}`, { file: node.original_file_path, cause: error });
  }
  if (typeof schema !== 'string' || !schema.trim()) {
    throw new UserError(`generate_schema_name returned ${JSON.stringify(schema) ?? String(schema)} for '${node.name}', not a schema name`, { file: node.original_file_path, hint: 'return a string: custom_schema_name ? `${target.schema}_${custom_schema_name}` : target.schema' });
  }
  return schema.trim();
}

function resolveDependencies(nodes: Map<string, ManifestNode>, sources: Map<string, SourceNode>, disabled: Map<string, AnyNode>): void {
  const byName = new Map<string, ManifestNode>();
  for (const node of nodes.values()) if (node.resource_type !== 'test') byName.set(node.name, node);
  const disabledNames = new Set([...disabled.values()].map((n) => (n.resource_type === 'source' ? `${(n as SourceNode).source_name}.${n.name}` : n.name)));
  for (const node of nodes.values()) {
    const deps = new Set<string>();
    for (const ref of node.refs) {
      const target = byName.get(ref.name);
      if (!target) {
        const line = callLine(node.ref_lines, `ref:${ref.name}`);
        if (disabledNames.has(ref.name)) throw new UserError(`'${node.name}' refers to '${ref.name}', which is disabled`, { file: node.original_file_path, line, hint: `enable '${ref.name}' or disable '${node.name}' too` });
        throw new UserError(`'${node.name}' refers to '${ref.name}', which does not exist`, { file: node.original_file_path, line, hint: didYouMean(ref.name, byName.keys()) || 'check the spelling, or create the model' });
      }
      deps.add(target.unique_id);
    }
    for (const [sourceName, table] of node.sources) {
      const id = `source.${node.package_name}.${sourceName}.${table}`;
      if (!sources.has(id)) {
        const line = callLine(node.ref_lines, `source:${sourceName}.${table}`);
        const known = [...sources.values()].map((s) => `${s.source_name}.${s.name}`);
        throw new UserError(`'${node.name}' uses source '${sourceName}.${table}', which is not declared`, { file: node.original_file_path, line, hint: didYouMean(`${sourceName}.${table}`, known) || 'declare it under sources: in a YAML file next to the models' });
      }
      deps.add(id);
    }
    node.depends_on.nodes = [...deps].sort();
  }
}

/** Where a snapshot's config key was set: its own config call, its YAML entry, or project.yml. */
function locateSnapshotConfig(node: ManifestNode, key: string, fileConfig: Record<string, unknown>, configLine: number | undefined, propertyFiles: PropertyFile[], projectFileName: string): { file: string; line?: number } {
  if (key in fileConfig) return { file: node.original_file_path, line: configLine };
  for (const properties of propertyFiles) {
    const patch = properties.patches.find((p) => p.resourceType === 'snapshot' && p.name === node.name);
    if (patch && key in patch.config) return { file: patch.yaml.file, line: lineOf(patch.yaml.text, [...patch.path, 'config', key]) };
  }
  if (node.config[key] !== undefined && node.config[key] !== null) return { file: projectFileName };
  return { file: node.original_file_path, line: configLine ?? 1 };
}
