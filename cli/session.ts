import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Adapter } from '../core/adapter/adapter.js';
import { scrubSecrets, writeFileAtomic, writeFileAtomicPieces } from '../core/artifacts/artifact-metadata.js';
import { manifestArtifact, writeManifestJson } from '../core/artifacts/manifest.js';
import { Compiler, type CompileOptions } from '../core/compile/compiler.js';
import { resolveLakeRoot } from '../core/lake/lake-root.js';
import { loadProject, type Project } from '../core/project/load-project.js';
import { readProjectFile, type ProjectFile } from '../core/project/project-file.js';
import { resolveTarget, type ResolvedTarget } from '../core/project/profiles.js';
import { explainSelection } from '../core/selection/explain-selection.js';
import { graphMembers, parseSelectorsFile, resolveSelection, selectionSpecFor, type SelectorDefinitions } from '../core/selection/resolve-selection.js';
import { attachUnitTests } from '../core/unit-tests/attach-unit-tests.js';
import { didYouMean } from '../core/errors/did-you-mean.js';
import { UserError } from '../core/errors/user-error.js';
import type { ManifestLike } from '../core/state/compare-manifests.js';
import { readCurrentSources, readPreviousState } from '../core/state/previous-state.js';
import { StateSelection } from '../core/state/state-selection.js';
import { createAdapter } from './adapter-registry.js';
import { Logger } from './output/logger.js';
import { parseThreads, parseVars, type CommonOptions, type SelectOptions, type StateOptions } from './options.js';

/** Everything a command needs: the project parsed against a target, and an adapter (not yet connected). */
export interface Session {
  logger: Logger;
  projectFile: ProjectFile;
  target: ResolvedTarget;
  adapter: Adapter;
  project: Project;
  threads: number;
  invocationId: string;
  startedAt: Date;
  targetDir: string;
  /** False with --no-write-json: the JSON artifacts (manifest.json, run_results.json) are not written. */
  writeJson: boolean;
  /** --warn-error: tests that would warn fail. */
  warnError: boolean;
  selectors: SelectorDefinitions | undefined;
  /** The previous run's artifacts compared with this project, when --state was given. */
  state?: StateSelection;
  /** Opens the connection once; started early (while files are parsed) when the command asked. */
  connect(): Promise<void>;
  /** Closes the connection, waiting for an early open still under way. */
  close(): Promise<void>;
}

/**
 * Reads the project, the target and every project file. With `connectEarly`, the connection
 * opens in the background meanwhile (drivers do that work off the main thread).
 */
export async function openSession(options: CommonOptions, logger: Logger, connectEarly: boolean | 'unless-empty' = false): Promise<Session> {
  const startedAt = new Date();
  const root = path.resolve(options.projectDir ?? process.cwd());
  const projectFile = readProjectFile(root);
  const target = resolveTarget({
    projectRoot: root,
    profileName: projectFile.profile,
    projectName: projectFile.name,
    targetPath: projectFile.targetPath,
    target: options.target,
    profilesDir: options.profilesDir,
  });
  logger.addSecrets(target.secrets);
  const threads = parseThreads(options.threads, typeof target.config.threads === 'number' ? target.config.threads : 4);
  const adapter = await createAdapter({ target: target.config, targetName: target.name, projectRoot: root, threads }, target.source);
  let opening: Promise<void> | undefined;
  const connect = () => (opening ??= adapter.open());
  // A failure surfaces when the command awaits connect(), not as an unhandled rejection now.
  // 'unless-empty': not when the warehouse is known to hold nothing yet (compile then needs no connection).
  if (connectEarly === true || (connectEarly === 'unless-empty' && !adapter.knownEmpty?.(adapter.defaultDatabase))) connect().catch(() => undefined);
  const close = async () => {
    await opening?.catch(() => undefined);
    await adapter.close();
  };
  let project: Project;
  let selectors: SelectorDefinitions | undefined;
  let state: StateSelection | undefined;
  try {
    project = await loadProject({
      project: projectFile,
      naming: { adapterType: adapter.type, sql: adapter.sql, defaultDatabase: adapter.defaultDatabase, defaultSchema: adapter.defaultSchema, targetName: target.name, lakeRoot: resolveLakeRoot(root, projectFile.lakePath, target.config) },
      cliVars: parseVars(options.vars),
      partialParse: options.partialParse !== false,
    });
    attachUnitTests(project);
    warnOfUnusedConfigPaths(project, logger);
    const selectorsPath = path.join(root, 'selectors.yml');
    selectors = existsSync(selectorsPath) ? parseSelectorsFile(readFileSync(selectorsPath, 'utf8'), 'selectors.yml') : undefined;
    state = openState(options, root, project, adapter, logger);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    logger,
    projectFile,
    target,
    adapter,
    project,
    threads,
    invocationId: randomUUID(),
    startedAt,
    targetDir: path.resolve(root, projectFile.targetPath),
    writeJson: options.writeJson !== false,
    warnError: options.warnError === true,
    selectors,
    state,
    connect,
    close,
  };
}

/** dbt's warning of folder configs that apply to nothing (one, with every path, as dbt writes it). */
function warnOfUnusedConfigPaths(project: Project, logger: Logger): void {
  const unused = project.unusedConfigPaths;
  if (unused.length === 0) return;
  const lines = unused.map((u) => `- ${u.path}${u.line ? ` (${u.file}:${u.line})` : ''}`);
  logger.warn(
    `Configuration paths exist in ${project.file.yaml.file} which do not apply to any resources.\nThere ${unused.length === 1 ? 'is 1 unused configuration path' : `are ${unused.length} unused configuration paths`}:\n${lines.join('\n')}`,
    'unused_resource_config_path',
    { paths: unused.map((u) => u.path) },
  );
}

/** Reads --state (relative to the current folder, else to the project) and checks --defer/--favor-state. */
function openState(options: CommonOptions & StateOptions, root: string, project: Project, adapter: Adapter, logger: Logger): StateSelection | undefined {
  if (!options.state) {
    if (options.defer || options.favorState) throw new UserError(`${options.defer ? '--defer' : '--favor-state'} needs --state DIR: the artifacts of the run whose relations refs are deferred to`, { hint: 'e.g. --defer --state prod-artifacts' });
    return undefined;
  }
  if (options.favorState && !options.defer) throw new UserError('--favor-state only changes what --defer does', { hint: 'add --defer, or drop --favor-state' });
  const dir = existsSync(path.resolve(options.state)) || !existsSync(path.resolve(root, options.state)) ? options.state : path.resolve(root, options.state);
  const previous = readPreviousState(dir);
  const current = manifestArtifact(project, { invocationId: 'current', adapterType: adapter.type }) as unknown as ManifestLike;
  const state = new StateSelection(previous, current, readCurrentSources(path.resolve(root, project.file.targetPath)));
  for (const note of state.comparison.notes) logger.warn(`--state: ${note}`);
  return state;
}

/** The --select criteria with --models (dbt's old spelling of it) after them. */
export function selectArgs(options: SelectOptions): string[] {
  return [...(options.select ?? []), ...((options as { models?: string[] }).models ?? [])];
}

/** The unique ids a command works on: selection applied, then limited to the given resource types. */
export function selectNodes(session: Session, options: SelectOptions, resourceTypes: readonly string[]): Set<string> {
  const select = selectArgs(options);
  const { all } = session.project;
  // No criteria at all selects every node (tests included), so nothing indirect is left to add.
  const everything = !select.length && !options.exclude?.length && options.selector === undefined && ![...(session.selectors?.values() ?? [])].some((d) => d.default);
  if (everything) {
    const out = new Set<string>();
    for (const [id, node] of all) if (resourceTypes.includes(node.resource_type)) out.add(id);
    return out;
  }
  const dag = session.project.dag;
  const chosen = resolveSelection({
    graph: dag,
    nodes: all,
    select: select.length ? select : undefined,
    exclude: options.exclude,
    selector: options.selector,
    selectors: session.selectors,
    state: session.state,
  });
  if (select.length) warnUnmatched(session, select);
  const out = new Set<string>();
  for (const id of chosen) {
    const node = all.get(id);
    if (node && resourceTypes.includes(node.resource_type)) out.add(id);
  }
  if (resourceTypes.includes('test') || resourceTypes.includes('unit_test')) addIndirectTests(session, options, chosen, out, resourceTypes);
  return out;
}

/** Why each node the selection matches is in it (indirectly selected tests are not in the map). */
export function explainSelectedNodes(session: Session, options: SelectOptions): Map<string, string[]> {
  const select = selectArgs(options);
  const spec = selectionSpecFor({ select: select.length ? select : undefined, exclude: options.exclude, selector: options.selector, selectors: session.selectors });
  const { dag, all } = session.project;
  return explainSelection(spec, { graph: dag, nodes: graphMembers(dag, all), state: session.state });
}

/** dbt's warning for a selection criterion that matches nothing, with the likely name it meant. */
function warnUnmatched(session: Session, select: string[]): void {
  const { dag, all } = session.project;
  for (const atom of select.flatMap((s) => s.split(/\s+/)).filter(Boolean)) {
    if (resolveSelection({ graph: dag, nodes: all, select: [atom], state: session.state }).size > 0) continue;
    const bare = atom.replace(/^[@+\d]*\+?|\+\d*$/g, '');
    const exposure = /^exposure:([^.*?[\]]+)$/.exec(bare);
    const guess = exposure
      ? didYouMean(exposure[1], [...all.values()].filter((n) => n.resource_type === 'exposure').map((n) => n.name)).replace("'", "'exposure:")
      : bare.includes(':') ? '' : didYouMean(bare, [...all.values()].map((n) => n.name));
    session.logger.warn(`The selection criterion '${atom}' does not match any enabled nodes${guess ? `: ${guess}` : ''}`, 'no_nodes_for_selection_criteria', { criterion: atom });
  }
}

/**
 * dbt's indirect selection: selecting a model selects its tests. `eager` (the default) takes a
 * test when any parent is selected, `cautious` when all are, `empty` never.
 */
function addIndirectTests(session: Session, options: SelectOptions, chosen: Set<string>, out: Set<string>, resourceTypes: readonly string[]): void {
  const mode = options.indirectSelection ?? 'eager';
  if (mode === 'empty') return;
  const { dag, all } = session.project;
  const excluded = options.exclude?.length ? resolveSelection({ graph: dag, nodes: all, select: options.exclude, selectors: session.selectors, state: session.state }) : new Set<string>();
  for (const id of chosen) {
    dag.forEachOutNeighbor(id, (child) => {
      if (out.has(child) || excluded.has(child)) return;
      const node = all.get(child);
      if (!node || !resourceTypes.includes(node.resource_type) || (node.resource_type !== 'test' && node.resource_type !== 'unit_test')) return;
      const parents = dag.inNeighbors(child);
      if (mode === 'cautious' ? parents.every((p) => chosen.has(p)) : true) out.add(child);
    });
  }
}

/** A compiler of the session's project for its target; `state` answers is_incremental, `deferral` is --defer's. */
export function sessionCompiler(session: Session, options: Pick<CompileOptions, 'state' | 'deferral' | 'fullRefresh' | 'empty'> = {}): Compiler {
  const { adapter } = session;
  return new Compiler(session.project, {
    ...options,
    target: { name: session.target.name, type: adapter.type, schema: adapter.defaultSchema, database: adapter.defaultDatabase, threads: session.threads },
    invocationId: session.invocationId,
    runStartedAt: session.startedAt,
  });
}

/** Writes target/manifest.json (not with --no-write-json). */
export function writeManifest(session: Session): void {
  if (!session.writeJson) return;
  const { adapter } = session;
  const file = adapter.canAttachDatabases?.() ? adapter.databaseLocation() : null;
  const databaseLocation = file && adapter.defaultDatabase ? { database: adapter.defaultDatabase, path: file } : null;
  const input = { invocationId: session.invocationId, adapterType: adapter.type, databaseLocation };
  // Written in pieces as it is serialized: neither the manifest object nor its 45 MB text (at 10,000 models) is built whole.
  writeFileAtomicPieces(path.join(session.targetDir, 'manifest.json'), (write) =>
    writeManifestJson(session.project, input, (piece) => write(scrubSecrets(piece, session.target.secrets))),
  );
}

/** Writes a JSON artifact under target/ (not with --no-write-json) with every secret resolved from the environment masked. */
export function writeArtifact(session: Session, name: string, text: string): void {
  if (!session.writeJson) return;
  writeFileAtomic(path.join(session.targetDir, name), scrubSecrets(text, session.target.secrets));
}
